package dev.parley.adapters.postgres;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether PostgreSQL answers, as the last statement or probe found it. Only connection
 * failures make it unreachable (a refused row does not); any success makes it reachable.
 */
final class HealthState {
    private static final Logger LOG = LoggerFactory.getLogger(HealthState.class);

    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private final String url;

    HealthState(String url) {
        this.url = url;
    }

    boolean reachable() {
        return reachable.get();
    }

    void succeeded() {
        if (!reachable.get() && reachable.compareAndSet(false, true)) {
            LOG.info("PostgreSQL history at {} answers again", url);
        }
    }

    void failed(Throwable failure) {
        if (SqlFailures.isConnectivity(failure) && reachable.compareAndSet(true, false)) {
            LOG.warn("PostgreSQL history at {} unreachable: {}", url, failure.toString());
        }
    }
}

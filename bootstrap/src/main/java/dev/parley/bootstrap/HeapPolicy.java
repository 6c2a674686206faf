package dev.parley.bootstrap;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lets the heap follow the connections down again. By default G1 keeps up to 70% of its heap
 * free after a collection and collects only when allocation asks for it, so a server that held
 * 20,000 sockets keeps their heap long after they left, and an idle server is never collected.
 * This keeps at most 30% free after a collection and has G1 run a concurrent cycle after a minute
 * without any. Each flag is set only when nobody chose it on the command line.
 */
final class HeapPolicy {
    /** In this order: the minimum must never exceed the maximum on the way. */
    static final Map<String, String> LEAN = leanFlags();

    private HeapPolicy() {
    }

    private static Map<String, String> leanFlags() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("MinHeapFreeRatio", "10");
        flags.put("MaxHeapFreeRatio", "30");
        flags.put("G1PeriodicGCInterval", "60000");
        return flags;
    }

    /** Applies {@link #LEAN} where the JVM runs with the defaults; silent where it cannot. */
    static void apply() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (hotspot == null) {
            return;
        }
        LEAN.forEach((flag, value) -> {
            try {
                VMOption option = hotspot.getVMOption(flag);
                if (option.getOrigin() == VMOption.Origin.DEFAULT && option.isWriteable()) {
                    hotspot.setVMOption(flag, value);
                }
            } catch (IllegalArgumentException notThisJvm) {
                // Another collector or JVM: its own defaults stand.
            }
        });
    }
}

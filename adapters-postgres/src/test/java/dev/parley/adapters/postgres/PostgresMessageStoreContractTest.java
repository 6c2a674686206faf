package dev.parley.adapters.postgres;

import dev.parley.application.port.out.MessageStore;
import dev.parley.application.port.out.MessageStoreContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The {@link MessageStore} port contract, on PostgreSQL: one store in a schema of its own for the class. */
class PostgresMessageStoreContractTest extends MessageStoreContract {
    private static String schema;
    private static PostgresMessageStore shared;

    @BeforeAll
    static void startStore() {
        String url = TestDatabase.url();
        schema = TestDatabase.uniqueSchema("contract");
        shared = PostgresMessageStore.start(TestDatabase.settings(url, schema), Clock.systemUTC());
    }

    @AfterAll
    static void dropSchema() throws Exception {
        if (shared != null) {
            shared.close();
        }
        if (schema != null) {
            TestDatabase.dropSchema(schema);
        }
    }

    @Override
    protected MessageStore createStore() {
        return shared;
    }
}

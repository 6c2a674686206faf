package dev.parley.client;

/** Placeholder until the shared test-services helper lands. */
final class TestDatabases {
    private TestDatabases() {
    }

    static String postgresUrl() {
        String url = System.getenv("PARLEY_TEST_POSTGRES_URL");
        return url == null ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres" : url;
    }
}

package dev.parley.adapters.postgres;

import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Brings the store's schema up to date with Flyway, from code (no Maven plugin). Runs on a
 * connection of its own, without the pool's short timeouts: a migration may wait for another
 * node's migration (Flyway serialises them with an advisory lock).
 */
final class Migrations {
    static final String LOCATION = "classpath:dev/parley/adapters/postgres/migration";
    static final String HISTORY_TABLE = "parley_schema_history";

    private Migrations() {
    }

    static void migrate(PostgresSettings settings) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(settings.jdbcUrl());
        dataSource.setApplicationName(settings.applicationName() + "-migration");
        int connectSeconds = (int) Math.max(1, (settings.connectionTimeout().toMillis() + 999) / 1000);
        dataSource.setConnectTimeout(connectSeconds);
        dataSource.setLoginTimeout(connectSeconds);
        dataSource.setSocketTimeout(120);
        Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .schemas(settings.schema())
                .defaultSchema(settings.schema())
                .createSchemas(true)
                .table(HISTORY_TABLE)
                .locations(LOCATION)
                // a schema that holds other tables already (say "public") gets ours beside them
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}

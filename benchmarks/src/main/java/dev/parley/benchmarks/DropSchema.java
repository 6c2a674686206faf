package dev.parley.benchmarks;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Drops a schema a benchmark run created (benchmarks/run.sh calls it when a run ends). */
@Command(name = "drop-schema", mixinStandardHelpOptions = true,
        description = "Drops a benchmark's PostgreSQL schema (named parley_bench_*) and everything in it.")
final class DropSchema implements Callable<Integer> {
    @Option(names = "--jdbc-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
            description = "PostgreSQL on this machine")
    String jdbcUrl;

    @Option(names = "--schema", required = true, description = "Schema to drop; must start with parley_bench_")
    String schema;

    @Override
    public Integer call() throws Exception {
        if (!schema.matches("parley_bench_[a-z0-9_]+")) {
            throw new IllegalArgumentException("only benchmark schemas (parley_bench_[a-z0-9_]+) are dropped, not "
                    + schema);
        }
        PostgresSchemas.drop(jdbcUrl, schema);
        System.out.println("dropped schema " + schema);
        return 0;
    }
}

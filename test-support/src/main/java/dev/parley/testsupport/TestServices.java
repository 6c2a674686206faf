package dev.parley.testsupport;

import java.io.PrintStream;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;

/**
 * Where the tests find PostgreSQL and Redis (docs/architecture.md, "Tests"), for each separately and
 * in this order: the {@code PARLEY_TEST_*_URL} variable; the local default when it answers; a
 * Testcontainers container when a Docker engine runs. With none of them the test fails when
 * {@code CI=true} and is skipped otherwise, never errored, with one loud line per service and JVM
 * so that a fresh clone's {@code mvn -B verify} passes and still says what it did not test.
 */
public final class TestServices {

    /** Where a service comes from. */
    enum Source { VARIABLE, LOCAL, DOCKER, NONE }

    /** The decision for a service; {@code url} is known for VARIABLE and LOCAL only. */
    record Choice(Source source, String url) {
    }

    /** A service the tests need: its name, variable, local default, a quick probe and a container. */
    record Service(String name, String variable, String defaultUrl, Predicate<String> answers,
                   Supplier<String> container) {
    }

    // The "parley.test.*.default" system properties exist only to show what the tests do when
    // nothing answers at the default address (a dead port); they are not a setting.
    static final Service POSTGRES = new Service("PostgreSQL", "PARLEY_TEST_POSTGRES_URL",
            System.getProperty("parley.test.postgres.default", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"),
            TestServices::postgresAnswers, TestServices::postgresContainer);
    static final Service REDIS = new Service("Redis", "PARLEY_TEST_REDIS_URL",
            System.getProperty("parley.test.redis.default", "redis://127.0.0.1:6379"),
            TestServices::redisAnswers, TestServices::redisContainer);

    private static final int PROBE_TIMEOUT_SECONDS = 2;
    private static final TestServices JVM = new TestServices(System.getenv(), TestServices::dockerRuns, System.err);

    private final Map<String, String> environment;
    private final BooleanSupplier dockerRuns;
    private final PrintStream console;
    private final Map<String, Choice> choices = new ConcurrentHashMap<>();
    private final Map<String, String> containerUrls = new ConcurrentHashMap<>();
    private final Set<String> announced = ConcurrentHashMap.newKeySet();

    TestServices(Map<String, String> environment, BooleanSupplier dockerRuns, PrintStream console) {
        this.environment = environment;
        this.dockerRuns = dockerRuns;
        this.console = console;
    }

    /** A JDBC URL of the tests' PostgreSQL, or a failed (CI) or skipped (elsewhere) test. */
    public static String postgresUrl() {
        return JVM.url(POSTGRES);
    }

    /** A {@code redis://} URL of the tests' Redis, or a failed (CI) or skipped (elsewhere) test. */
    public static String redisUrl() {
        return JVM.url(REDIS);
    }

    String url(Service service) {
        Choice choice = choose(service);
        return switch (choice.source()) {
            case VARIABLE, LOCAL -> choice.url();
            case DOCKER -> containerUrls.computeIfAbsent(service.name(), name -> service.container().get());
            case NONE -> unavailable(service);
        };
    }

    /** Decided once per JVM: the probe and the Docker check cost time, and the answer must not flip mid-run. */
    Choice choose(Service service) {
        return choices.computeIfAbsent(service.name(), name -> decide(service));
    }

    private Choice decide(Service service) {
        String variable = environment.get(service.variable());
        if (variable != null && !variable.isBlank()) {
            return new Choice(Source.VARIABLE, variable);
        }
        if (service.answers().test(service.defaultUrl())) {
            return new Choice(Source.LOCAL, service.defaultUrl());
        }
        return new Choice(dockerRuns.getAsBoolean() ? Source.DOCKER : Source.NONE, null);
    }

    private String unavailable(Service service) {
        String message = "no " + service.name() + " for the tests: " + service.variable() + " is not set, nothing answers at "
                + service.defaultUrl() + " and no Docker engine runs";
        if ("true".equalsIgnoreCase(environment.get("CI"))) {
            return Assertions.fail(message + " (CI=true: failing instead of skipping)");
        }
        if (announced.add(service.name())) {
            console.println("!!! SKIPPED: " + message + "; set " + service.variable() + ", start " + service.name()
                    + " there or start Docker !!!");
        }
        return Assumptions.abort(message);
    }

    // --- the real probes, Docker check and containers -------------------------------------------

    static boolean postgresAnswers(String url) {
        Properties timeouts = new Properties();
        timeouts.setProperty("connectTimeout", Integer.toString(PROBE_TIMEOUT_SECONDS));
        timeouts.setProperty("loginTimeout", Integer.toString(PROBE_TIMEOUT_SECONDS));
        timeouts.setProperty("socketTimeout", Integer.toString(PROBE_TIMEOUT_SECONDS));
        try (Connection connection = DriverManager.getConnection(url, timeouts);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT 1")) {
            return row.next();
        } catch (SQLException e) {
            return false;
        }
    }

    static boolean redisAnswers(String url) {
        // serverDefaultProtocol: no RESP3 negotiation, and no warning about it.
        try (Jedis jedis = new Jedis(URI.create(url), DefaultJedisClientConfig.builder()
                .timeoutMillis(PROBE_TIMEOUT_SECONDS * 1000).serverDefaultProtocol().build())) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    static boolean dockerRuns() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Exception | LinkageError e) {
            // An odd Docker set-up must mean "no Docker" here, not an error in every test.
            return false;
        }
    }

    private static String postgresContainer() {
        PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:15-alpine")
                .withDatabaseName("test")
                .withUsername("postgres");
        startUntilExit(postgres);
        return "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(5432)
                + "/test?user=postgres&password=" + postgres.getPassword();
    }

    private static String redisContainer() {
        GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse("redis:7-alpine")).withExposedPorts(6379);
        startUntilExit(redis);
        return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
    }

    /** Once per JVM, shared by every test class of the module. */
    private static void startUntilExit(GenericContainer<?> container) {
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-" + container.getDockerImageName()));
    }
}

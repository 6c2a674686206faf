package dev.parley.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.adapters.postgres.PostgresSettings;
import dev.parley.adapters.redis.RedisSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.HostAndPort;

class ParleyCommandTest {

    @ParameterizedTest
    @CsvSource({"90s, PT1M30S", "30m, PT30M", "12h, PT12H", "7d, PT168H", "PT36H, PT36H", "pt1s, PT1S", "1s, PT1S"})
    void given_a_history_max_age_when_parsed_then_it_is_that_duration(String flag, String expected) {
        ParleyConfig config = ParleyConfig.fromArgs("--history-max-age", flag);

        assertThat(config.historyMaxAge()).contains(Duration.parse(expected));
    }

    @Test
    void given_no_history_max_age_when_parsed_then_messages_are_kept_at_any_age() {
        assertThat(ParleyConfig.fromArgs().historyMaxAge()).isEmpty();
        assertThat(ParleyCommand.age(" ")).isEqualTo(Optional.empty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "500ms", "10", "0s", "-5m", "PT0.5S", "3w"})
    void given_a_bad_history_max_age_when_parsed_then_refused_with_the_accepted_forms(String flag) {
        assertThatThrownBy(() -> ParleyConfig.fromArgs("--history-max-age", flag))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("history max age");
    }

    @Test
    void given_history_settings_when_postgres_is_the_store_then_its_retention_has_both() {
        ParleyConfig config = ParleyConfig.fromArgs("--postgres-url", "jdbc:postgresql://127.0.0.1:5432/test",
                "--history-retention", "500", "--history-max-age", "7d");

        assertThat(PostgresModule.settings(config).retainMessages()).hasValue(500);
        assertThat(PostgresModule.settings(config).retainFor()).contains(Duration.ofDays(7));
    }

    @Test
    void given_both_a_redis_url_and_a_redis_cluster_when_parsed_then_refused_naming_both_variables() {
        assertThatThrownBy(() -> ParleyConfig.fromArgs("--postgres-url", "jdbc:postgresql://127.0.0.1:5432/test",
                "--redis-url", "redis://127.0.0.1:6379", "--redis-cluster", "127.0.0.1:7000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PARLEY_REDIS_URL").hasMessageContaining("PARLEY_REDIS_CLUSTER")
                .hasMessageContaining("not both");
    }

    @Test
    void given_a_redis_cluster_without_postgres_when_parsed_then_refused_naming_both_variables() {
        assertThatThrownBy(() -> ParleyConfig.fromArgs("--redis-cluster", "127.0.0.1:7000,127.0.0.1:7001"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PARLEY_REDIS_CLUSTER needs PARLEY_POSTGRES_URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:", ":7000", "127.0.0.1:port", "127.0.0.1:70000", " , "})
    void given_redis_cluster_seeds_that_are_no_host_port_list_when_parsed_then_refused(String seeds) {
        assertThatThrownBy(() -> ParleyConfig.fromArgs("--postgres-url", "jdbc:postgresql://127.0.0.1:5432/test",
                "--redis-cluster", seeds))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("PARLEY_REDIS_CLUSTER: ");
    }

    @Test
    void given_redis_cluster_seeds_with_postgres_when_parsed_then_the_redis_settings_name_every_seed() {
        ParleyConfig config = ParleyConfig.fromArgs("--postgres-url", "jdbc:postgresql://127.0.0.1:5432/test",
                "--redis-cluster", "10.0.0.1:7000, redis-b:7001,");

        RedisSettings settings = RedisModule.settings(config);

        assertThat(settings.isCluster()).isTrue();
        assertThat(((RedisSettings.Cluster) settings.endpoint()).seeds())
                .containsExactly(new HostAndPort("10.0.0.1", 7000), new HostAndPort("redis-b", 7001));
        assertThat(config.sharesRedis()).isTrue();
    }

    @Test
    void given_the_help_when_printed_then_it_lists_the_redis_cluster_setting() {
        StringWriter help = new StringWriter();
        ParleyCommand.commandLine().usage(new PrintWriter(help));

        assertThat(help.toString()).contains("--redis-cluster").contains("PARLEY_REDIS_CLUSTER");
    }

    @Test
    void given_postgres_writers_when_parsed_then_the_store_runs_that_many_with_a_pool_that_fits_them() {
        ParleyConfig config = ParleyConfig.fromArgs("--postgres-url", "jdbc:postgresql://127.0.0.1:5432/test",
                "--postgres-writers", "6");

        PostgresSettings settings = PostgresModule.settings(config);

        assertThat(config.postgresWriters()).isEqualTo(6);
        assertThat(settings.writers()).isEqualTo(6);
        assertThat(settings.poolSize()).isGreaterThanOrEqualTo(settings.readThreads() + 6 + 2);
    }

    @Test
    void given_no_postgres_writers_when_parsed_then_the_store_default() {
        ParleyConfig config = ParleyConfig.fromArgs("--postgres-url", "jdbc:postgresql://127.0.0.1:5432/test");

        assertThat(PostgresModule.settings(config).writers()).isEqualTo(PostgresSettings.DEFAULT_WRITERS);
        assertThat(ParleyCommand.writers(" ")).isEqualTo(PostgresSettings.DEFAULT_WRITERS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "33", "two", "1.5", "99999999999"})
    void given_postgres_writers_that_are_no_count_from_one_to_the_maximum_when_parsed_then_refused_naming_the_variable(
            String writers) {
        assertThatThrownBy(() -> ParleyConfig.fromArgs("--postgres-url", "jdbc:postgresql://127.0.0.1:5432/test",
                "--postgres-writers", writers))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PARLEY_POSTGRES_WRITERS (--postgres-writers) must be a whole number from 1 to 32, not '"
                        + writers + "'");
    }

    @Test
    void given_the_help_when_printed_then_it_lists_the_postgres_writers_setting() {
        StringWriter help = new StringWriter();
        ParleyCommand.commandLine().usage(new PrintWriter(help));

        assertThat(help.toString()).contains("--postgres-writers").contains("PARLEY_POSTGRES_WRITERS");
    }
}

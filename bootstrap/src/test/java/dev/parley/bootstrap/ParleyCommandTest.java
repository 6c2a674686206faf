package dev.parley.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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
}

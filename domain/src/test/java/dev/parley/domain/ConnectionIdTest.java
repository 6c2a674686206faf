package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionIdTest {

    @Test
    void given_one_to_64_characters_when_constructing_then_kept_as_given() {
        assertThat(ConnectionId.of("c").value()).isEqualTo("c");
        assertThat(ConnectionId.of("c".repeat(64)).value()).hasSize(64);
    }

    @Test
    void given_empty_or_too_long_or_missing_value_when_constructing_then_refused() {
        assertThatIllegalArgumentException().isThrownBy(() -> ConnectionId.of(""));
        assertThatIllegalArgumentException().isThrownBy(() -> ConnectionId.of("c".repeat(65)));
        assertThatNullPointerException().isThrownBy(() -> ConnectionId.of(null));
    }

    @Test
    void given_random_ids_when_generating_then_thirty_two_hex_digits_and_distinct() {
        Set<ConnectionId> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ConnectionId id = ConnectionId.random();
            assertThat(id.value()).matches("[0-9a-f]{32}");
            ids.add(id);
        }

        assertThat(ids).hasSize(1000);
    }

    @Test
    void given_id_when_printing_then_the_bare_value() {
        assertThat(ConnectionId.of("abc")).hasToString("abc").isEqualTo(new ConnectionId("abc"));
    }
}

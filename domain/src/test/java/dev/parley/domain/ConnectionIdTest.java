package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionIdTest {

    @Test
    void givenOneTo64Characters_whenConstructing_thenKeptAsGiven() {
        assertThat(ConnectionId.of("c").value()).isEqualTo("c");
        assertThat(ConnectionId.of("c".repeat(64)).value()).hasSize(64);
    }

    @Test
    void givenEmptyOrTooLongOrMissingValue_whenConstructing_thenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> ConnectionId.of(""));
        assertThatIllegalArgumentException().isThrownBy(() -> ConnectionId.of("c".repeat(65)));
        assertThatNullPointerException().isThrownBy(() -> ConnectionId.of(null));
    }

    @Test
    void givenRandomIds_whenGenerating_thenThirtyTwoHexDigitsAndDistinct() {
        Set<ConnectionId> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ConnectionId id = ConnectionId.random();
            assertThat(id.value()).matches("[0-9a-f]{32}");
            ids.add(id);
        }

        assertThat(ids).hasSize(1000);
    }

    @Test
    void givenId_whenPrinting_thenTheBareValue() {
        assertThat(ConnectionId.of("abc")).hasToString("abc").isEqualTo(new ConnectionId("abc"));
    }
}

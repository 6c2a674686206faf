package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeIdTest {

    @Test
    void given_visible_name_when_constructing_then_kept_and_printed_as_is() {
        assertThat(NodeId.of("node-1.eu:8080")).hasToString("node-1.eu:8080");
        assertThat(NodeId.of("n".repeat(128)).value()).hasSize(128);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "node 1", "node\t1", "node\n", "\u0000", "a\u00a0b", "\uD800"})
    void given_empty_or_invisible_characters_when_constructing_then_illegal_argument(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> NodeId.of(value));
    }

    @Test
    void given_too_long_or_missing_value_when_constructing_then_refused() {
        assertThatIllegalArgumentException().isThrownBy(() -> NodeId.of("n".repeat(129)));
        assertThatNullPointerException().isThrownBy(() -> NodeId.of(null));
    }
}

package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeIdTest {

    @Test
    void givenVisibleName_whenConstructing_thenKeptAndPrintedAsIs() {
        assertThat(NodeId.of("node-1.eu:8080")).hasToString("node-1.eu:8080");
        assertThat(NodeId.of("n".repeat(128)).value()).hasSize(128);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "node 1", "node\t1", "node\n", "\u0000", "a\u00a0b", "\uD800"})
    void givenEmptyOrInvisibleCharacters_whenConstructing_thenIllegalArgument(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> NodeId.of(value));
    }

    @Test
    void givenTooLongOrMissingValue_whenConstructing_thenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> NodeId.of("n".repeat(129)));
        assertThatNullPointerException().isThrownBy(() -> NodeId.of(null));
    }
}

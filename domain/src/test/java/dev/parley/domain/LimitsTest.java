package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.params.provider.Arguments.arguments;

class LimitsTest {

    @Test
    void given_defaults_when_reading_then_the_values_of_protocol_section_7() {
        Limits limits = Limits.DEFAULTS;

        assertThat(limits.maxTextCodePoints()).isEqualTo(4000);
        assertThat(limits.maxDataBytes()).isEqualTo(8192);
        assertThat(limits.maxDataDepth()).isEqualTo(16);
        assertThat(limits.maxRoomsPerConnection()).isEqualTo(100);
        assertThat(limits.maxConnectionsPerUser()).isEqualTo(10);
        assertThat(limits.maxMembersPerRoom()).isEqualTo(10_000);
        assertThat(limits.defaultHistoryLimit()).isEqualTo(50);
        assertThat(limits.maxHistoryLimit()).isEqualTo(100);
    }

    static Stream<Arguments> limitsWithOneFieldSetTo() {
        return Stream.of(
                arguments("maxTextCodePoints", (IntFunction<Limits>) v -> new Limits(v, 1, 1, 1, 1, 1, 1, 1)),
                arguments("maxDataBytes", (IntFunction<Limits>) v -> new Limits(1, v, 1, 1, 1, 1, 1, 1)),
                arguments("maxDataDepth", (IntFunction<Limits>) v -> new Limits(1, 1, v, 1, 1, 1, 1, 1)),
                arguments("maxRoomsPerConnection", (IntFunction<Limits>) v -> new Limits(1, 1, 1, v, 1, 1, 1, 1)),
                arguments("maxConnectionsPerUser", (IntFunction<Limits>) v -> new Limits(1, 1, 1, 1, v, 1, 1, 1)),
                arguments("maxMembersPerRoom", (IntFunction<Limits>) v -> new Limits(1, 1, 1, 1, 1, v, 1, 1)),
                arguments("defaultHistoryLimit", (IntFunction<Limits>) v -> new Limits(1, 1, 1, 1, 1, 1, v, 1)),
                arguments("maxHistoryLimit", (IntFunction<Limits>) v -> new Limits(1, 1, 1, 1, 1, 1, 1, v)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limitsWithOneFieldSetTo")
    void given_one_limit_below_one_when_constructing_then_illegal_argument_naming_it(String field, IntFunction<Limits> limits) {
        assertThat(limits.apply(1)).isNotNull();
        assertThatIllegalArgumentException().isThrownBy(() -> limits.apply(0)).withMessageContaining(field);
        assertThatIllegalArgumentException().isThrownBy(() -> limits.apply(-5)).withMessageContaining(field);
    }

    @Test
    void given_default_history_limit_above_max_when_constructing_then_illegal_argument() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Limits(1, 1, 1, 1, 1, 1, 51, 50))
                .withMessageContaining("defaultHistoryLimit");
    }

    @Test
    void given_default_history_limit_equal_to_max_when_constructing_then_accepted() {
        assertThat(new Limits(1, 1, 1, 1, 1, 1, 50, 50).defaultHistoryLimit()).isEqualTo(50);
    }
}

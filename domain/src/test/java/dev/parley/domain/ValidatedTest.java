package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ValidatedTest {

    @Test
    void given_valid_when_mapping_then_valid_of_the_mapped_value() {
        Validated<Integer> length = Validated.valid("four").map(String::length);

        assertThat(length.isValid()).isTrue();
        assertThat(length.value()).isEqualTo(4);
    }

    @Test
    void given_valid_when_flat_mapping_then_the_mappers_result() {
        Validated<String> ok = Validated.valid("x").flatMap(v -> Validated.valid(v + "y"));
        Validated<String> refused = Validated.valid("x").flatMap(v -> Validated.invalid(Violation.TOO_LARGE, "big"));

        assertThat(ok.value()).isEqualTo("xy");
        assertThat(refused).isEqualTo(new Validated.Invalid<String>(Violation.TOO_LARGE, "big"));
    }

    @Test
    void given_invalid_when_mapping_or_flat_mapping_then_same_refusal_and_mapper_not_called() {
        Validated<String> invalid = Validated.invalid(Violation.MALFORMED, "no");
        AtomicBoolean called = new AtomicBoolean();

        Validated<Integer> mapped = invalid.map(v -> {
            called.set(true);
            return 1;
        });
        Validated<Integer> flatMapped = invalid.flatMap(v -> {
            called.set(true);
            return Validated.valid(1);
        });

        assertThat(called).isFalse();
        assertThat(mapped.isValid()).isFalse();
        assertThat(mapped).isEqualTo(new Validated.Invalid<Integer>(Violation.MALFORMED, "no"));
        assertThat(flatMapped).isEqualTo(new Validated.Invalid<Integer>(Violation.MALFORMED, "no"));
    }

    @Test
    void given_invalid_when_reading_value_then_illegal_state_naming_code_and_message() {
        Validated<String> invalid = Validated.invalid(Violation.TOO_LARGE, "join first");

        assertThatIllegalStateException().isThrownBy(invalid::value)
                .withMessageContaining("TOO_LARGE")
                .withMessageContaining("join first");
    }

    @Test
    void given_missing_parts_when_constructing_then_null_pointer() {
        assertThatNullPointerException().isThrownBy(() -> Validated.valid(null));
        assertThatNullPointerException().isThrownBy(() -> Validated.invalid(null, "m"));
        assertThatNullPointerException().isThrownBy(() -> Validated.invalid(Violation.MALFORMED, null));
    }
}

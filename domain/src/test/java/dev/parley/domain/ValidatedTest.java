package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ValidatedTest {

    @Test
    void givenValid_whenMapping_thenValidOfTheMappedValue() {
        Validated<Integer> length = Validated.valid("four").map(String::length);

        assertThat(length.isValid()).isTrue();
        assertThat(length.value()).isEqualTo(4);
    }

    @Test
    void givenValid_whenFlatMapping_thenTheMappersResult() {
        Validated<String> ok = Validated.valid("x").flatMap(v -> Validated.valid(v + "y"));
        Validated<String> refused = Validated.valid("x").flatMap(v -> Validated.invalid(ErrorCode.TOO_LARGE, "big"));

        assertThat(ok.value()).isEqualTo("xy");
        assertThat(refused).isEqualTo(new Validated.Invalid<String>(ErrorCode.TOO_LARGE, "big"));
    }

    @Test
    void givenInvalid_whenMappingOrFlatMapping_thenSameRefusalAndMapperNotCalled() {
        Validated<String> invalid = Validated.invalid(ErrorCode.BAD_REQUEST, "no");
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
        assertThat(mapped).isEqualTo(new Validated.Invalid<Integer>(ErrorCode.BAD_REQUEST, "no"));
        assertThat(flatMapped).isEqualTo(new Validated.Invalid<Integer>(ErrorCode.BAD_REQUEST, "no"));
    }

    @Test
    void givenInvalid_whenReadingValue_thenIllegalStateNamingCodeAndMessage() {
        Validated<String> invalid = Validated.invalid(ErrorCode.NOT_MEMBER, "join first");

        assertThatIllegalStateException().isThrownBy(invalid::value)
                .withMessageContaining("not_member")
                .withMessageContaining("join first");
    }

    @Test
    void givenMissingParts_whenConstructing_thenNullPointer() {
        assertThatNullPointerException().isThrownBy(() -> Validated.valid(null));
        assertThatNullPointerException().isThrownBy(() -> Validated.invalid(null, "m"));
        assertThatNullPointerException().isThrownBy(() -> Validated.invalid(ErrorCode.INTERNAL, null));
    }
}

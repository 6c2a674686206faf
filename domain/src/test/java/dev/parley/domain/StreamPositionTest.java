package dev.parley.domain;

import static dev.parley.domain.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamPositionTest {
    private static final Epoch EPOCH = Epoch.of("k3x9");

    @Test
    void given_protocol_when_reading_max_seq_then_two_to_the_53() {
        assertThat(StreamPosition.MAX_SEQ).isEqualTo(9_007_199_254_740_992L);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 42, 9_007_199_254_740_991L, 9_007_199_254_740_992L})
    void given_seq_in_zero_to_two_to_the_53_when_checking_then_valid(long seq) {
        assertThat(StreamPosition.isValidSeq(seq)).isTrue();
        assertThat(new StreamPosition(seq, EPOCH).seq()).isEqualTo(seq);
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 9_007_199_254_740_993L, Long.MAX_VALUE, Long.MIN_VALUE})
    void given_seq_outside_zero_to_two_to_the_53_when_checking_then_invalid(long seq) {
        assertThat(StreamPosition.isValidSeq(seq)).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> new StreamPosition(seq, EPOCH));
        assertThat(codeOf(StreamPosition.parse(seq, "k3x9"))).isEqualTo(Violation.MALFORMED);
    }

    @Test
    void given_seq_and_epoch_when_parsing_then_position() {
        assertThat(StreamPosition.parse(42, "k3x9").value()).isEqualTo(new StreamPosition(42, EPOCH));
    }

    @Test
    void given_bad_epoch_when_parsing_then_bad_request() {
        assertThat(codeOf(StreamPosition.parse(42, null))).isEqualTo(Violation.MALFORMED);
        assertThat(codeOf(StreamPosition.parse(42, ""))).isEqualTo(Violation.MALFORMED);
        assertThat(codeOf(StreamPosition.parse(42, "e".repeat(65)))).isEqualTo(Violation.MALFORMED);
    }

    @Test
    void given_no_epoch_when_constructing_then_null_pointer() {
        assertThatNullPointerException().isThrownBy(() -> new StreamPosition(1, null));
    }
}

package dev.parley.domain;

import static dev.parley.domain.Refusals.codeOf;
import static dev.parley.domain.Refusals.messageOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageDataTest {
    private static final Limits LIMITS = Limits.DEFAULTS;

    /** A compact JSON object of exactly {@code bytes} UTF-8 bytes: {"k":"xxx..."}. */
    private static String objectOfBytes(int bytes) {
        return "{\"k\":\"" + "x".repeat(bytes - 8) + "\"}";
    }

    /** {@code depth} objects nested in one another: {"a":{"a":{}}} is depth 3. */
    private static String nestedObjects(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"a\":1}", "{\"a\":[1,2,{\"b\":null}],\"c\":\"}\"}"})
    void givenJsonObject_whenParsing_thenValidAndKeptVerbatim(String json) {
        assertThat(MessageData.parse(json, LIMITS).value().json()).isEqualTo(json);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "[]", "1", "\"{}\"", "null", "{\"a\":1", "\"a\":1}", " {}"})
    void givenSomethingOtherThanAnObject_whenParsing_thenBadRequest(String json) {
        assertThat(codeOf(MessageData.parse(json, LIMITS))).isEqualTo(Violation.MALFORMED);
    }

    @Test
    void givenObjectOfExactly8KiB_whenParsing_thenValid() {
        String json = objectOfBytes(8192);

        assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(8192);
        assertThat(MessageData.parse(json, LIMITS).isValid()).isTrue();
    }

    @Test
    void givenObjectOneByteOver8KiB_whenParsing_thenTooLarge() {
        Validated<MessageData> data = MessageData.parse(objectOfBytes(8193), LIMITS);

        assertThat(codeOf(data)).isEqualTo(Violation.TOO_LARGE);
        assertThat(messageOf(data)).contains("8193").contains("8192");
    }

    @Test
    void givenObjectUnder8KiCharsButOver8KiBInUtf8_whenParsing_thenTooLargeBecauseBytesAreCounted() {
        String json = "{\"k\":\"" + "\u00e9".repeat(4093) + "\"}";

        assertThat(json).hasSizeLessThan(8192);
        assertThat(codeOf(MessageData.parse(json, LIMITS))).isEqualTo(Violation.TOO_LARGE);
    }

    @Test
    void givenNestingDepth16_whenParsing_thenValid() {
        String json = nestedObjects(16);

        assertThat(MessageData.nestingDepth(json)).isEqualTo(16);
        assertThat(MessageData.parse(json, LIMITS).isValid()).isTrue();
    }

    @Test
    void givenNestingDepth17_whenParsing_thenTooLarge() {
        Validated<MessageData> data = MessageData.parse(nestedObjects(17), LIMITS);

        assertThat(codeOf(data)).isEqualTo(Violation.TOO_LARGE);
        assertThat(messageOf(data)).contains("17").contains("16");
    }

    @Test
    void givenArraysInsideTheObject_whenMeasuringDepth_thenArraysCountAsLevels() {
        String json = "{\"a\":" + "[".repeat(16) + "]".repeat(16) + "}";

        assertThat(MessageData.nestingDepth(json)).isEqualTo(17);
        assertThat(codeOf(MessageData.parse(json, LIMITS))).isEqualTo(Violation.TOO_LARGE);
    }

    @Test
    void givenSiblingsRatherThanNesting_whenMeasuringDepth_thenDeepestBranchCounts() {
        assertThat(MessageData.nestingDepth("{\"a\":{},\"b\":{},\"c\":[[]],\"d\":{}}")).isEqualTo(3);
    }

    @Test
    void givenBracketsInsideStrings_whenMeasuringDepth_thenTheyDoNotCount() {
        String json = "{\"a\":\"" + "[{".repeat(40) + "\",\"" + "}]".repeat(40) + "\":1}";

        assertThat(MessageData.nestingDepth(json)).isEqualTo(1);
        assertThat(MessageData.parse(json, LIMITS).isValid()).isTrue();
    }

    @Test
    void givenEscapedQuoteInsideString_whenMeasuringDepth_thenStringDoesNotEndThere() {
        String json = "{\"a\":\"say \\\"[[[[{{{{\\\" twice\"}";

        assertThat(MessageData.nestingDepth(json)).isEqualTo(1);
    }

    @Test
    void givenEscapedBackslashBeforeClosingQuote_whenMeasuringDepth_thenStringEndsAndLaterBracketsCount() {
        String json = "{\"a\":\"back\\\\\",\"b\":{\"c\":[]}}";

        assertThat(MessageData.nestingDepth(json)).isEqualTo(3);
    }

    @Test
    void givenSmallerConfiguredLimits_whenParsing_thenThoseLimitsApply() {
        Limits limits = new Limits(4000, 20, 2, 100, 10, 10_000, 50, 100);

        assertThat(MessageData.parse("{\"a\":{}}", limits).isValid()).isTrue();
        assertThat(codeOf(MessageData.parse("{\"a\":{\"b\":{}}}", limits))).isEqualTo(Violation.TOO_LARGE);
        assertThat(codeOf(MessageData.parse("{\"a\":\"0123456789abc\"}", limits))).isEqualTo(Violation.TOO_LARGE);
    }

    @Test
    void givenNonObjectOrMissingJson_whenConstructing_thenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new MessageData("[]"));
        assertThatIllegalArgumentException().isThrownBy(() -> new MessageData("{"));
        assertThatNullPointerException().isThrownBy(() -> new MessageData(null));
    }

    @Test
    void givenDataWithAnEscapedNulCharacter_whenParsed_thenBadRequest() {
        Validated<MessageData> parsed = MessageData.parse("{\"a\":\"x\\u0000y\"}", Limits.DEFAULTS);

        assertThat(codeOf(parsed)).isEqualTo(Violation.MALFORMED);
    }
}

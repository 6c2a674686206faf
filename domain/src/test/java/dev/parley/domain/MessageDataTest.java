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
    void given_json_object_when_parsing_then_valid_and_kept_verbatim(String json) {
        assertThat(MessageData.parse(json, LIMITS).value().json()).isEqualTo(json);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "[]", "1", "\"{}\"", "null", "{\"a\":1", "\"a\":1}", " {}"})
    void given_something_other_than_an_object_when_parsing_then_bad_request(String json) {
        assertThat(codeOf(MessageData.parse(json, LIMITS))).isEqualTo(Violation.MALFORMED);
    }

    @Test
    void given_object_of_exactly_8_ki_b_when_parsing_then_valid() {
        String json = objectOfBytes(8192);

        assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(8192);
        assertThat(MessageData.parse(json, LIMITS).isValid()).isTrue();
    }

    @Test
    void given_object_one_byte_over_8_ki_b_when_parsing_then_too_large() {
        Validated<MessageData> data = MessageData.parse(objectOfBytes(8193), LIMITS);

        assertThat(codeOf(data)).isEqualTo(Violation.TOO_LARGE);
        assertThat(messageOf(data)).contains("8193").contains("8192");
    }

    @Test
    void given_object_under_8_ki_chars_but_over_8_ki_b_in_utf_8_when_parsing_then_too_large_because_bytes_are_counted() {
        String json = "{\"k\":\"" + "\u00e9".repeat(4093) + "\"}";

        assertThat(json).hasSizeLessThan(8192);
        assertThat(codeOf(MessageData.parse(json, LIMITS))).isEqualTo(Violation.TOO_LARGE);
    }

    @Test
    void given_nesting_depth_16_when_parsing_then_valid() {
        String json = nestedObjects(16);

        assertThat(MessageData.nestingDepth(json)).isEqualTo(16);
        assertThat(MessageData.parse(json, LIMITS).isValid()).isTrue();
    }

    @Test
    void given_nesting_depth_17_when_parsing_then_too_large() {
        Validated<MessageData> data = MessageData.parse(nestedObjects(17), LIMITS);

        assertThat(codeOf(data)).isEqualTo(Violation.TOO_LARGE);
        assertThat(messageOf(data)).contains("17").contains("16");
    }

    @Test
    void given_arrays_inside_the_object_when_measuring_depth_then_arrays_count_as_levels() {
        String json = "{\"a\":" + "[".repeat(16) + "]".repeat(16) + "}";

        assertThat(MessageData.nestingDepth(json)).isEqualTo(17);
        assertThat(codeOf(MessageData.parse(json, LIMITS))).isEqualTo(Violation.TOO_LARGE);
    }

    @Test
    void given_siblings_rather_than_nesting_when_measuring_depth_then_deepest_branch_counts() {
        assertThat(MessageData.nestingDepth("{\"a\":{},\"b\":{},\"c\":[[]],\"d\":{}}")).isEqualTo(3);
    }

    @Test
    void given_brackets_inside_strings_when_measuring_depth_then_they_do_not_count() {
        String json = "{\"a\":\"" + "[{".repeat(40) + "\",\"" + "}]".repeat(40) + "\":1}";

        assertThat(MessageData.nestingDepth(json)).isEqualTo(1);
        assertThat(MessageData.parse(json, LIMITS).isValid()).isTrue();
    }

    @Test
    void given_escaped_quote_inside_string_when_measuring_depth_then_string_does_not_end_there() {
        String json = "{\"a\":\"say \\\"[[[[{{{{\\\" twice\"}";

        assertThat(MessageData.nestingDepth(json)).isEqualTo(1);
    }

    @Test
    void given_escaped_backslash_before_closing_quote_when_measuring_depth_then_string_ends_and_later_brackets_count() {
        String json = "{\"a\":\"back\\\\\",\"b\":{\"c\":[]}}";

        assertThat(MessageData.nestingDepth(json)).isEqualTo(3);
    }

    @Test
    void given_smaller_configured_limits_when_parsing_then_those_limits_apply() {
        Limits limits = new Limits(4000, 20, 2, 100, 10, 10_000, 50, 100);

        assertThat(MessageData.parse("{\"a\":{}}", limits).isValid()).isTrue();
        assertThat(codeOf(MessageData.parse("{\"a\":{\"b\":{}}}", limits))).isEqualTo(Violation.TOO_LARGE);
        assertThat(codeOf(MessageData.parse("{\"a\":\"0123456789abc\"}", limits))).isEqualTo(Violation.TOO_LARGE);
    }

    @Test
    void given_non_object_or_missing_json_when_constructing_then_refused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new MessageData("[]"));
        assertThatIllegalArgumentException().isThrownBy(() -> new MessageData("{"));
        assertThatNullPointerException().isThrownBy(() -> new MessageData(null));
    }

    @Test
    void given_data_with_an_escaped_nul_character_when_parsed_then_bad_request() {
        Validated<MessageData> parsed = MessageData.parse("{\"a\":\"x\\u0000y\"}", Limits.DEFAULTS);

        assertThat(codeOf(parsed)).isEqualTo(Violation.MALFORMED);
    }
}

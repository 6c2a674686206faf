package dev.parley.adapters.websocket.frames;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void given_error_codes_when_reading_wire_names_then_exactly_the_codes_of_protocol_section_6() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName)).containsExactly(
                "bad_request", "unknown_type", "too_large", "not_member", "forbidden", "room_full",
                "too_many_rooms", "rate_limited", "unavailable", "internal");
    }

    @Test
    void given_each_error_code_when_reading_wire_name_then_lower_case_of_its_constant() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(code.wireName()).isEqualTo(code.name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}

package dev.parley.adapters.websocket.frames;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void givenErrorCodes_whenReadingWireNames_thenExactlyTheCodesOfProtocolSection6() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName)).containsExactly(
                "bad_request", "unknown_type", "too_large", "not_member", "forbidden", "room_full",
                "too_many_rooms", "rate_limited", "unavailable", "internal");
    }

    @Test
    void givenEachErrorCode_whenReadingWireName_thenLowerCaseOfItsConstant() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(code.wireName()).isEqualTo(code.name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}

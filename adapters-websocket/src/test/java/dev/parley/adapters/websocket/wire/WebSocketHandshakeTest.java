package dev.parley.adapters.websocket.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebSocketHandshakeTest {

    @Test
    void given_the_rfc_example_key_when_accepting_then_the_rfc_answer() {
        // RFC 6455 section 1.3.
        assertThat(WebSocketHandshake.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }
}

package dev.parley.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PeerTest {

    @Test
    void given_parley_when_connecting_then_the_user_is_in_the_query() {
        assertThat(Peer.PARLEY.connectUri(URI.create("ws://127.0.0.1:18300/ws"), "load-3"))
                .isEqualTo(URI.create("ws://127.0.0.1:18300/ws?user=load-3"));
    }

    @Test
    void given_socketio_when_connecting_to_a_bare_address_then_engine_io_v4_over_websocket_is_asked_for() {
        assertThat(Peer.SOCKETIO.connectUri(URI.create("ws://127.0.0.1:18302"), "load-3"))
                .isEqualTo(URI.create("ws://127.0.0.1:18302/socket.io/?EIO=4&transport=websocket"));
        assertThat(Peer.SOCKETIO.connectUri(URI.create("ws://127.0.0.1:18302/"), "x"))
                .isEqualTo(URI.create("ws://127.0.0.1:18302/socket.io/?EIO=4&transport=websocket"));
    }

    @Test
    void given_ws_when_connecting_then_the_url_is_kept() {
        assertThat(Peer.WS.connectUri(URI.create("ws://127.0.0.1:18301"), "x")).isEqualTo(URI.create("ws://127.0.0.1:18301"));
    }

    @Test
    void given_each_dialect_when_a_chat_is_framed_then_its_text_starts_with_the_send_time() {
        assertThat(Peer.PARLEY.chat("r", "xx", 42, 7))
                .isEqualTo("{\"type\":\"chat\",\"id\":\"m42x7\",\"payload\":{\"room\":\"r\",\"text\":\"42 xx\"}}");
        assertThat(Peer.WS.chat("r", "xx", 42, 7)).isEqualTo("{\"type\":\"chat\",\"room\":\"r\",\"text\":\"42 xx\"}");
        assertThat(Peer.SOCKETIO.chat("r", "xx", 42, 7)).isEqualTo("42[\"chat\",\"42 xx\"]");
    }

    @Test
    void given_peer_in_any_case_when_parsed_then_the_dialect_is_chosen() {
        CommandLine.ParseResult result = LoadGenerator.commandLine().parseArgs("storm", "--peer", "socketio");
        assertThat(((LoadGenerator.Storm) result.subcommand().commandSpec().userObject()).peer).isEqualTo(Peer.SOCKETIO);
        result = LoadGenerator.commandLine().parseArgs("idle");
        assertThat(((LoadGenerator.Idle) result.subcommand().commandSpec().userObject()).peer).isEqualTo(Peer.PARLEY);
    }
}

package dev.parley.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.domain.ChatMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.MessageData;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.StreamPosition;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoomEventCodecTest {
    private static final RoomName ROOM = RoomName.of("private:team-a.b_c");
    private static final User ALICE = new User(UserId.of("alice@example"), "Älice \uD83D\uDE00 \"quoted\"");
    private final RoomEventCodec codec = new RoomEventCodec();

    @Test
    void given_chat_with_data_when_encoded_and_decoded_then_equal_and_node_kept() {
        RoomEvent event = new RoomEvent.Posted(new ChatMessage(ROOM, StreamPosition.MAX_SEQ, RequestId.of("id-1_x"),
                ALICE, new MessageText("line one\nline \"two\" \\ \u2028"),
                Optional.of(new MessageData("{\"a\":[1,2.5,{\"b\":null}],\"c\":\"\\u0000\"}")), 1_732_500_000_123L));

        RoomEventCodec.Decoded decoded = codec.decode(codec.encode("node-1", event));

        assertThat(decoded).isEqualTo(new RoomEventCodec.Event("node-1", event));
    }

    @Test
    void given_chat_without_data_when_encoded_and_decoded_then_equal() {
        RoomEvent event = new RoomEvent.Posted(new ChatMessage(ROOM, 1, RequestId.of("r"), ALICE,
                new MessageText("hi"), Optional.empty(), 0));

        assertThat(codec.decode(codec.encode("n", event))).isEqualTo(new RoomEventCodec.Event("n", event));
    }

    @Test
    void given_typing_and_presence_when_encoded_and_decoded_then_equal() {
        RoomEvent typing = new RoomEvent.Typing(ROOM, ALICE, false, ConnectionId.of("c 1"));
        RoomEvent presence = new RoomEvent.PresenceChanged(ROOM, true, ALICE, 10_000, ConnectionId.of("c2"));

        assertThat(codec.decode(codec.encode("n", typing))).isEqualTo(new RoomEventCodec.Event("n", typing));
        assertThat(codec.decode(codec.encode("n", presence))).isEqualTo(new RoomEventCodec.Event("n", presence));
    }

    @Test
    void given_possible_loss_when_encoded_and_decoded_then_it_names_the_room() {
        assertThat(codec.decode(codec.encodePossibleLoss("n", ROOM)))
                .isEqualTo(new RoomEventCodec.PossibleLoss("n", ROOM));
    }

    @Test
    void given_chat_when_encoded_then_compact_json_of_one_line() {
        byte[] bytes = codec.encode("n", new RoomEvent.Posted(new ChatMessage(ROOM, 7, RequestId.of("r"), ALICE,
                new MessageText("hi"), Optional.empty(), 5)));

        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .startsWith("{\"n\":\"n\",\"k\":\"c\",\"r\":\"private:team-a.b_c\",\"s\":7,")
                .doesNotContain("\n");
    }

    @Test
    void given_events_of_several_nodes_when_checked_against_a_nodes_prefix_then_only_its_own_match() {
        RoomEvent event = new RoomEvent.Typing(ROOM, ALICE, true, ConnectionId.of("c"));
        byte[] prefix = codec.senderPrefix("node \"1\"");

        assertThat(RoomEventCodec.startsWith(codec.encode("node \"1\"", event), prefix)).isTrue();
        assertThat(RoomEventCodec.startsWith(codec.encodePossibleLoss("node \"1\"", ROOM), prefix)).isTrue();
        assertThat(RoomEventCodec.startsWith(codec.encode("node \"1\"2", event), prefix)).isFalse();
        assertThat(RoomEventCodec.startsWith(codec.encode("node", event), prefix)).isFalse();
        assertThat(RoomEventCodec.startsWith(new byte[3], prefix)).isFalse();
    }

    @Test
    void given_something_else_when_decoded_then_refused() {
        assertThatThrownBy(() -> codec.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode("{\"n\":\"n\",\"k\":\"?\",\"r\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode(
                "{\"n\":\"n\",\"k\":\"c\",\"r\":\"x\",\"s\":\"7\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode(("{\"n\":\"n\",\"k\":\"t\",\"r\":\"bad room!\",\"u\":\"a\",\"un\":\"A\","
                + "\"a\":true,\"o\":\"c\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

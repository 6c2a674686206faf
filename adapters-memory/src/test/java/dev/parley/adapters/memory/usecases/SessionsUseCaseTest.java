package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.adapters.memory.usecases.ParleyNode.Client;
import dev.parley.application.port.in.NotConnected;
import dev.parley.application.port.in.Refused;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.Principal;
import dev.parley.domain.Refusal;
import dev.parley.domain.RoomGrants;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The opening every request of a connection shares: its session is found, then asked whether it may. */
class SessionsUseCaseTest {
    private static final RoomName LOBBY = RoomName.of("lobby");
    private static final RoomName BOARD = RoomName.of("private:board");

    private final ParleyNode node = ParleyNode.start();

    @AfterEach
    void stop() {
        node.close();
    }

    private static HistoryQuery newest(RoomName room) {
        return new HistoryQuery(room, OptionalLong.empty(), OptionalLong.empty(), 10);
    }

    private void assertNothingWasDone() {
        assertThat(node.store.appendCalls()).as("appends").isZero();
        assertThat(node.rooms.roomCount()).as("rooms").isZero();
        assertThat(ParleyNode.await(node.memoryPresence.members(LOBBY))).as("presence").isEmpty();
        assertThat(ParleyNode.await(node.memoryPresence.members(BOARD))).as("presence").isEmpty();
    }

    @Test
    void given_a_connection_the_node_does_not_know_when_it_makes_any_request_then_each_is_not_connected_and_nothing_is_done() {
        Client stranger = node.client(ConnectionId.random(), new Principal(User.named("alice"), RoomGrants.NONE));
        NotConnected notConnected = new NotConnected();

        assertThat(stranger.joinOutcome(LOBBY)).isEqualTo(notConnected);
        assertThat(stranger.chatOutcome(LOBBY, node.nextMessageId(), "hello?")).isEqualTo(notConnected);
        assertThat(stranger.typing(LOBBY, true)).isEqualTo(notConnected);
        assertThat(stranger.historyOutcome(newest(LOBBY))).isEqualTo(notConnected);
        assertThat(stranger.presenceOutcome(LOBBY)).isEqualTo(notConnected);
        assertThat(stranger.leave(LOBBY)).isEqualTo(notConnected);

        assertNothingWasDone();
        assertThat(node.sessions.size()).isZero();
    }

    @Test
    void given_requests_the_session_may_not_make_when_served_then_refused_with_the_sessions_reason_and_message_and_nothing_is_done() {
        Client alice = node.connect("alice");
        Refused forbidden = new Refused(Refusal.FORBIDDEN, "no grant for private room private:board");
        Refused notMember = new Refused(Refusal.NOT_MEMBER, "join lobby first");

        assertThat(alice.joinOutcome(BOARD)).isEqualTo(forbidden);
        assertThat(alice.historyOutcome(newest(BOARD))).isEqualTo(forbidden);
        assertThat(alice.presenceOutcome(BOARD)).isEqualTo(forbidden);
        assertThat(alice.historyOutcome(newest(RoomName.of("user:bob"))))
                .isEqualTo(new Refused(Refusal.FORBIDDEN, "user:bob belongs to another user"));
        assertThat(alice.chatOutcome(LOBBY, node.nextMessageId(), "hello?")).isEqualTo(notMember);
        assertThat(alice.typing(LOBBY, true)).isEqualTo(notMember);

        assertNothingWasDone();
    }
}

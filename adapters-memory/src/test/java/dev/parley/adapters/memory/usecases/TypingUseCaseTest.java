package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.adapters.memory.usecases.ParleyNode.Client;
import dev.parley.application.port.in.SendTypingCommand;
import dev.parley.application.port.out.ServerMessage;
import dev.parley.domain.ErrorCode;
import dev.parley.domain.RoomName;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Typing indicators: to every other connection in the room, never back to the sender. */
class TypingUseCaseTest {
    private static final RoomName LOBBY = RoomName.of("lobby");

    private final ParleyNode node = ParleyNode.start();

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void given_members_when_oneStartsAndStopsTyping_then_theOthersHearItAndTheSenderDoesNot() {
        Client alice = node.connect("alice");
        Client alicesOtherTab = node.connect("alice");
        Client bob = node.connect("bob");
        Client outsider = node.connect("carol");
        alice.join(LOBBY);
        alicesOtherTab.join(LOBBY);
        bob.join(LOBBY);
        outsider.join(RoomName.of("elsewhere"));

        assertThat(alice.typing(LOBBY, true)).isEmpty();
        assertThat(alice.typing(LOBBY, false)).isEmpty();

        List<ServerMessage.Typing> expected = List.of(new ServerMessage.Typing(LOBBY, alice.user(), true),
                new ServerMessage.Typing(LOBBY, alice.user(), false));
        assertThat(bob.typingEvents()).containsExactlyElementsOf(expected);
        assertThat(alicesOtherTab.typingEvents()).containsExactlyElementsOf(expected);
        assertThat(alice.typingEvents()).isEmpty();
        assertThat(outsider.typingEvents()).isEmpty();
        assertThat(alice.received()).as("typing has no reply")
                .noneMatch(message -> message instanceof ServerMessage.Error)
                .filteredOn(message -> message instanceof ServerMessage.Ack).hasSize(1);
    }

    @Test
    void given_connectionNotInTheRoom_when_itTypes_then_notMemberAndNobodyHearsIt() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        bob.join(LOBBY);

        Optional<ServerMessage.Error> error = alice.typing(LOBBY, true);

        assertThat(error).get().extracting(ServerMessage.Error::code).isEqualTo(ErrorCode.NOT_MEMBER);
        assertThat(bob.typingEvents()).isEmpty();
    }

    @Test
    void given_typingWithoutAnId_when_refused_then_theErrorHasNoReplyTo() {
        Client alice = node.connect("alice");

        ParleyNode.await(node.typing.typing(new SendTypingCommand(alice.id, Optional.empty(), LOBBY, true)));

        assertThat(alice.received()).singleElement().isInstanceOf(ServerMessage.Error.class);
        ServerMessage.Error error = (ServerMessage.Error) alice.received().get(0);
        assertThat(error.code()).isEqualTo(ErrorCode.NOT_MEMBER);
        assertThat(error.replyTo()).isEmpty();
    }

    @Test
    void given_busDown_when_aMemberTypes_then_noErrorIsAnswered() {
        Client alice = node.connect("alice");
        alice.join(LOBBY);
        node.fanOut.down(true);

        Optional<ServerMessage.Error> error = alice.typing(LOBBY, true);

        assertThat(error).as("typing is best effort; the bus delivers it on this node regardless").isEmpty();
    }
}

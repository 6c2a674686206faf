package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.adapters.memory.usecases.ParleyNode.Client;
import dev.parley.application.port.in.TypingOutcome;
import dev.parley.domain.Refusal;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import java.util.List;
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
    void given_members_when_one_starts_and_stops_typing_then_the_others_hear_it_and_the_sender_does_not() {
        Client alice = node.connect("alice");
        Client alicesOtherTab = node.connect("alice");
        Client bob = node.connect("bob");
        Client outsider = node.connect("carol");
        alice.join(LOBBY);
        alicesOtherTab.join(LOBBY);
        bob.join(LOBBY);
        outsider.join(RoomName.of("elsewhere"));

        assertThat(alice.typing(LOBBY, true)).isEqualTo(new TypingOutcome.Sent());
        assertThat(alice.typing(LOBBY, false)).isEqualTo(new TypingOutcome.Sent());

        List<RoomEvent.Typing> expected = List.of(new RoomEvent.Typing(LOBBY, alice.user(), true, alice.id),
                new RoomEvent.Typing(LOBBY, alice.user(), false, alice.id));
        assertThat(bob.typingEvents()).containsExactlyElementsOf(expected);
        assertThat(alicesOtherTab.typingEvents()).containsExactlyElementsOf(expected);
        assertThat(alice.typingEvents()).isEmpty();
        assertThat(outsider.typingEvents()).isEmpty();
    }

    @Test
    void given_connection_not_in_the_room_when_it_types_then_not_member_and_nobody_hears_it() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        bob.join(LOBBY);

        TypingOutcome outcome = alice.typing(LOBBY, true);

        assertThat(ParleyNode.refusal(outcome)).isEqualTo(Refusal.NOT_MEMBER);
        assertThat(bob.typingEvents()).isEmpty();
    }

    @Test
    void given_bus_down_when_a_member_types_then_no_error_is_answered() {
        Client alice = node.connect("alice");
        alice.join(LOBBY);
        node.fanOut.down(true);

        TypingOutcome outcome = alice.typing(LOBBY, true);

        assertThat(outcome).as("typing is best effort; the bus delivers it on this node regardless")
                .isEqualTo(new TypingOutcome.Sent());
    }
}

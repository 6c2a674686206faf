package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.adapters.memory.usecases.ParleyNode.Client;
import dev.parley.application.port.in.JoinOutcome;
import dev.parley.application.port.in.PresenceOutcome;
import dev.parley.application.port.in.QueryPresenceCommand;
import dev.parley.application.port.in.Requester;
import dev.parley.application.port.in.Unavailable;
import dev.parley.domain.Refusal;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Presence events and queries (docs/protocol.md section 4 and guarantee 5). */
class PresenceUseCaseTest {
    private static final RoomName LOBBY = RoomName.of("lobby");

    private final ParleyNode node = ParleyNode.start();

    @AfterEach
    void stop() {
        node.close();
    }

    private PresenceOutcome operatorAsks(RoomName room) {
        return ParleyNode.await(node.queries.presence(new QueryPresenceCommand(Requester.OPERATOR, room)));
    }

    @Test
    void given_members_in_a_room_when_a_user_joins_then_the_others_hear_the_join_with_the_count_and_the_joiner_does_not() {
        Client bob = node.connect("bob");
        Client carol = node.connect("carol");
        Client outsider = node.connect("dave");
        bob.join(LOBBY);
        carol.join(LOBBY);
        outsider.join(RoomName.of("elsewhere"));
        Client alice = node.connect("alice");

        alice.join(LOBBY);

        RoomEvent.PresenceChanged joined = new RoomEvent.PresenceChanged(LOBBY, true, alice.user(), 3, alice.id);
        assertThat(bob.presenceEvents()).endsWith(joined);
        assertThat(carol.presenceEvents()).containsExactly(joined);
        assertThat(alice.presenceEvents()).isEmpty();
        assertThat(outsider.presenceEvents()).isEmpty();
    }

    @Test
    void given_members_in_a_room_when_a_user_leaves_then_the_others_hear_the_leave_with_the_count_and_the_leaver_does_not() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        Client carol = node.connect("carol");
        alice.join(LOBBY);
        bob.join(LOBBY);
        carol.join(LOBBY);
        int aliceHeard = alice.presenceEvents().size();

        alice.leave(LOBBY);

        RoomEvent.PresenceChanged left = new RoomEvent.PresenceChanged(LOBBY, false, alice.user(), 2, alice.id);
        assertThat(bob.presenceEvents()).endsWith(left);
        assertThat(carol.presenceEvents()).endsWith(left);
        assertThat(alice.presenceEvents()).hasSize(aliceHeard);
    }

    @Test
    void given_user_present_when_a_second_connection_of_the_same_user_joins_and_leaves_then_nobody_hears_anything() {
        Client bob = node.connect("bob");
        Client aliceLaptop = node.connect("alice");
        bob.join(LOBBY);
        aliceLaptop.join(LOBBY);
        int heard = bob.presenceEvents().size();
        Client alicePhone = node.connect("alice");

        JoinOutcome.Joined joined = alicePhone.join(LOBBY);
        alicePhone.leave(LOBBY);

        assertThat(joined.presence()).containsExactly(bob.user(), aliceLaptop.user());
        assertThat(bob.presenceEvents()).hasSize(heard);
        assertThat(aliceLaptop.presenceEvents()).isEmpty();
        assertThat(bob.presence(LOBBY)).containsExactly(bob.user(), aliceLaptop.user());
    }

    @Test
    void given_user_with_two_connections_when_the_last_one_leaves_then_the_others_hear_one_leave() {
        Client bob = node.connect("bob");
        Client aliceLaptop = node.connect("alice");
        Client alicePhone = node.connect("alice");
        bob.join(LOBBY);
        aliceLaptop.join(LOBBY);
        alicePhone.join(LOBBY);

        aliceLaptop.leave(LOBBY);
        alicePhone.disconnect();

        assertThat(bob.presenceEvents()).containsExactly(
                new RoomEvent.PresenceChanged(LOBBY, true, aliceLaptop.user(), 2, aliceLaptop.id),
                new RoomEvent.PresenceChanged(LOBBY, false, aliceLaptop.user(), 1, alicePhone.id));
    }

    @Test
    void given_members_when_presence_queried_then_ack_lists_them_in_arrival_order_without_joining() {
        Client carol = node.connect("carol");
        Client alice = node.connect("alice");
        Client observer = node.connect("bob");
        carol.join(LOBBY);
        alice.join(LOBBY);
        node.connect("carol").join(LOBBY);

        PresenceOutcome outcome = observer.presenceOutcome(LOBBY);

        assertThat(outcome).isEqualTo(new PresenceOutcome.Members(LOBBY, List.of(carol.user(), alice.user())));
        assertThat(observer.presence(RoomName.of("empty"))).isEmpty();
        assertThat(carol.presenceEvents()).as("a query is no arrival").hasSize(1);
    }

    @Test
    void given_room_the_user_may_not_access_when_presence_queried_then_forbidden() {
        Client bob = node.connect("bob", "private:staff");
        bob.join(RoomName.of("private:staff"));
        bob.join(RoomName.of("user:bob"));
        Client alice = node.connect("alice");

        assertThat(ParleyNode.refusal(alice.presenceOutcome(RoomName.of("private:staff")))).isEqualTo(Refusal.FORBIDDEN);
        assertThat(ParleyNode.refusal(alice.presenceOutcome(RoomName.of("user:bob")))).isEqualTo(Refusal.FORBIDDEN);
        assertThat(bob.presence(RoomName.of("private:staff"))).containsExactly(bob.user());
        assertThat(bob.presence(RoomName.of("user:bob"))).containsExactly(bob.user());
    }

    @Test
    void given_members_when_the_operator_asks_then_it_sees_any_room() {
        Client bob = node.connect("bob");
        bob.join(RoomName.of("user:bob"));

        assertThat(operatorAsks(RoomName.of("user:bob")))
                .isEqualTo(new PresenceOutcome.Members(RoomName.of("user:bob"), List.of(bob.user())));
    }

    @Test
    void given_a_private_room_when_the_operator_asks_without_any_connection_of_its_own_then_it_sees_the_members() {
        RoomName staff = RoomName.of("private:staff");
        Client bob = node.connect("bob", "private:staff");
        bob.join(staff);
        Client alice = node.connect("alice");
        assertThat(ParleyNode.refusal(alice.presenceOutcome(staff))).isEqualTo(Refusal.FORBIDDEN);

        assertThat(operatorAsks(staff)).isEqualTo(new PresenceOutcome.Members(staff, List.of(bob.user())));
    }

    // --- joins that fail or are overtaken (guarantee 5) --------------------------------------------
    // --- joins that fail or are overtaken ---------------------------------------------------------

    @Test
    void given_a_member_whose_rejoin_fails_unavailable_when_it_is_out_of_the_room_then_the_others_hear_it_leave() {
        Client bob = node.connect("bob");
        Client alice = node.connect("alice");
        bob.join(LOBBY);
        alice.join(LOBBY);
        node.store.streamStateDown(true);

        assertThat(alice.joinOutcome(LOBBY)).isInstanceOf(Unavailable.class);
        node.store.streamStateDown(false);

        assertThat(alice.sendRefused(LOBBY, "still in?")).as("out of the room, as the protocol says")
                .isEqualTo(Refusal.NOT_MEMBER);
        assertThat(bob.presence(LOBBY)).containsExactly(bob.user());
        assertThat(bob.presenceEvents()).containsExactly(
                new RoomEvent.PresenceChanged(LOBBY, true, alice.user(), 2, alice.id),
                new RoomEvent.PresenceChanged(LOBBY, false, alice.user(), 1, alice.id));
    }

    @Test
    void given_a_rejoin_overtaken_by_another_when_the_overtaken_one_fails_then_the_user_stays_present() {
        Client bob = node.connect("bob");
        Client alice = node.connect("alice");
        bob.join(LOBBY);
        alice.join(LOBBY);
        CompletableFuture<Void> stateRead = node.store.holdStreamStates();
        CompletableFuture<JoinOutcome> overtaken = alice.joining(LOBBY);
        node.store.stopHoldingStreamStates();
        alice.join(LOBBY);

        node.store.down(true);
        stateRead.complete(null);
        assertThat(ParleyNode.await(overtaken)).isInstanceOf(Unavailable.class);
        node.store.down(false);
        bob.send(LOBBY, "still there, alice?");

        assertThat(alice.chatSeqs()).as("alice is in the room: the join in force holds").containsExactly(1L);
        assertThat(bob.presence(LOBBY)).containsExactly(bob.user(), alice.user());
    }

    @Test
    void given_a_first_join_overtaken_by_a_rejoin_when_both_complete_then_the_others_hear_the_arrival() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        Client alice = node.connect("alice");
        CompletableFuture<Void> stateRead = node.store.holdStreamStates();
        CompletableFuture<JoinOutcome> first = alice.joining(LOBBY);
        node.store.stopHoldingStreamStates();
        alice.join(LOBBY);

        stateRead.complete(null);
        assertThat(ParleyNode.await(first)).isInstanceOf(JoinOutcome.Joined.class);

        assertThat(bob.presence(LOBBY)).containsExactly(bob.user(), alice.user());
        assertThat(bob.presenceEvents()).containsExactly(
                new RoomEvent.PresenceChanged(LOBBY, true, alice.user(), 2, alice.id));
    }
}

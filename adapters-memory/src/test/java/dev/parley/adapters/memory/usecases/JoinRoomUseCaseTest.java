package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.adapters.memory.usecases.ParleyNode.Client;
import dev.parley.application.port.in.JoinOutcome;
import dev.parley.application.port.in.JoinOutcome.Joined;
import dev.parley.application.port.in.JoinRoomCommand;
import dev.parley.application.port.in.LeaveOutcome;
import dev.parley.application.port.in.NotConnected;
import dev.parley.application.port.in.PublishServerMessageCommand;
import dev.parley.application.port.in.Unavailable;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.Epoch;
import dev.parley.domain.MessageText;
import dev.parley.domain.Refusal;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.StreamPosition;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Joining and leaving rooms (docs/protocol.md section 3, join_room and leave_room). */
class JoinRoomUseCaseTest {
    private static final RoomName LOBBY = RoomName.of("lobby");

    private ParleyNode node = ParleyNode.start();

    @AfterEach
    void stop() {
        node.close();
    }

    private Epoch epoch() {
        return ParleyNode.await(node.memoryStore.streamState(LOBBY)).epoch();
    }

    private static StreamPosition since(long seq, Epoch epoch) {
        return new StreamPosition(seq, epoch);
    }

    /** Joins as a driving adapter that answers but has not handed the join over (yet). */
    private Joined joinedWithoutHandOver(Client client, RoomName room) {
        return ParleyNode.joined(ParleyNode.await(node.membership.join(new JoinRoomCommand(client.id, room,
                Optional.empty()))));
    }

    // --- the answer ------------------------------------------------------------------------------

    @Test
    void given_new_room_when_joined_then_ack_carries_the_epoch_seq_zero_no_recovery_and_the_joiner_as_presence() {
        Client alice = node.connect("alice");

        Joined joined = alice.join(LOBBY);

        assertThat(joined).extracting(Joined::room, Joined::epoch, Joined::latestSeq, Joined::recovered,
                Joined::replayed, Joined::presence).containsExactly(LOBBY, epoch(), 0L, false, 0, List.of(alice.user()));
    }

    @Test
    void given_room_with_members_when_joined_then_ack_presence_lists_everyone_in_arrival_order() {
        Client carol = node.connect("carol");
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        carol.join(LOBBY);
        alice.join(LOBBY);

        Joined joined = bob.join(LOBBY);

        assertThat(joined.presence()).containsExactly(carol.user(), alice.user(), bob.user());
    }

    @Test
    void given_room_with_messages_when_joined_without_since_then_ack_has_latest_seq_and_only_later_messages_arrive() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        bob.send(LOBBY, "one");
        bob.send(LOBBY, "two");
        Client alice = node.connect("alice");

        Joined joined = alice.join(LOBBY);
        bob.send(LOBBY, "three");

        assertThat(joined.latestSeq()).isEqualTo(2);
        assertThat(joined.recovered()).isFalse();
        assertThat(joined.replayed()).isZero();
        assertThat(alice.chats()).extracting(ChatMessage::seq).containsExactly(3L);
        assertThat(alice.chats()).extracting(message -> message.text().value()).containsExactly("three");
    }

    // --- recovery ---------------------------------------------------------------------------------

    @Test
    void given_since_in_the_rooms_epoch_when_joined_then_ack_then_exactly_the_missed_messages_in_order_then_live_ones() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        for (int i = 1; i <= 5; i++) {
            bob.send(LOBBY, "message " + i);
        }
        Client alice = node.connect("alice");

        Joined joined = alice.join(LOBBY, since(2, epoch()));
        bob.send(LOBBY, "live");

        assertThat(joined.recovered()).isTrue();
        assertThat(joined.replayed()).isEqualTo(3);
        assertThat(joined.latestSeq()).isEqualTo(5);
        List<Object> received = alice.received();
        assertThat(received.get(0)).isSameAs(joined);
        assertThat(received.subList(1, received.size())).allMatch(item -> item instanceof RoomEvent.Posted);
        assertThat(alice.chatSeqs()).containsExactly(3L, 4L, 5L, 6L);
        assertThat(alice.chats().get(0)).isEqualTo(ParleyNode.await(node.memoryStore.range(LOBBY, 2, 3)).get(0));
    }

    @Test
    void given_since_at_the_latest_seq_when_joined_then_recovered_with_nothing_to_replay() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        bob.send(LOBBY, "one");
        Client alice = node.connect("alice");

        Joined joined = alice.join(LOBBY, since(1, epoch()));

        assertThat(joined.recovered()).isTrue();
        assertThat(joined.replayed()).isZero();
        assertThat(alice.chats()).isEmpty();
    }

    @Test
    void given_since_of_another_epoch_when_joined_then_not_recovered_and_nothing_replayed() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        bob.send(LOBBY, "one");
        bob.send(LOBBY, "two");
        Client alice = node.connect("alice");

        Joined joined = alice.join(LOBBY, since(1, Epoch.of("other-epoch")));
        bob.send(LOBBY, "three");

        assertThat(joined.recovered()).isFalse();
        assertThat(joined.replayed()).isZero();
        assertThat(joined.latestSeq()).isEqualTo(2);
        assertThat(joined.epoch()).isEqualTo(epoch());
        assertThat(alice.chatSeqs()).containsExactly(3L);
    }

    @Test
    void given_since_beyond_the_latest_seq_when_joined_then_not_recovered() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        bob.send(LOBBY, "one");
        Client alice = node.connect("alice");

        Joined joined = alice.join(LOBBY, since(7, epoch()));

        assertThat(joined.recovered()).isFalse();
        assertThat(joined.replayed()).isZero();
        assertThat(alice.chats()).isEmpty();
    }

    @Test
    void given_since_older_than_what_is_retained_when_joined_then_not_recovered() {
        node.close();
        node = ParleyNode.builder().retention(3).start();
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        for (int i = 1; i <= 5; i++) {
            bob.send(LOBBY, "message " + i);
        }
        Client alice = node.connect("alice");
        Client carol = node.connect("carol");

        Joined lost = alice.join(LOBBY, since(1, epoch()));
        Joined justRetained = carol.join(LOBBY, since(2, epoch()));

        assertThat(lost.recovered()).isFalse();
        assertThat(lost.replayed()).isZero();
        assertThat(alice.chats()).isEmpty();
        assertThat(justRetained.recovered()).isTrue();
        assertThat(carol.chatSeqs()).containsExactly(3L, 4L, 5L);
    }

    @Test
    void given_retention_drops_messages_while_the_replay_is_read_when_the_join_completes_then_not_recovered_rather_than_a_hole() {
        node.close();
        node = ParleyNode.builder().retention(3).start();
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        for (int i = 1; i <= 3; i++) {
            bob.send(LOBBY, "before " + i);
        }
        Client alice = node.connect("alice");
        CompletableFuture<Void> rangeRead = node.store.holdRanges();
        CompletableFuture<JoinOutcome> joining = alice.joining(LOBBY, Optional.of(since(0, epoch())));

        bob.send(LOBBY, "evicts 1");
        bob.send(LOBBY, "evicts 2");
        rangeRead.complete(null);
        Joined joined = ParleyNode.joined(ParleyNode.await(joining));

        assertThat(alice.received().get(0)).isSameAs(joined);
        assertThat(joined.latestSeq()).isEqualTo(3);
        assertThat(joined.recovered()).isFalse();
        assertThat(joined.replayed()).isZero();
        assertThat(alice.chatSeqs()).containsExactly(4L, 5L);
    }

    @Test
    void given_messages_posted_while_the_replay_is_read_when_the_join_completes_then_none_is_missing_or_repeated() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        for (int i = 1; i <= 3; i++) {
            bob.send(LOBBY, "before " + i);
        }
        Client alice = node.connect("alice");
        CompletableFuture<Void> rangeHeld = node.store.holdRanges();
        CompletableFuture<JoinOutcome> joining = alice.joining(LOBBY, Optional.of(since(1, epoch())));
        assertThat(joining).isNotDone();

        bob.send(LOBBY, "during 4");
        bob.send(LOBBY, "during 5");
        assertThat(alice.received()).as("nothing before the answer").isEmpty();
        rangeHeld.complete(null);
        Joined joined = ParleyNode.joined(ParleyNode.await(joining));
        bob.send(LOBBY, "after 6");

        assertThat(alice.received().get(0)).isSameAs(joined);
        assertThat(joined.latestSeq()).isEqualTo(3);
        assertThat(joined.replayed()).isEqualTo(2);
        assertThat(alice.chatSeqs()).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(bob.chatSeqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    // --- the hand-over -----------------------------------------------------------------------------

    @Test
    void given_joined_answers_whose_hand_over_has_not_run_when_the_room_gets_messages_then_they_wait_and_a_leave_frees_them() {
        Client alice = node.connect("alice");
        Client carol = node.connect("carol");
        Joined aliceJoined = joinedWithoutHandOver(alice, LOBBY);
        Joined carolJoined = joinedWithoutHandOver(carol, LOBBY);

        for (String id : List.of("announcement-1", "announcement-2")) {
            ParleyNode.await(node.chat.publish(new PublishServerMessageCommand(LOBBY, RequestId.of(id),
                    new MessageText(id), Optional.empty())));
        }

        assertThat(alice.events()).as("waiting for the hand-over").isEmpty();
        assertThat(carol.events()).as("waiting for the hand-over").isEmpty();
        carolJoined.handOver().deliver();
        assertThat(carol.chatSeqs()).as("what waited, once handed over").containsExactly(1L, 2L);
        assertThat(alice.leave(LOBBY)).isEqualTo(new LeaveOutcome.Left(LOBBY));
        aliceJoined.handOver().deliver();
        assertThat(alice.events()).as("the leave dropped what waited for it").isEmpty();
        carol.leave(LOBBY);
        assertThat(node.rooms.roomCount()).isZero();
        assertThat(node.memoryFanOut.subscribedRooms()).isZero();
    }

    @Test
    void given_a_joined_answer_when_the_connection_closes_before_the_hand_over_then_it_gets_no_events_and_leaves_no_ghost() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        Client alice = node.connect("alice");
        Joined joined = joinedWithoutHandOver(alice, LOBBY);
        bob.send(LOBBY, "before the close");

        alice.disconnect();
        joined.handOver().deliver();
        bob.send(LOBBY, "after the close");

        assertThat(alice.events()).isEmpty();
        assertThat(bob.presence(LOBBY)).containsExactly(bob.user());
        assertThat(bob.presenceEvents()).containsExactly(
                new RoomEvent.PresenceChanged(LOBBY, true, alice.user(), 2, alice.id),
                new RoomEvent.PresenceChanged(LOBBY, false, alice.user(), 1, alice.id));
        assertThat(bob.chatSeqs()).containsExactly(1L, 2L);
    }

    // --- rejoin and leave ---------------------------------------------------------------------------

    @Test
    void given_joined_connection_when_it_joins_again_then_answered_as_a_fresh_join_and_nothing_is_delivered_twice() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        bob.send(LOBBY, "one");

        Joined again = alice.join(LOBBY);
        bob.send(LOBBY, "two");
        bob.send(LOBBY, "three");

        assertThat(again).extracting(Joined::room, Joined::epoch, Joined::latestSeq, Joined::recovered,
                Joined::replayed, Joined::presence)
                .containsExactly(LOBBY, epoch(), 1L, false, 0, List.of(alice.user(), bob.user()));
        assertThat(alice.chatSeqs()).containsExactly(1L, 2L, 3L);
        assertThat(bob.presenceEvents()).as("a rejoin is no arrival").isEmpty();
        assertThat(bob.presence(LOBBY)).containsExactly(alice.user(), bob.user());
    }

    @Test
    void given_room_not_joined_when_left_then_acknowledged() {
        Client alice = node.connect("alice");

        assertThat(alice.leave(LOBBY)).isEqualTo(new LeaveOutcome.Left(LOBBY));
    }

    @Test
    void given_joined_room_when_left_then_acknowledged_and_nothing_more_arrives() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        bob.send(LOBBY, "one");

        LeaveOutcome left = alice.leave(LOBBY);
        bob.send(LOBBY, "two");

        assertThat(left).isEqualTo(new LeaveOutcome.Left(LOBBY));
        assertThat(alice.chatSeqs()).containsExactly(1L);
        assertThat(alice.sendRefused(LOBBY, "still here?")).isEqualTo(Refusal.NOT_MEMBER);
        assertThat(bob.presence(LOBBY)).containsExactly(bob.user());
    }

    @Test
    void given_left_room_when_joined_again_then_it_hears_the_room_again() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        alice.leave(LOBBY);
        bob.send(LOBBY, "while away");

        Joined back = alice.join(LOBBY);
        bob.send(LOBBY, "welcome back");

        assertThat(back.latestSeq()).isEqualTo(1);
        assertThat(alice.chatSeqs()).containsExactly(2L);
    }

    @Test
    void given_join_waiting_for_the_presence_store_when_the_connection_closes_then_it_leaves_no_ghost_behind() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        Client alice = node.connect("alice");
        CompletableFuture<Void> presenceAnswer = node.presence.holdMembers();
        CompletableFuture<JoinOutcome> joining = alice.joining(LOBBY);
        assertThat(joining).isNotDone();

        alice.disconnect();
        presenceAnswer.complete(null);
        assertThat(ParleyNode.await(joining)).isInstanceOf(NotConnected.class);
        bob.send(LOBBY, "is anyone else here?");

        assertThat(bob.presence(LOBBY)).containsExactly(bob.user());
        assertThat(bob.presenceEvents()).isEmpty();
        assertThat(alice.chats()).isEmpty();
        assertThat(node.connect("alice").join(RoomName.of("other")).presence()).hasSize(1);
    }

    @Test
    void given_presence_store_applies_a_join_after_the_leave_of_a_connection_that_closed_when_the_join_completes_then_no_ghost_remains() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        Client alice = node.connect("alice");
        CompletableFuture<Void> joinApplied = node.presence.holdJoins();
        CompletableFuture<JoinOutcome> joining = alice.joining(LOBBY);
        assertThat(joining).isNotDone();

        alice.disconnect();
        joinApplied.complete(null);
        ParleyNode.await(joining);
        bob.send(LOBBY, "is anyone else here?");

        assertThat(bob.presence(LOBBY)).containsExactly(bob.user());
        assertThat(bob.presenceEvents()).isEmpty();
        assertThat(alice.events()).isEmpty();
    }

    @Test
    void given_join_under_way_in_a_room_that_closed_when_the_connection_joins_again_meanwhile_then_both_are_answered_and_the_latest_delivers() {
        Client alice = node.connect("alice");
        CompletableFuture<Void> firstRoomRead = node.store.holdStreamStates();
        CompletableFuture<JoinOutcome> first = alice.joining(LOBBY);
        node.store.stopHoldingStreamStates();
        alice.leave(LOBBY);
        CompletableFuture<Void> secondRoomRead = node.store.holdStreamStates();
        CompletableFuture<JoinOutcome> second = alice.joining(LOBBY);
        node.store.stopHoldingStreamStates();

        firstRoomRead.complete(null);
        JoinOutcome firstOutcome = ParleyNode.await(first);
        secondRoomRead.complete(null);
        JoinOutcome secondOutcome = ParleyNode.await(second);
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        bob.send(LOBBY, "hello alice");

        assertThat(firstOutcome).as("the overtaken join is answered").isInstanceOf(Joined.class);
        assertThat(secondOutcome).as("the join in force is answered").isInstanceOf(Joined.class);
        assertThat(alice.chatSeqs()).containsExactly(1L);
    }

    @Test
    void given_join_under_way_when_the_connection_leaves_before_it_completes_then_both_are_answered_and_nothing_is_heard() {
        Client alice = node.connect("alice");
        CompletableFuture<Void> roomRead = node.store.holdStreamStates();
        CompletableFuture<JoinOutcome> joining = alice.joining(LOBBY);
        node.store.stopHoldingStreamStates();
        alice.leave(LOBBY);

        roomRead.complete(null);
        JoinOutcome outcome = ParleyNode.await(joining);
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        bob.send(LOBBY, "hello?");

        assertThat(outcome).as("the overtaken join is answered").isInstanceOf(Joined.class);
        assertThat(alice.chatSeqs()).isEmpty();
        assertThat(bob.presence(LOBBY)).containsExactly(bob.user());
    }

    // --- refusals ------------------------------------------------------------------------------------

    @Test
    void given_private_room_without_grant_when_joined_then_forbidden() {
        Client alice = node.connect("alice", "private:team-*");

        assertThat(alice.joinRefused(RoomName.of("private:board"))).isEqualTo(Refusal.FORBIDDEN);
        assertThat(alice.join(RoomName.of("private:team-red")).room()).isEqualTo(RoomName.of("private:team-red"));
        assertThat(alice.sendRefused(RoomName.of("private:board"), "in?")).isEqualTo(Refusal.NOT_MEMBER);
        alice.send(RoomName.of("private:team-red"), "in");
    }

    @Test
    void given_another_users_personal_room_when_joined_then_forbidden() {
        Client alice = node.connect("alice");

        assertThat(alice.joinRefused(RoomName.of("user:bob"))).isEqualTo(Refusal.FORBIDDEN);
        assertThat(alice.join(RoomName.of("user:alice")).room()).isEqualTo(RoomName.of("user:alice"));
        assertThat(ParleyNode.await(node.memoryPresence.members(RoomName.of("user:bob")))).isEmpty();
    }

    @Test
    void given_connection_at_its_room_limit_when_joining_another_room_then_too_many_rooms_but_rejoins_are_fine() {
        node.close();
        node = ParleyNode.builder().limits(ParleyNode.limits(2, 10, 10_000)).start();
        Client alice = node.connect("alice");
        alice.join(RoomName.of("one"));
        alice.join(RoomName.of("two"));

        assertThat(alice.joinRefused(RoomName.of("three"))).isEqualTo(Refusal.TOO_MANY_ROOMS);
        assertThat(alice.join(RoomName.of("two")).room()).isEqualTo(RoomName.of("two"));
        alice.leave(RoomName.of("one"));
        assertThat(alice.join(RoomName.of("three")).room()).isEqualTo(RoomName.of("three"));
        assertThat(node.connect("alice").join(RoomName.of("four")).room()).as("the limit is per connection")
                .isEqualTo(RoomName.of("four"));
    }

    @Test
    void given_room_at_its_member_limit_when_another_user_joins_then_room_full_but_the_same_users_other_tab_is_fine() {
        node.close();
        node = ParleyNode.builder().limits(ParleyNode.limits(100, 10, 2)).start();
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);

        assertThat(node.connect("carol").joinRefused(LOBBY)).isEqualTo(Refusal.ROOM_FULL);
        assertThat(node.connect("alice").join(LOBBY).presence()).containsExactly(alice.user(), bob.user());
        assertThat(bob.presenceEvents()).as("refused and second-tab joins are no arrivals").isEmpty();
    }

    @Test
    void given_refused_join_when_the_room_gets_messages_then_the_refused_connection_hears_nothing() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        bob.join(RoomName.of("user:bob"));

        alice.joinRefused(RoomName.of("user:bob"));
        bob.send(RoomName.of("user:bob"), "private note");

        assertThat(alice.chats()).isEmpty();
        assertThat(alice.sendRefused(RoomName.of("user:bob"), "let me in")).isEqualTo(Refusal.NOT_MEMBER);
    }

    @Test
    void given_history_store_down_when_joined_then_unavailable_and_not_joined() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        Client alice = node.connect("alice");
        node.store.streamStateDown(true);

        JoinOutcome outcome = alice.joinOutcome(LOBBY);

        assertThat(outcome).isInstanceOf(Unavailable.class);
        assertThat(alice.received()).containsExactly(outcome);
        node.store.streamStateDown(false);
        assertThat(alice.sendRefused(LOBBY, "am I in?")).isEqualTo(Refusal.NOT_MEMBER);
        assertThat(bob.presence(LOBBY)).containsExactly(bob.user());
        assertThat(bob.presenceEvents()).isEmpty();
        bob.send(LOBBY, "one");
        assertThat(alice.chats()).isEmpty();
    }

    @Test
    void given_history_store_down_for_the_first_join_when_it_comes_back_then_the_room_can_be_joined() {
        Client alice = node.connect("alice");
        node.store.streamStateDown(true);
        assertThat(alice.joinOutcome(LOBBY)).isInstanceOf(Unavailable.class);
        assertThat(node.rooms.roomCount()).isZero();
        node.store.streamStateDown(false);

        Joined joined = alice.join(LOBBY);
        alice.send(LOBBY, "one");

        assertThat(joined.latestSeq()).isZero();
        assertThat(alice.chatSeqs()).containsExactly(1L);
    }
}

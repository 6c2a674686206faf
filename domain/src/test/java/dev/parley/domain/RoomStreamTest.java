package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The ordering and hand-over rules of one room's delivery: seq order, once each, from each
 * member's own starting point, and the hand-over from answer to replay to live events.
 */
class RoomStreamTest {
    private static final RoomName LOBBY = RoomName.of("lobby");
    private static final User ALICE = User.named("alice");

    private final RoomStream stream = new RoomStream(LOBBY);
    /** What each connection was sent, in order, as the owner would send it. */
    private final Map<ConnectionId, List<RoomEvent>> sent = new LinkedHashMap<>();
    private long tickets;

    private static ChatMessage message(long seq) {
        return new ChatMessage(LOBBY, seq, RequestId.of("m" + seq), ALICE, new MessageText("text " + seq),
                Optional.empty(), 1_000 + seq);
    }

    private static RoomEvent.Posted posted(long seq) {
        return new RoomEvent.Posted(message(seq));
    }

    /** What a watcher saw: every released event, in order. */
    private final List<RoomEvent> watched = new ArrayList<>();

    private void send(List<RoomStream.Dispatch> dispatches) {
        for (RoomStream.Dispatch dispatch : dispatches) {
            if (dispatch.released()) {
                watched.add(dispatch.event());
            }
            for (ConnectionId to : dispatch.recipients()) {
                sent.computeIfAbsent(to, id -> new ArrayList<>()).add(dispatch.event());
            }
        }
    }

    private void arrive(long... seqs) {
        for (long seq : seqs) {
            send(stream.accept(posted(seq)));
        }
    }

    private JoinTicket attach(ConnectionId connection) {
        JoinTicket ticket = new JoinTicket(connection, LOBBY, ++tickets);
        stream.attach(ticket);
        return ticket;
    }

    /** Attaches and hands over at once, as a join without {@code since} answered at {@code seq}. */
    private ConnectionId live(long answeredSeq) {
        ConnectionId connection = ConnectionId.random();
        JoinTicket ticket = attach(connection);
        send(stream.handOver(ticket, answeredSeq, List.of()).orElseThrow());
        return connection;
    }

    private List<Long> seqsSentTo(ConnectionId connection) {
        return sent.getOrDefault(connection, List.of()).stream()
                .filter(event -> event instanceof RoomEvent.Posted)
                .map(event -> ((RoomEvent.Posted) event).message().seq())
                .toList();
    }

    private List<RoomEvent> eventsSentTo(ConnectionId connection) {
        return sent.getOrDefault(connection, List.of());
    }

    @Test
    void given_chats_that_arrive_before_the_room_knows_its_latest_seq_when_it_starts_then_those_after_it_are_released_in_order() {
        ConnectionId member = live(0);
        arrive(4, 3, 2);

        send(stream.start(2));

        assertThat(seqsSentTo(member)).containsExactly(3L, 4L);
        assertThat(stream.isStarted()).isTrue();
    }

    @Test
    void given_the_bus_reorders_chats_when_they_arrive_then_members_get_them_in_seq_order() {
        stream.start(0);
        ConnectionId member = live(0);

        arrive(2, 3, 1, 5, 4);

        assertThat(seqsSentTo(member)).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void given_a_chat_delivered_twice_when_it_arrives_again_then_members_get_it_once() {
        stream.start(0);
        ConnectionId member = live(0);

        arrive(1, 1, 2, 1, 2);

        assertThat(seqsSentTo(member)).containsExactly(1L, 2L);
    }

    @Test
    void given_a_missing_seq_when_later_ones_arrive_then_the_gap_is_named_and_filling_it_releases_the_rest() {
        stream.start(0);
        ConnectionId member = live(0);
        arrive(1, 4, 5);

        assertThat(stream.gap()).contains(new ReorderBuffer.Gap(2, 3));
        arrive(3, 2);

        assertThat(stream.gap()).isEmpty();
        assertThat(seqsSentTo(member)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(stream.lastReleased()).isEqualTo(5);
    }

    @Test
    void given_chats_that_can_never_come_when_the_stream_skips_them_then_it_goes_on_after_them() {
        stream.start(0);
        ConnectionId member = live(0);
        arrive(1, 5, 6);

        stream.skipTo(3);
        arrive(4, 5, 6);

        assertThat(seqsSentTo(member)).containsExactly(1L, 4L, 5L, 6L);
    }

    @Test
    void given_a_chat_stored_before_a_join_was_answered_but_released_after_when_handed_over_then_only_those_not_covered_by_the_answer_get_it() {
        stream.start(0);
        ConnectionId before = live(0);
        ConnectionId joiner = ConnectionId.random();
        JoinTicket ticket = attach(joiner);
        arrive(1);

        send(stream.handOver(ticket, 1, List.of()).orElseThrow());
        arrive(2);

        assertThat(seqsSentTo(before)).containsExactly(1L, 2L);
        assertThat(seqsSentTo(joiner)).as("its answer said seq 1 already").containsExactly(2L);
    }

    @Test
    void given_chats_released_while_the_replay_is_read_when_handed_over_then_replay_then_the_rest_none_missing_or_repeated() {
        stream.start(3);
        ConnectionId joiner = ConnectionId.random();
        JoinTicket ticket = attach(joiner);
        arrive(4, 5);

        send(stream.handOver(ticket, 4, List.of(message(2), message(3), message(4))).orElseThrow());
        arrive(6);

        assertThat(seqsSentTo(joiner)).containsExactly(2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void given_chats_released_before_the_join_read_the_stream_state_when_handed_over_then_none_is_repeated_after_the_replay() {
        stream.start(0);
        ConnectionId joiner = ConnectionId.random();
        JoinTicket ticket = attach(joiner);
        arrive(1, 2, 3);

        // The answer was read after 1..3 were released: its seq and its replay cover them.
        send(stream.handOver(ticket, 3, List.of(message(1), message(2), message(3))).orElseThrow());

        assertThat(seqsSentTo(joiner)).containsExactly(1L, 2L, 3L);
    }

    @Test
    void given_a_joining_member_when_typing_and_presence_events_pass_then_it_gets_them_after_the_hand_over_in_order() {
        stream.start(0);
        ConnectionId other = ConnectionId.random();
        ConnectionId joiner = ConnectionId.random();
        JoinTicket ticket = attach(joiner);
        RoomEvent typing = new RoomEvent.Typing(LOBBY, ALICE, true, other);
        RoomEvent presence = new RoomEvent.PresenceChanged(LOBBY, true, ALICE, 2, other);
        send(stream.accept(typing));
        arrive(1);
        send(stream.accept(presence));
        assertThat(eventsSentTo(joiner)).as("nothing before the hand-over").isEmpty();

        send(stream.handOver(ticket, 0, List.of()).orElseThrow());

        assertThat(eventsSentTo(joiner)).containsExactly(typing, posted(1), presence);
    }

    @Test
    void given_typing_or_presence_of_a_connection_when_passed_on_then_everyone_else_live_hears_it_and_it_does_not() {
        stream.start(0);
        ConnectionId origin = live(0);
        ConnectionId other = live(0);
        RoomEvent typing = new RoomEvent.Typing(LOBBY, ALICE, true, origin);

        send(stream.accept(typing));

        assertThat(eventsSentTo(other)).containsExactly(typing);
        assertThat(eventsSentTo(origin)).isEmpty();
    }

    @Test
    void given_a_member_when_it_joins_again_then_it_starts_over_and_nothing_is_delivered_twice() {
        stream.start(0);
        ConnectionId member = ConnectionId.random();
        send(stream.handOver(attach(member), 0, List.of()).orElseThrow());
        arrive(1, 2);

        JoinTicket rejoin = attach(member);
        arrive(3);
        send(stream.handOver(rejoin, 2, List.of()).orElseThrow());
        arrive(4);

        assertThat(seqsSentTo(member)).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void given_a_join_overtaken_by_a_later_one_when_the_first_is_handed_over_then_nothing_is_sent_for_it() {
        stream.start(0);
        ConnectionId member = ConnectionId.random();
        JoinTicket first = attach(member);
        JoinTicket second = attach(member);

        assertThat(stream.handOver(first, 0, List.of(message(1)))).isEmpty();
        assertThat(stream.isJoining(first)).isFalse();
        assertThat(stream.isJoining(second)).isTrue();
    }

    @Test
    void given_a_stale_ticket_when_abandoned_then_the_member_of_the_later_join_stays() {
        stream.start(0);
        ConnectionId member = ConnectionId.random();
        JoinTicket first = attach(member);
        JoinTicket second = attach(member);

        assertThat(stream.abandon(first)).as("room empty").isFalse();
        send(stream.handOver(second, 0, List.of()).orElseThrow());
        arrive(1);

        assertThat(seqsSentTo(member)).containsExactly(1L);
        assertThat(stream.abandon(second)).as("room empty").isTrue();
    }

    @Test
    void given_the_last_member_when_it_detaches_then_the_room_is_empty_and_it_hears_nothing_more() {
        stream.start(0);
        ConnectionId member = live(0);

        assertThat(stream.detach(member)).isTrue();
        arrive(1);

        assertThat(stream.isEmpty()).isTrue();
        assertThat(seqsSentTo(member)).isEmpty();
    }

    @Test
    void given_members_that_joined_at_different_points_when_a_long_run_of_chats_arrives_shuffled_then_each_gets_a_gap_free_run_from_its_start() {
        stream.start(0);
        ConnectionId early = live(0);
        arrive(1, 2, 3);
        ConnectionId middle = live(3);
        JoinTicket lateTicket = attach(ConnectionId.random());
        arrive(6, 4, 5, 8, 7);
        send(stream.handOver(lateTicket, 5, List.of()).orElseThrow());
        arrive(10, 9);

        assertThat(seqsSentTo(early)).isEqualTo(LongStream.rangeClosed(1, 10).boxed().toList());
        assertThat(seqsSentTo(middle)).isEqualTo(LongStream.rangeClosed(4, 10).boxed().toList());
        assertThat(seqsSentTo(lateTicket.connection())).isEqualTo(LongStream.rangeClosed(6, 10).boxed().toList());
    }

    @Test
    void given_an_event_or_a_ticket_of_another_room_when_offered_then_illegal_argument() {
        RoomName other = RoomName.of("other");

        assertThatIllegalArgumentException().isThrownBy(() -> stream.accept(
                new RoomEvent.Typing(other, ALICE, true, ConnectionId.random())));
        assertThatIllegalArgumentException().isThrownBy(() -> stream.attach(
                new JoinTicket(ConnectionId.random(), other, 1)));
    }

    @Test
    void given_a_broadcast_leaving_one_connection_out_when_passed_on_then_the_others_hear_it_and_a_joiner_after_its_hand_over() {
        stream.start(0);
        ConnectionId sender = live(0);
        ConnectionId other = live(0);
        JoinTicket joining = attach(ConnectionId.random());
        RoomEvent event = new RoomEvent.Broadcast(LOBBY, "client-moved", "{\"x\":1}", Optional.of(sender),
                Optional.of(ALICE));

        send(stream.accept(event));
        assertThat(eventsSentTo(joining.connection())).isEmpty();
        send(stream.handOver(joining, 0, List.of()).orElseThrow());

        assertThat(eventsSentTo(other)).containsExactly(event);
        assertThat(eventsSentTo(joining.connection())).containsExactly(event);
        assertThat(eventsSentTo(sender)).isEmpty();
    }

    @Test
    void given_a_broadcast_that_leaves_nobody_out_when_passed_on_then_every_live_member_hears_it() {
        stream.start(0);
        ConnectionId first = live(0);
        ConnectionId second = live(0);
        RoomEvent event = new RoomEvent.Broadcast(LOBBY, "deploy", "{}", Optional.empty(), Optional.empty());

        send(stream.accept(event));

        assertThat(eventsSentTo(first)).containsExactly(event);
        assertThat(eventsSentTo(second)).containsExactly(event);
    }

    @Test
    void given_a_watcher_when_chats_arrive_shuffled_and_a_member_joins_with_a_replay_then_it_sees_each_released_event_once_in_order_and_no_replay() {
        stream.start(0);
        stream.watch();
        ConnectionId member = live(0);
        arrive(2, 1);
        JoinTicket joiner = attach(ConnectionId.random());
        RoomEvent typing = new RoomEvent.Typing(LOBBY, ALICE, true, member);
        send(stream.accept(typing));
        send(stream.handOver(joiner, 0, List.of(message(1), message(2))).orElseThrow());
        arrive(3);

        assertThat(watched).containsExactly(posted(1), posted(2), typing, posted(3));
        assertThat(seqsSentTo(joiner.connection())).containsExactly(1L, 2L, 3L);
    }

    @Test
    void given_a_room_watched_but_without_members_when_events_arrive_then_the_watcher_sees_them_and_the_room_empties_only_when_it_stops() {
        stream.start(0);
        stream.watch();
        ConnectionId member = live(0);

        assertThat(stream.detach(member)).as("a watcher keeps the room").isFalse();
        arrive(1);
        RoomEvent left = new RoomEvent.PresenceChanged(LOBBY, false, ALICE, 0, member);
        send(stream.accept(left));

        assertThat(watched).containsExactly(posted(1), left);
        assertThat(stream.unwatch()).isTrue();
        assertThat(stream.isEmpty()).isTrue();
    }
}

package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.adapters.memory.usecases.ParleyNode.Client;
import dev.parley.application.port.in.NodesOutcome;
import dev.parley.application.port.in.PublishServerMessageCommand;
import dev.parley.application.port.in.QueryRoomsCommand;
import dev.parley.application.port.in.RoomOutcome;
import dev.parley.application.port.in.RoomsOutcome;
import dev.parley.application.port.in.TraceOutcome;
import dev.parley.application.port.in.TraceRoomCommand;
import dev.parley.application.port.in.UserConnectionsOutcome;
import dev.parley.application.port.out.AckLatency;
import dev.parley.application.port.out.NodeReport;
import dev.parley.application.port.out.UserConnection;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.UserId;
import dev.parley.domain.NodeId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the operator's view asks of the core: rooms, a room, a user's connections, the nodes, a room's trace. */
class OperatorUseCaseTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private final ParleyNode node = ParleyNode.builder().retention(3).start();

    @AfterEach
    void stop() {
        node.close();
    }

    private static String text(RoomEvent event) {
        return event instanceof RoomEvent.Posted posted ? posted.message().text().value()
                : event.getClass().getSimpleName();
    }

    @Test
    void given_a_trace_when_members_chat_type_and_leave_then_it_sees_each_event_once_in_order_until_stopped() {
        RoomName lobby = RoomName.of("lobby");
        Client ann = node.connect("ann");
        ann.join(lobby);
        List<RoomEvent> traced = new CopyOnWriteArrayList<>();
        TraceOutcome.Tracing tracing = (TraceOutcome.Tracing) ParleyNode.await(
                node.traces.trace(new TraceRoomCommand(lobby, traced::add)));

        ann.send(lobby, "one");
        ann.typing(lobby, true);
        Client bob = node.connect("bob");
        bob.join(lobby);
        ann.send(lobby, "two");
        await().atMost(PATIENCE).until(() -> traced.size() == 4);
        tracing.stop().run();
        ann.send(lobby, "after the trace");

        assertThat(traced).extracting(OperatorUseCaseTest::text)
                .containsExactly("one", "Typing", "PresenceChanged", "two");
        assertThat(ParleyNode.await(bob.joining(lobby))).isNotNull();
        await().during(Duration.ofMillis(200)).atMost(PATIENCE).until(() -> traced.size() == 4);
    }

    @Test
    void given_a_room_only_traced_when_the_operator_posts_then_the_trace_sees_it_and_the_room_is_not_counted_as_occupied() {
        RoomName empty = RoomName.of("quiet");
        List<RoomEvent> traced = new CopyOnWriteArrayList<>();
        TraceOutcome.Tracing tracing = (TraceOutcome.Tracing) ParleyNode.await(
                node.traces.trace(new TraceRoomCommand(empty, traced::add)));

        ParleyNode.await(node.chat.publish(new PublishServerMessageCommand(empty, RequestId.of("op-1"),
                new MessageText("maintenance at noon"), Optional.empty())));

        await().atMost(PATIENCE).until(() -> traced.size() == 1);
        assertThat(text(traced.get(0))).isEqualTo("maintenance at noon");
        assertThat(node.rooms.roomCount()).isZero();
        tracing.stop().run();
        tracing.stop().run();
    }

    @Test
    void given_a_room_with_history_beyond_its_retention_when_the_operator_looks_then_members_last_seq_and_history_depth() {
        RoomName lobby = RoomName.of("kept");
        Client ann = node.connect("ann");
        ann.join(lobby);
        for (int i = 1; i <= 5; i++) {
            ann.send(lobby, "m" + i);
        }

        RoomOutcome.Room room = (RoomOutcome.Room) ParleyNode.await(node.queries.room(lobby));

        assertThat(room.members()).extracting(user -> user.id().value()).containsExactly("ann");
        assertThat(room.stream().latestSeq()).isEqualTo(5);
        assertThat(room.historyDepth()).as("retention 3").isEqualTo(3);
        RoomOutcome.Room never = (RoomOutcome.Room) ParleyNode.await(node.queries.room(RoomName.of("never")));
        assertThat(never.members()).isEmpty();
        assertThat(never.historyDepth()).isZero();
    }

    @Test
    void given_rooms_with_members_when_listed_a_page_at_a_time_then_by_name_with_streams_and_has_more_until_the_last() {
        Client ann = node.connect("ann");
        for (String name : List.of("b", "a", "d", "c")) {
            ann.join(RoomName.of("page-" + name));
        }
        ann.send(RoomName.of("page-b"), "hello");

        RoomsOutcome.Rooms first = (RoomsOutcome.Rooms) ParleyNode.await(node.queries.rooms(
                new QueryRoomsCommand("page-", Optional.empty(), 3, true)));
        RoomsOutcome.Rooms rest = (RoomsOutcome.Rooms) ParleyNode.await(node.queries.rooms(
                new QueryRoomsCommand("page-", Optional.of(RoomName.of("page-c")), 3, true)));

        assertThat(first.rooms()).extracting(room -> room.occupancy().room().value())
                .containsExactly("page-a", "page-b", "page-c");
        assertThat(first.hasMore()).isTrue();
        assertThat(first.rooms().get(1).stream().orElseThrow().latestSeq()).isEqualTo(1);
        assertThat(rest.rooms()).extracting(room -> room.occupancy().room().value()).containsExactly("page-d");
        assertThat(rest.hasMore()).isFalse();
    }

    @Test
    void given_a_user_with_two_connections_when_the_operator_looks_them_up_then_each_with_node_and_rooms() {
        Client first = node.connect("ann");
        Client second = node.connect("ann");
        first.join(RoomName.of("lobby"));

        UserConnectionsOutcome.Connections found = (UserConnectionsOutcome.Connections)
                ParleyNode.await(node.users.connections(UserId.of("ann")));

        assertThat(found.connections()).extracting(UserConnection::id).containsExactlyInAnyOrder(first.id, second.id);
        assertThat(found.connections()).filteredOn(connection -> connection.id().equals(first.id))
                .singleElement().satisfies(connection -> assertThat(connection.rooms()).containsExactly(RoomName.of("lobby")));
    }

    @Test
    void given_a_started_node_with_chats_when_the_nodes_are_listed_then_its_figures_and_once_stopped_it_is_gone() {
        Client ann = node.connect("ann");
        Client bob = node.connect("bob");
        RoomName lobby = RoomName.of("lobby");
        ann.join(lobby);
        bob.join(lobby);
        node.ackLatency = Optional.of(new AckLatency(1.5, 7.0));
        for (int i = 0; i < 20; i++) {
            ann.send(lobby, "m" + i);
        }
        node.node.start();

        await().atMost(PATIENCE).untilAsserted(() -> {
            NodesOutcome.Nodes nodes = (NodesOutcome.Nodes) ParleyNode.await(node.node.nodes());
            assertThat(nodes.nodes()).hasSize(1);
            NodeReport report = nodes.nodes().get(0);
            assertThat(report.connections()).isEqualTo(2);
            assertThat(report.rooms()).isEqualTo(1);
            assertThat(report.chatsPerSecond()).as("20 chats in the window").isGreaterThan(0);
            assertThat(report.deliveriesPerSecond()).as("each chat to both").isEqualTo(2 * report.chatsPerSecond());
            assertThat(report.ack()).contains(new AckLatency(1.5, 7.0));
        });
        ParleyNode.await(node.node.stop());

        assertThat(((NodesOutcome.Nodes) ParleyNode.await(node.node.nodes())).nodes()).isEmpty();
    }

    @Test
    void given_a_listed_node_that_never_answers_when_a_users_connections_are_asked_then_the_others_answers_come_after_the_patience() {
        Client ann = node.connect("ann");
        ParleyNode.await(node.directory.report(new NodeReport(NodeId.of("ghost"), Instant.now(), 0, 0, 0, 0,
                Optional.empty())));
        long started = System.nanoTime();

        UserConnectionsOutcome.Connections found = (UserConnectionsOutcome.Connections)
                ParleyNode.await(node.users.connections(UserId.of("ann")));

        assertThat(found.connections()).extracting(UserConnection::id).containsExactly(ann.id);
        assertThat(found.connections().get(0).node()).isEqualTo(ParleyNode.NODE);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited for the ghost")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
    }
}

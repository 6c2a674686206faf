package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.adapters.memory.usecases.ParleyNode.Client;
import dev.parley.application.port.in.HistoryOutcome;
import dev.parley.application.port.in.QueryHistoryCommand;
import dev.parley.application.port.in.Requester;
import dev.parley.application.port.in.Unavailable;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.Refusal;
import dev.parley.domain.RoomName;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading a room's history: needs the right to join it, not a join. */
class HistoryUseCaseTest {
    private static final RoomName LOBBY = RoomName.of("lobby");

    private final ParleyNode node = ParleyNode.start();
    private Client author;

    @BeforeEach
    void tenMessages() {
        author = node.connect("author");
        author.join(LOBBY);
        for (int i = 1; i <= 10; i++) {
            author.send(LOBBY, "message " + i);
        }
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private HistoryOutcome operatorReads(HistoryQuery query) {
        return ParleyNode.await(node.queries.history(new QueryHistoryCommand(Requester.OPERATOR, query)));
    }

    @Test
    void given_ten_messages_when_a_non_member_reads_the_newest_then_ack_with_the_newest_page_ascending() {
        Client reader = node.connect("reader");

        HistoryPage page = reader.history(LOBBY, OptionalLong.empty(), OptionalLong.empty(), 3);

        assertThat(page.room()).isEqualTo(LOBBY);
        assertThat(page.messages()).extracting(ChatMessage::seq).containsExactly(8L, 9L, 10L);
        assertThat(page.messages()).extracting(message -> message.text().value())
                .containsExactly("message 8", "message 9", "message 10");
        assertThat(page.hasMore()).isTrue();
        assertThat(reader.chats()).as("history comes in the ack, not as chat events").isEmpty();
    }

    @Test
    void given_ten_messages_when_read_after_and_before_then_pages_in_their_direction() {
        Client reader = node.connect("reader");

        HistoryPage after = reader.history(LOBBY, OptionalLong.of(7), OptionalLong.empty(), 5);
        HistoryPage before = reader.history(LOBBY, OptionalLong.empty(), OptionalLong.of(4), 2);

        assertThat(after.messages()).extracting(ChatMessage::seq).containsExactly(8L, 9L, 10L);
        assertThat(after.hasMore()).isFalse();
        assertThat(before.messages()).extracting(ChatMessage::seq).containsExactly(2L, 3L);
        assertThat(before.hasMore()).isTrue();
    }

    @Test
    void given_room_the_user_may_not_access_when_history_read_then_forbidden() {
        author.join(RoomName.of("user:author"));
        author.send(RoomName.of("user:author"), "note to self");
        Client alice = node.connect("alice");
        HistoryQuery personal = new HistoryQuery(RoomName.of("user:author"), OptionalLong.empty(), OptionalLong.empty(), 50);
        HistoryQuery secret = new HistoryQuery(RoomName.of("private:secret"), OptionalLong.empty(), OptionalLong.empty(), 50);

        assertThat(ParleyNode.refusal(alice.historyOutcome(personal))).isEqualTo(Refusal.FORBIDDEN);
        assertThat(ParleyNode.refusal(alice.historyOutcome(secret))).isEqualTo(Refusal.FORBIDDEN);
        assertThat(author.history(RoomName.of("user:author"), OptionalLong.empty(), OptionalLong.empty(), 50)
                .messages()).hasSize(1);
        assertThat(node.connect("insider", "private:*").history(RoomName.of("private:secret"), OptionalLong.empty(),
                OptionalLong.empty(), 50).messages()).isEmpty();
    }

    @Test
    void given_history_store_down_when_history_read_then_unavailable() {
        Client reader = node.connect("reader");
        node.store.down(true);

        HistoryOutcome outcome = reader.historyOutcome(
                new HistoryQuery(LOBBY, OptionalLong.empty(), OptionalLong.empty(), 5));

        assertThat(outcome).isInstanceOf(Unavailable.class);
    }

    @Test
    void given_ten_messages_when_the_operator_reads_a_page_then_it_gets_it_without_any_connection() {
        HistoryOutcome outcome = operatorReads(new HistoryQuery(LOBBY, OptionalLong.of(0), OptionalLong.empty(), 4));

        assertThat(outcome).isInstanceOf(HistoryOutcome.Page.class);
        HistoryPage page = ((HistoryOutcome.Page) outcome).page();
        assertThat(page.messages()).extracting(ChatMessage::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(page.hasMore()).isTrue();
    }

    @Test
    void given_a_private_room_and_no_connection_left_when_the_operator_reads_its_history_then_it_gets_the_page() {
        RoomName staff = RoomName.of("private:staff");
        Client insider = node.connect("insider", "private:staff");
        insider.join(staff);
        insider.send(staff, "staff only");
        insider.disconnect();
        author.disconnect();
        assertThat(node.sessions.size()).isZero();

        HistoryOutcome outcome = operatorReads(new HistoryQuery(staff, OptionalLong.empty(), OptionalLong.empty(), 50));

        assertThat(outcome).isInstanceOf(HistoryOutcome.Page.class);
        assertThat(((HistoryOutcome.Page) outcome).page().messages()).extracting(message -> message.text().value())
                .containsExactly("staff only");
    }
}

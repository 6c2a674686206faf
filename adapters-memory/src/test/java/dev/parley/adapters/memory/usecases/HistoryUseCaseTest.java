package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.adapters.memory.usecases.ParleyNode.Client;
import dev.parley.application.port.out.ServerMessage;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.ErrorCode;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.HistoryQuery;
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

    @Test
    void given_tenMessages_when_aNonMemberReadsTheNewest_then_ackWithTheNewestPageAscending() {
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
    void given_tenMessages_when_readAfterAndBefore_then_pagesInTheirDirection() {
        Client reader = node.connect("reader");

        HistoryPage after = reader.history(LOBBY, OptionalLong.of(7), OptionalLong.empty(), 5);
        HistoryPage before = reader.history(LOBBY, OptionalLong.empty(), OptionalLong.of(4), 2);

        assertThat(after.messages()).extracting(ChatMessage::seq).containsExactly(8L, 9L, 10L);
        assertThat(after.hasMore()).isFalse();
        assertThat(before.messages()).extracting(ChatMessage::seq).containsExactly(2L, 3L);
        assertThat(before.hasMore()).isTrue();
    }

    @Test
    void given_roomTheUserMayNotAccess_when_historyRead_then_forbidden() {
        author.join(RoomName.of("user:author"));
        author.send(RoomName.of("user:author"), "note to self");
        Client alice = node.connect("alice");
        HistoryQuery personal = new HistoryQuery(RoomName.of("user:author"), OptionalLong.empty(), OptionalLong.empty(), 50);
        HistoryQuery secret = new HistoryQuery(RoomName.of("private:secret"), OptionalLong.empty(), OptionalLong.empty(), 50);

        assertThat(ParleyNode.errorCode(alice.historyReply(personal))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(ParleyNode.errorCode(alice.historyReply(secret))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(author.history(RoomName.of("user:author"), OptionalLong.empty(), OptionalLong.empty(), 50)
                .messages()).hasSize(1);
        assertThat(node.connect("insider", "private:*").history(RoomName.of("private:secret"), OptionalLong.empty(),
                OptionalLong.empty(), 50).messages()).isEmpty();
    }

    @Test
    void given_historyStoreDown_when_historyRead_then_unavailable() {
        Client reader = node.connect("reader");
        node.store.down(true);

        ServerMessage reply = reader.historyReply(new HistoryQuery(LOBBY, OptionalLong.empty(), OptionalLong.empty(), 5));

        assertThat(ParleyNode.errorCode(reply)).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void given_tenMessages_when_theOperatorReadsAPage_then_itGetsItWithoutAnyConnection() {
        HistoryPage page = ParleyNode.await(node.queries.page(
                new HistoryQuery(LOBBY, OptionalLong.of(0), OptionalLong.empty(), 4)));

        assertThat(page.messages()).extracting(ChatMessage::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(page.hasMore()).isTrue();
    }
}

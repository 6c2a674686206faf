package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChatMessageTest {
    private static final RoomName ROOM = RoomName.of("lobby");
    private static final RequestId ID = RequestId.of("req-1");
    private static final User ALICE = User.named("alice");
    private static final MessageText TEXT = new MessageText("hello");
    private static final Optional<MessageData> DATA = Optional.of(new MessageData("{\"k\":1}"));

    private static MessageDraft draft() {
        return new MessageDraft(ROOM, ID, ALICE, TEXT, DATA);
    }

    @Test
    void given_draft_when_stored_then_message_carries_its_fields_plus_seq_and_time() {
        ChatMessage message = draft().stored(7, 1_732_500_000_000L);

        assertThat(message).isEqualTo(new ChatMessage(ROOM, 7, ID, ALICE, TEXT, DATA, 1_732_500_000_000L));
        assertThat(message.room()).isEqualTo(ROOM);
        assertThat(message.seq()).isEqualTo(7);
        assertThat(message.id()).isEqualTo(ID);
        assertThat(message.from()).isEqualTo(ALICE);
        assertThat(message.text()).isEqualTo(TEXT);
        assertThat(message.data()).isEqualTo(DATA);
        assertThat(message.sentAt()).isEqualTo(1_732_500_000_000L);
    }

    @Test
    void given_seq_one_and_two_to_the_53_when_storing_then_accepted() {
        assertThat(draft().stored(1, 0).seq()).isEqualTo(1);
        assertThat(draft().stored(StreamPosition.MAX_SEQ, 0).seq()).isEqualTo(StreamPosition.MAX_SEQ);
    }

    @Test
    void given_seq_zero_or_negative_or_beyond_two_to_the_53_when_storing_then_illegal_argument() {
        assertThatIllegalArgumentException().isThrownBy(() -> draft().stored(0, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> draft().stored(-1, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> draft().stored(StreamPosition.MAX_SEQ + 1, 0));
    }

    @Test
    void given_missing_part_when_constructing_draft_or_message_then_null_pointer() {
        assertThatNullPointerException().isThrownBy(() -> new MessageDraft(null, ID, ALICE, TEXT, DATA));
        assertThatNullPointerException().isThrownBy(() -> new MessageDraft(ROOM, null, ALICE, TEXT, DATA));
        assertThatNullPointerException().isThrownBy(() -> new MessageDraft(ROOM, ID, null, TEXT, DATA));
        assertThatNullPointerException().isThrownBy(() -> new MessageDraft(ROOM, ID, ALICE, null, DATA));
        assertThatNullPointerException().isThrownBy(() -> new MessageDraft(ROOM, ID, ALICE, TEXT, null));
        assertThatNullPointerException().isThrownBy(() -> new ChatMessage(null, 1, ID, ALICE, TEXT, DATA, 0));
        assertThatNullPointerException().isThrownBy(() -> new ChatMessage(ROOM, 1, null, ALICE, TEXT, DATA, 0));
        assertThatNullPointerException().isThrownBy(() -> new ChatMessage(ROOM, 1, ID, null, TEXT, DATA, 0));
        assertThatNullPointerException().isThrownBy(() -> new ChatMessage(ROOM, 1, ID, ALICE, null, DATA, 0));
        assertThatNullPointerException().isThrownBy(() -> new ChatMessage(ROOM, 1, ID, ALICE, TEXT, null, 0));
    }

    @Test
    void given_message_list_when_making_history_page_then_page_keeps_an_unmodifiable_copy() {
        List<ChatMessage> messages = new ArrayList<>(List.of(draft().stored(1, 0), draft().stored(2, 0)));

        HistoryPage page = new HistoryPage(ROOM, messages, true);
        messages.clear();

        assertThat(page.messages()).extracting(ChatMessage::seq).containsExactly(1L, 2L);
        assertThat(page.hasMore()).isTrue();
        assertThatThrownBy(() -> page.messages().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatNullPointerException().isThrownBy(() -> new HistoryPage(null, List.of(), false));
    }

    @Test
    void given_posted_message_when_asking_its_room_then_the_messages_room() {
        RoomEvent event = new RoomEvent.Posted(draft().stored(3, 0));

        assertThat(event.room()).isEqualTo(ROOM);
        assertThatNullPointerException().isThrownBy(() -> new RoomEvent.Posted(null));
    }

    @Test
    void given_typing_and_presence_events_when_constructing_then_fields_kept_and_nulls_refused() {
        ConnectionId origin = ConnectionId.of("c1");
        RoomEvent typing = new RoomEvent.Typing(ROOM, ALICE, true, origin);
        RoomEvent.PresenceChanged presence = new RoomEvent.PresenceChanged(ROOM, true, ALICE, 3, origin);

        assertThat(typing.room()).isEqualTo(ROOM);
        assertThat(presence.room()).isEqualTo(ROOM);
        assertThat(presence.count()).isEqualTo(3);
        assertThatNullPointerException().isThrownBy(() -> new RoomEvent.Typing(null, ALICE, true, origin));
        assertThatNullPointerException().isThrownBy(() -> new RoomEvent.Typing(ROOM, null, true, origin));
        assertThatNullPointerException().isThrownBy(() -> new RoomEvent.Typing(ROOM, ALICE, true, null));
        assertThatNullPointerException().isThrownBy(() -> new RoomEvent.PresenceChanged(null, true, ALICE, 1, origin));
        assertThatNullPointerException().isThrownBy(() -> new RoomEvent.PresenceChanged(ROOM, true, null, 1, origin));
        assertThatNullPointerException().isThrownBy(() -> new RoomEvent.PresenceChanged(ROOM, true, ALICE, 1, null));
    }
}

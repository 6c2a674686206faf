package dev.parley.adapters.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.parley.adapters.websocket.frames.ErrorCode;
import dev.parley.adapters.websocket.frames.ServerMessage;
import dev.parley.application.port.in.ChatOutcome;
import dev.parley.application.port.in.HistoryOutcome;
import dev.parley.application.port.in.JoinOutcome;
import dev.parley.application.port.in.LeaveOutcome;
import dev.parley.application.port.in.NotConnected;
import dev.parley.application.port.in.PresenceOutcome;
import dev.parley.application.port.in.Refused;
import dev.parley.application.port.in.TypingOutcome;
import dev.parley.application.port.in.Unavailable;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.Epoch;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.MessageText;
import dev.parley.domain.Refusal;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link Answers}: every outcome of a use case as this wire answers it (docs/protocol.md sections 3 and 6). */
class AnswersTest {
    private static final Optional<RequestId> R1 = Optional.of(RequestId.of("r1"));
    private static final RoomName LOBBY = RoomName.of("lobby");
    private static final User ALICE = User.named("alice");
    private static final ChatMessage MESSAGE = new ChatMessage(LOBBY, 7, RequestId.of("m7"), ALICE,
            new MessageText("hi"), Optional.empty(), 1_000);

    private static ServerMessage.Ack ack(Object outcome) {
        Optional<ServerMessage> answer = Answers.to(R1, outcome);
        assertThat(answer).get().isInstanceOf(ServerMessage.Ack.class);
        ServerMessage.Ack ack = (ServerMessage.Ack) answer.get();
        assertThat(ack.replyTo()).isEqualTo(R1.get());
        return ack;
    }

    @Test
    void given_each_successful_outcome_when_answered_then_an_ack_with_its_payload() {
        assertThat(ack(new ChatOutcome.Stored(MESSAGE)).payload()).isEqualTo(new ServerMessage.ChatAck(LOBBY, 7, false));
        assertThat(ack(new ChatOutcome.Duplicate(MESSAGE)).payload()).isEqualTo(new ServerMessage.ChatAck(LOBBY, 7, true));
        assertThat(ack(new JoinOutcome.Joined(LOBBY, Epoch.of("e1"), 7, true, 3, List.of(ALICE),
                JoinOutcome.HandOver.NONE)).payload())
                .isEqualTo(new ServerMessage.JoinAck(LOBBY, Epoch.of("e1"), 7, true, 3, List.of(ALICE)));
        assertThat(ack(new LeaveOutcome.Left(LOBBY)).payload()).isEqualTo(new ServerMessage.LeaveAck(LOBBY));
        HistoryPage page = new HistoryPage(LOBBY, List.of(MESSAGE), false);
        assertThat(ack(new HistoryOutcome.Page(page)).payload()).isEqualTo(new ServerMessage.HistoryAck(page));
        assertThat(ack(new PresenceOutcome.Members(LOBBY, List.of(ALICE))).payload())
                .isEqualTo(new ServerMessage.PresenceAck(LOBBY, List.of(ALICE)));
    }

    @Test
    void given_each_refusal_when_answered_then_an_error_with_its_wire_code_and_message() {
        for (Refusal reason : Refusal.values()) {
            assertThat(Answers.to(R1, new Refused(reason, "because"))).contains(
                    new ServerMessage.Error(R1, ErrorCode.of(reason), "because", OptionalLong.empty()));
        }
        assertThat(ErrorCode.of(Refusal.NOT_MEMBER).wireName()).isEqualTo("not_member");
    }

    @Test
    void given_a_store_that_was_down_when_answered_then_unavailable_without_the_cause() {
        ServerMessage.Error error = (ServerMessage.Error) Answers.to(R1, new Unavailable("jdbc: connection refused"))
                .orElseThrow();

        assertThat(error.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(error.replyTo()).isEqualTo(R1);
        assertThat(error.message()).doesNotContain("jdbc");
    }

    @Test
    void given_a_typing_frame_without_an_id_when_refused_then_the_error_has_no_reply_to() {
        assertThat(Answers.to(Optional.empty(), new Refused(Refusal.NOT_MEMBER, "join lobby first"))).contains(
                new ServerMessage.Error(Optional.empty(), ErrorCode.NOT_MEMBER, "join lobby first", OptionalLong.empty()));
    }

    @Test
    void given_typing_that_went_out_or_a_connection_that_is_gone_when_answered_then_nothing_is_sent() {
        assertThat(Answers.to(R1, new TypingOutcome.Sent())).isEmpty();
        assertThat(Answers.to(Optional.empty(), new TypingOutcome.Sent())).isEmpty();
        assertThat(Answers.to(R1, new NotConnected())).isEmpty();
    }

    @Test
    void given_an_ack_without_a_request_id_or_an_unknown_outcome_when_answered_then_it_is_a_bug() {
        assertThatIllegalArgumentException().isThrownBy(() -> Answers.to(Optional.empty(), new LeaveOutcome.Left(LOBBY)));
        assertThatIllegalArgumentException().isThrownBy(() -> Answers.to(R1, "not an outcome"));
    }
}

package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class RecoveryDecisionTest {
    private static final Epoch EPOCH = Epoch.of("k3x9");
    private static final Epoch OTHER_EPOCH = Epoch.of("z7q1");

    private static RecoveryDecision decide(long sinceSeq, Epoch sinceEpoch, long latest, long oldestRetained) {
        return RecoveryDecision.decide(new StreamPosition(sinceSeq, sinceEpoch),
                new RoomStreamState(EPOCH, latest, oldestRetained));
    }

    private static String reasonOf(RecoveryDecision decision) {
        assertThat(decision).isInstanceOf(RecoveryDecision.NotRecovered.class);
        return ((RecoveryDecision.NotRecovered) decision).reason();
    }

    @Test
    void given_same_epoch_and_missed_messages_retained_when_deciding_then_replay_of_the_missed_ones() {
        RecoveryDecision decision = decide(40, EPOCH, 42, 1);

        assertThat(decision).isEqualTo(new RecoveryDecision.Replay(40, 42));
        assertThat(((RecoveryDecision.Replay) decision).count()).isEqualTo(2);
    }

    @Test
    void given_since_equals_latest_when_deciding_then_replay_of_nothing() {
        RecoveryDecision decision = decide(42, EPOCH, 42, 10);

        assertThat(decision).isEqualTo(new RecoveryDecision.Replay(42, 42));
        assertThat(((RecoveryDecision.Replay) decision).count()).isZero();
    }

    @Test
    void given_since_equals_latest_and_nothing_retained_when_deciding_then_replay_of_nothing() {
        assertThat(decide(42, EPOCH, 42, 43)).isEqualTo(new RecoveryDecision.Replay(42, 42));
    }

    @Test
    void given_empty_room_and_since_zero_when_deciding_then_replay_of_nothing() {
        RecoveryDecision decision = RecoveryDecision.decide(new StreamPosition(0, EPOCH), RoomStreamState.empty(EPOCH));

        assertThat(decision).isEqualTo(new RecoveryDecision.Replay(0, 0));
    }

    @Test
    void given_since_zero_and_everything_retained_when_deciding_then_replay_of_the_whole_room() {
        RecoveryDecision decision = decide(0, EPOCH, 500, 1);

        assertThat(((RecoveryDecision.Replay) decision).count()).isEqualTo(500);
    }

    @Test
    void given_next_missed_message_is_the_oldest_retained_when_deciding_then_replay() {
        assertThat(decide(99, EPOCH, 150, 100)).isEqualTo(new RecoveryDecision.Replay(99, 150));
    }

    @Test
    void given_next_missed_message_no_longer_retained_when_deciding_then_not_recovered() {
        RecoveryDecision decision = decide(98, EPOCH, 150, 100);

        assertThat(reasonOf(decision)).contains("98").contains("retained");
    }

    @Test
    void given_other_epoch_when_deciding_then_not_recovered_even_though_the_seq_would_fit() {
        RecoveryDecision decision = decide(40, OTHER_EPOCH, 42, 1);

        assertThat(reasonOf(decision)).contains("z7q1").contains("k3x9");
    }

    @Test
    void given_seq_beyond_the_latest_when_deciding_then_not_recovered() {
        RecoveryDecision decision = decide(43, EPOCH, 42, 1);

        assertThat(reasonOf(decision)).contains("43").contains("42");
    }

    @Test
    void given_any_seq_in_an_empty_room_when_deciding_then_not_recovered() {
        assertThat(RecoveryDecision.decide(new StreamPosition(1, EPOCH), RoomStreamState.empty(EPOCH)))
                .isInstanceOf(RecoveryDecision.NotRecovered.class);
    }

    @Test
    void given_bad_replay_range_when_constructing_then_illegal_argument() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RecoveryDecision.Replay(-1, 5));
        assertThatIllegalArgumentException().isThrownBy(() -> new RecoveryDecision.Replay(5, 4));
        assertThat(new RecoveryDecision.Replay(0, 0).count()).isZero();
    }

    @Test
    void given_missing_input_when_deciding_then_null_pointer() {
        RoomStreamState state = RoomStreamState.empty(EPOCH);
        StreamPosition since = new StreamPosition(0, EPOCH);

        assertThatNullPointerException().isThrownBy(() -> RecoveryDecision.decide(null, state));
        assertThatNullPointerException().isThrownBy(() -> RecoveryDecision.decide(since, null));
        assertThatNullPointerException().isThrownBy(() -> new RecoveryDecision.NotRecovered(null));
    }
}

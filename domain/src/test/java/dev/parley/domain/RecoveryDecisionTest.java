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
    void givenSameEpochAndMissedMessagesRetained_whenDeciding_thenReplayOfTheMissedOnes() {
        RecoveryDecision decision = decide(40, EPOCH, 42, 1);

        assertThat(decision).isEqualTo(new RecoveryDecision.Replay(40, 42));
        assertThat(((RecoveryDecision.Replay) decision).count()).isEqualTo(2);
    }

    @Test
    void givenSinceEqualsLatest_whenDeciding_thenReplayOfNothing() {
        RecoveryDecision decision = decide(42, EPOCH, 42, 10);

        assertThat(decision).isEqualTo(new RecoveryDecision.Replay(42, 42));
        assertThat(((RecoveryDecision.Replay) decision).count()).isZero();
    }

    @Test
    void givenSinceEqualsLatestAndNothingRetained_whenDeciding_thenReplayOfNothing() {
        assertThat(decide(42, EPOCH, 42, 43)).isEqualTo(new RecoveryDecision.Replay(42, 42));
    }

    @Test
    void givenEmptyRoomAndSinceZero_whenDeciding_thenReplayOfNothing() {
        RecoveryDecision decision = RecoveryDecision.decide(new StreamPosition(0, EPOCH), RoomStreamState.empty(EPOCH));

        assertThat(decision).isEqualTo(new RecoveryDecision.Replay(0, 0));
    }

    @Test
    void givenSinceZeroAndEverythingRetained_whenDeciding_thenReplayOfTheWholeRoom() {
        RecoveryDecision decision = decide(0, EPOCH, 500, 1);

        assertThat(((RecoveryDecision.Replay) decision).count()).isEqualTo(500);
    }

    @Test
    void givenNextMissedMessageIsTheOldestRetained_whenDeciding_thenReplay() {
        assertThat(decide(99, EPOCH, 150, 100)).isEqualTo(new RecoveryDecision.Replay(99, 150));
    }

    @Test
    void givenNextMissedMessageNoLongerRetained_whenDeciding_thenNotRecovered() {
        RecoveryDecision decision = decide(98, EPOCH, 150, 100);

        assertThat(reasonOf(decision)).contains("98").contains("retained");
    }

    @Test
    void givenOtherEpoch_whenDeciding_thenNotRecoveredEvenThoughTheSeqWouldFit() {
        RecoveryDecision decision = decide(40, OTHER_EPOCH, 42, 1);

        assertThat(reasonOf(decision)).contains("z7q1").contains("k3x9");
    }

    @Test
    void givenSeqBeyondTheLatest_whenDeciding_thenNotRecovered() {
        RecoveryDecision decision = decide(43, EPOCH, 42, 1);

        assertThat(reasonOf(decision)).contains("43").contains("42");
    }

    @Test
    void givenAnySeqInAnEmptyRoom_whenDeciding_thenNotRecovered() {
        assertThat(RecoveryDecision.decide(new StreamPosition(1, EPOCH), RoomStreamState.empty(EPOCH)))
                .isInstanceOf(RecoveryDecision.NotRecovered.class);
    }

    @Test
    void givenBadReplayRange_whenConstructing_thenIllegalArgument() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RecoveryDecision.Replay(-1, 5));
        assertThatIllegalArgumentException().isThrownBy(() -> new RecoveryDecision.Replay(5, 4));
        assertThat(new RecoveryDecision.Replay(0, 0).count()).isZero();
    }

    @Test
    void givenMissingInput_whenDeciding_thenNullPointer() {
        RoomStreamState state = RoomStreamState.empty(EPOCH);
        StreamPosition since = new StreamPosition(0, EPOCH);

        assertThatNullPointerException().isThrownBy(() -> RecoveryDecision.decide(null, state));
        assertThatNullPointerException().isThrownBy(() -> RecoveryDecision.decide(since, null));
        assertThatNullPointerException().isThrownBy(() -> new RecoveryDecision.NotRecovered(null));
    }
}

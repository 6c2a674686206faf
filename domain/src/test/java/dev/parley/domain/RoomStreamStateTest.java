package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class RoomStreamStateTest {
    private static final Epoch EPOCH = Epoch.of("k3x9");

    @Test
    void givenNewRoom_whenMakingEmptyState_thenLatestZeroAndOldestRetainedOne() {
        RoomStreamState state = RoomStreamState.empty(EPOCH);

        assertThat(state).isEqualTo(new RoomStreamState(EPOCH, 0, 1));
        assertThat(state.latest()).isEqualTo(new StreamPosition(0, EPOCH));
    }

    @Test
    void givenRoomWithMessages_whenAskingLatest_thenPositionOfTheLatestSeqInTheEpoch() {
        assertThat(new RoomStreamState(EPOCH, 42, 10).latest()).isEqualTo(new StreamPosition(42, EPOCH));
    }

    @Test
    void givenConsistentBounds_whenConstructing_thenAccepted() {
        assertThat(new RoomStreamState(EPOCH, 42, 1).oldestRetainedSeq()).isEqualTo(1);
        assertThat(new RoomStreamState(EPOCH, 42, 42).oldestRetainedSeq()).isEqualTo(42);
        assertThat(new RoomStreamState(EPOCH, 42, 43).oldestRetainedSeq()).isEqualTo(43);
    }

    @Test
    void givenInconsistentBounds_whenConstructing_thenIllegalArgument() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RoomStreamState(EPOCH, -1, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new RoomStreamState(EPOCH, 42, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new RoomStreamState(EPOCH, 42, 44))
                .withMessageContaining("42").withMessageContaining("44");
        assertThatIllegalArgumentException().isThrownBy(() -> new RoomStreamState(EPOCH, 0, 2));
    }

    @Test
    void givenNoEpoch_whenConstructing_thenNullPointer() {
        assertThatNullPointerException().isThrownBy(() -> new RoomStreamState(null, 0, 1));
    }
}

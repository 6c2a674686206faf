package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class RoomStreamStateTest {
    private static final Epoch EPOCH = Epoch.of("k3x9");

    @Test
    void given_new_room_when_making_empty_state_then_latest_zero_and_oldest_retained_one() {
        RoomStreamState state = RoomStreamState.empty(EPOCH);

        assertThat(state).isEqualTo(new RoomStreamState(EPOCH, 0, 1));
        assertThat(state.latest()).isEqualTo(new StreamPosition(0, EPOCH));
    }

    @Test
    void given_room_with_messages_when_asking_latest_then_position_of_the_latest_seq_in_the_epoch() {
        assertThat(new RoomStreamState(EPOCH, 42, 10).latest()).isEqualTo(new StreamPosition(42, EPOCH));
    }

    @Test
    void given_consistent_bounds_when_constructing_then_accepted() {
        assertThat(new RoomStreamState(EPOCH, 42, 1).oldestRetainedSeq()).isEqualTo(1);
        assertThat(new RoomStreamState(EPOCH, 42, 42).oldestRetainedSeq()).isEqualTo(42);
        assertThat(new RoomStreamState(EPOCH, 42, 43).oldestRetainedSeq()).isEqualTo(43);
    }

    @Test
    void given_inconsistent_bounds_when_constructing_then_illegal_argument() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RoomStreamState(EPOCH, -1, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new RoomStreamState(EPOCH, 42, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new RoomStreamState(EPOCH, 42, 44))
                .withMessageContaining("42").withMessageContaining("44");
        assertThatIllegalArgumentException().isThrownBy(() -> new RoomStreamState(EPOCH, 0, 2));
    }

    @Test
    void given_no_epoch_when_constructing_then_null_pointer() {
        assertThatNullPointerException().isThrownBy(() -> new RoomStreamState(null, 0, 1));
    }
}

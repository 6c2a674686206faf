package dev.parley.domain;

import java.util.Objects;

/**
 * What a history store holds of one room: its epoch, its latest seq (0 before the first
 * message) and the oldest seq still retained ({@code latestSeq + 1} when none is).
 */
public record RoomStreamState(Epoch epoch, long latestSeq, long oldestRetainedSeq) {
    public RoomStreamState {
        Objects.requireNonNull(epoch, "epoch");
        if (latestSeq < 0 || oldestRetainedSeq < 1 || oldestRetainedSeq > latestSeq + 1) {
            throw new IllegalArgumentException(
                    "inconsistent stream state: latest " + latestSeq + ", oldest retained " + oldestRetainedSeq);
        }
    }

    public static RoomStreamState empty(Epoch epoch) {
        return new RoomStreamState(epoch, 0, 1);
    }

    public StreamPosition latest() {
        return new StreamPosition(latestSeq, epoch);
    }
}

package dev.parley.adapters.postgres;

/**
 * Group commit so far: committed transactions and the appends they answered (duplicates
 * included). {@code appends / batches} is the mean batch size.
 */
public record GroupCommitStats(long batches, long appends) {
    public double meanBatchSize() {
        return batches == 0 ? 0 : (double) appends / batches;
    }
}

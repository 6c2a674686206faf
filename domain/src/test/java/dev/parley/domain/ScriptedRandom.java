package dev.parley.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import java.util.random.RandomGenerator;

/**
 * A {@link RandomGenerator} whose bounded draws are chosen by the test, so that jittered
 * durations are exact. It records every bound it was asked for.
 */
final class ScriptedRandom implements RandomGenerator {
    private final LongUnaryOperator answer;
    final List<Long> bounds = new ArrayList<>();

    private ScriptedRandom(LongUnaryOperator answer) {
        this.answer = answer;
    }

    /** Always the largest value below the bound. */
    static ScriptedRandom highest() {
        return new ScriptedRandom(bound -> bound - 1);
    }

    /** Always zero. */
    static ScriptedRandom lowest() {
        return new ScriptedRandom(bound -> 0);
    }

    @Override
    public long nextLong(long bound) {
        bounds.add(bound);
        return answer.applyAsLong(bound);
    }

    @Override
    public long nextLong() {
        throw new UnsupportedOperationException("only bounded draws are scripted");
    }
}

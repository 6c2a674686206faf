package dev.parley.domain;

import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * A small, deterministic property-test harness: a generator turns a seeded random source and
 * a size into an input, a check asserts on it. Inputs grow with the try number, so the first
 * failing input tends to be small, and the failure names its seed and input so it can be
 * replayed exactly.
 *
 * <p>jqwik is not used here: from 1.10 on its maintainers ask that the library not be used by
 * AI coding agents, and these tests were written by one.
 */
final class PropertyCheck {
    static final long BASE_SEED = 0x5EED_CAFEL;

    private PropertyCheck() {
    }

    static <T> void forAll(int tries, int maxSize, BiFunction<SplittableRandom, Integer, T> generator,
                           Consumer<T> property) {
        for (int i = 0; i < tries; i++) {
            long seed = BASE_SEED + i;
            int size = 1 + (int) ((long) i * maxSize / tries);
            T input = generator.apply(new SplittableRandom(seed), size);
            try {
                property.accept(input);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("property failed at try " + i + " (seed " + seed + ", size " + size
                        + ") for input " + describe(input), e);
            }
        }
    }

    private static String describe(Object input) {
        if (input instanceof String s) {
            StringBuilder out = new StringBuilder("\"");
            s.codePoints().forEach(cp -> {
                if (cp >= 0x20 && cp < 0x7F) {
                    out.appendCodePoint(cp);
                } else {
                    out.append(String.format("\\u{%X}", cp));
                }
            });
            return out.append('"').toString();
        }
        return String.valueOf(input);
    }
}

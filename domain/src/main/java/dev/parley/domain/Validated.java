package dev.parley.domain;

import java.util.Objects;
import java.util.function.Function;

/**
 * The result of checking untrusted input: either a valid value or the reason it was refused.
 * Factories of value types return this instead of throwing, because bad input is expected.
 */
public sealed interface Validated<T> permits Validated.Valid, Validated.Invalid {

    static <T> Validated<T> valid(T value) {
        return new Valid<>(value);
    }

    static <T> Validated<T> invalid(Violation violation, String message) {
        return new Invalid<>(violation, message);
    }

    boolean isValid();

    /** The value; calling it on an invalid result is a bug. */
    T value();

    <R> Validated<R> map(Function<? super T, ? extends R> mapper);

    <R> Validated<R> flatMap(Function<? super T, Validated<R>> mapper);

    record Valid<T>(T value) implements Validated<T> {
        public Valid {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public <R> Validated<R> map(Function<? super T, ? extends R> mapper) {
            return new Valid<>(mapper.apply(value));
        }

        @Override
        public <R> Validated<R> flatMap(Function<? super T, Validated<R>> mapper) {
            return mapper.apply(value);
        }
    }

    record Invalid<T>(Violation violation, String message) implements Validated<T> {
        public Invalid {
            Objects.requireNonNull(violation, "violation");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public boolean isValid() {
            return false;
        }

        @Override
        public T value() {
            throw new IllegalStateException("invalid (" + violation + "): " + message);
        }

        @Override
        public <R> Validated<R> map(Function<? super T, ? extends R> mapper) {
            return new Invalid<>(violation, message);
        }

        @Override
        public <R> Validated<R> flatMap(Function<? super T, Validated<R>> mapper) {
            return new Invalid<>(violation, message);
        }
    }
}

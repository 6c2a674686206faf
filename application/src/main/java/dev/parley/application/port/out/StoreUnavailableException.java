package dev.parley.application.port.out;

/**
 * A store or bus a request needs is down. Adapters complete their futures with it (or any
 * other exception): use cases answer {@code unavailable} and report nothing as done.
 */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreUnavailableException(String message) {
        super(message);
    }
}

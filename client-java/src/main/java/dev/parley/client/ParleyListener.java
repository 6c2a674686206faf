package dev.parley.client;

/**
 * What the client tells the application. Every method is called on the client's one callback
 * thread, in the order things happened; do not block in them for long.
 */
public interface ParleyListener {
    /** A message of a joined room, in seq order, each once (also across reconnects and restarts). */
    default void onChat(Message message) {
    }

    default void onTyping(TypingEvent event) {
    }

    default void onPresence(PresenceEvent event) {
    }

    default void onConnection(ConnectionEvent event) {
    }

    /** An {@code error} that answers no request of this client (a refused {@code typing}, say). */
    default void onError(ParleyException error) {
    }
}

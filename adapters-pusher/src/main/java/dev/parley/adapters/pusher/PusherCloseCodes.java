package dev.parley.adapters.pusher;

/**
 * The close and error codes pusher-js acts on: 4000-4099 do not reconnect, 4100-4199 reconnect
 * after a back-off, 4200-4299 reconnect at once. 4000 itself is never used (pusher-js reads it as
 * "switch to TLS").
 */
final class PusherCloseCodes {
    /** Unknown app key. */
    static final int APP_NOT_FOUND = 4001;
    /** The user has as many connections as allowed. */
    static final int OVER_USER_QUOTA = 4004;
    /** Unsupported protocol version. */
    static final int UNSUPPORTED_PROTOCOL = 4007;
    /** Unauthorized: a bad sign-in signature, a connection an operator ended, a bad channel name. */
    static final int UNAUTHORIZED = 4009;
    /** Over capacity: the node is full, or the socket fell too far behind. */
    static final int OVER_CAPACITY = 4100;
    /** The node is going away (drain): reconnect at once, elsewhere. */
    static final int GOING_AWAY = 4200;
    /** No pong within the timeout: reconnect at once. */
    static final int PONG_TIMEOUT = 4201;
    /** A client event or frame refused (not a close: an error code). */
    static final int CLIENT_EVENT_REFUSED = 4301;

    private PusherCloseCodes() {
    }
}

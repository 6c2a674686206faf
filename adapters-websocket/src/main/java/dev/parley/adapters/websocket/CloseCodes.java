package dev.parley.adapters.websocket;

/** The close codes of docs/protocol.md section 8. */
final class CloseCodes {
    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int UNSUPPORTED_DATA = 1003;
    static final int POLICY_VIOLATION = 1008;
    static final int TOO_BIG = 1009;
    static final int INTERNAL = 1011;
    static final int TRY_AGAIN_LATER = 1013;
    static final int TOKEN_EXPIRED = 4001;
    static final int DISCONNECTED_BY_OPERATOR = 4003;

    private CloseCodes() {
    }
}

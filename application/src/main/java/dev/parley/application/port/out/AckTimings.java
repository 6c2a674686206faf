package dev.parley.application.port.out;

import java.util.Optional;

/** What this node's front doors measured of their acks: the time from a chat's arrival to its ack. */
public interface AckTimings {
    /** Over the last minute; empty when no chat was acknowledged in it. */
    Optional<AckLatency> lastMinute();
}

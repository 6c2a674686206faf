package dev.parley.domain;

import java.util.Objects;

/** One server process of a cluster, as {@code PARLEY_NODE_ID} names it. */
public record NodeId(String value) {
    public NodeId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > 128 || !Identifiers.isVisible(value)) {
            throw new IllegalArgumentException("node id must be 1 to 128 visible characters: " + value);
        }
    }

    public static NodeId of(String value) {
        return new NodeId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}

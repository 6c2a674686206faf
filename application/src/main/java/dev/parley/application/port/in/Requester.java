package dev.parley.application.port.in;

import dev.parley.domain.ConnectionId;
import java.util.Objects;

/** Who reads a room: one of this node's connections (its rights apply), or the operator (any room). */
public sealed interface Requester permits Requester.Connection, Requester.Operator {

    Requester OPERATOR = new Operator();

    static Requester connection(ConnectionId id) {
        return new Connection(id);
    }

    record Connection(ConnectionId id) implements Requester {
        public Connection {
            Objects.requireNonNull(id, "id");
        }
    }

    record Operator() implements Requester {
    }
}

package dev.parley.bootstrap;

import dev.parley.application.port.out.Delivery;
import dev.parley.application.port.out.DisconnectReason;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.RoomEvent;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link Delivery} of a node with more than one front door: every event and every close goes
 * to each front door, which keeps what concerns its own connections (a room may have members on
 * both) and writes nothing for the others.
 */
final class FrontDoorDeliveries implements Delivery {
    private final List<Delivery> frontDoors = new CopyOnWriteArrayList<>();

    void add(Delivery frontDoor) {
        frontDoors.add(frontDoor);
    }

    @Override
    public void deliver(Collection<ConnectionId> recipients, RoomEvent event) {
        for (Delivery frontDoor : frontDoors) {
            frontDoor.deliver(recipients, event);
        }
    }

    @Override
    public void disconnect(ConnectionId connection, DisconnectReason reason) {
        for (Delivery frontDoor : frontDoors) {
            frontDoor.disconnect(connection, reason);
        }
    }
}

package dev.parley.application.service;

import java.util.concurrent.atomic.LongAdder;

/** What this node has done since it started: chats stored through it, chat events handed to its connections. */
public final class NodeActivity {
    private final LongAdder chats = new LongAdder();
    private final LongAdder deliveries = new LongAdder();

    void chatStored() {
        chats.increment();
    }

    void delivered(int connections) {
        deliveries.add(connections);
    }

    long chats() {
        return chats.sum();
    }

    long deliveries() {
        return deliveries.sum();
    }
}

package dev.parley.adapters.memory;

import dev.parley.application.port.out.PresenceStore;
import dev.parley.application.port.out.PresenceStoreContract;

class InMemoryPresenceStoreTest extends PresenceStoreContract {

    @Override
    protected PresenceStore createPresenceStore() {
        return new InMemoryPresenceStore();
    }
}

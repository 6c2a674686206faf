package dev.parley.adapters.memory;

import dev.parley.application.port.out.NodeDirectory;
import dev.parley.application.port.out.NodeDirectoryContract;
import java.time.Clock;

class InMemoryNodeDirectoryTest extends NodeDirectoryContract {
    @Override
    protected NodeDirectory createDirectory() {
        return new InMemoryNodeDirectory(Clock.systemUTC(), TTL);
    }
}

package dev.parley.adapters.redis;

import dev.parley.adapters.redis.RoomBus.Message;
import dev.parley.adapters.redis.RoomBus.Unsent;
import dev.parley.domain.RoomName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Sends room events to a Redis Cluster ({@code SPUBLISH}): grouped by the master of each room's
 * slot, one pipeline per master, so a room's events keep their order. A message redirected
 * because its slot moved goes again through the cluster client, which follows the redirection;
 * messages whose master could not even be reached go again once, after the slots are read
 * again (a replica may have taken over).
 */
final class ShardedPublisher {
    private final ClusterConnector redis;
    private final RedisKeys keys;
    /** Told when sending suggests that slots moved: the subscribers look again too. */
    private final Runnable slotsMoved;

    ShardedPublisher(ClusterConnector redis, RedisKeys keys, Runnable slotsMoved) {
        this.redis = redis;
        this.keys = keys;
        this.slotsMoved = slotsMoved;
    }

    static int slot(RedisKeys keys, RoomName room) {
        return JedisClusterCRC16.getSlot(keys.channel(room));
    }

    private int slot(RoomName room) {
        return slot(keys, room);
    }

    /** Sends the messages, in their order for each room; never throws. */
    Unsent send(List<Message> messages) {
        Attempt first = sendOnce(messages);
        if (!first.failed()) {
            return Unsent.NONE;
        }
        slotsMoved.run();
        if (first.unreached().isEmpty()) {
            return first.unsent();
        }
        // Nothing of these left this node (no connection to their master): their slots may have
        // moved to a promoted replica; read the slots again and try them once more.
        try {
            redis.refreshTopology();
        } catch (RuntimeException e) {
            return first.unsent();
        }
        Attempt second = sendOnce(first.unreached());
        Set<RoomName> failed = new HashSet<>(first.unsent().rooms());
        first.unreached().forEach(message -> failed.remove(message.room()));
        failed.addAll(second.unsent().rooms());
        return failed.isEmpty() ? Unsent.NONE
                : new Unsent(failed, second.failed() ? second.unsent().cause() : first.unsent().cause());
    }

    /** One try: what failed, and of that what never left this node (no connection to the master). */
    private record Attempt(Unsent unsent, List<Message> unreached) {
        boolean failed() {
            return unsent.failed();
        }
    }

    private Attempt sendOnce(List<Message> messages) {
        Map<HostAndPort, List<Message>> byMaster = new LinkedHashMap<>();
        try {
            for (Message message : messages) {
                HostAndPort master = redis.masterOf(slot(message.room()));
                if (master == null) {
                    throw new ClusterConnector.JedisClusterDownException("no master serves room " + message.room());
                }
                byMaster.computeIfAbsent(master, key -> new ArrayList<>()).add(message);
            }
        } catch (RuntimeException e) {
            return new Attempt(Unsent.all(messages, e), messages);
        }
        Set<RoomName> failed = new HashSet<>();
        List<Message> unreached = new ArrayList<>();
        RuntimeException cause = null;
        for (Map.Entry<HostAndPort, List<Message>> group : byMaster.entrySet()) {
            Connection connection;
            try {
                connection = redis.connection(group.getKey());
            } catch (RuntimeException e) {
                group.getValue().forEach(message -> failed.add(message.room()));
                unreached.addAll(group.getValue());
                cause = e;
                continue;
            }
            try {
                sendTo(connection, group.getValue());
            } catch (RuntimeException e) {
                group.getValue().forEach(message -> failed.add(message.room()));
                cause = e;
            }
        }
        return cause == null ? new Attempt(Unsent.NONE, List.of()) : new Attempt(new Unsent(failed, cause), unreached);
    }

    /** One pipeline to one master; what it redirects goes again, in order, through the cluster client. */
    private void sendTo(Connection connection, List<Message> group) {
        List<Object> replies;
        try (connection) {
            for (Message message : group) {
                connection.sendCommand(Protocol.Command.SPUBLISH, bytes(keys.channel(message.room())),
                        message.payload());
            }
            replies = connection.getMany(group.size());
        }
        for (int i = 0; i < group.size(); i++) {
            Object reply = replies.get(i);
            if (reply instanceof JedisRedirectionException) {
                Message message = group.get(i);
                redis.spublish(bytes(keys.channel(message.room())), message.payload());
            } else if (reply instanceof RuntimeException failure) {
                throw failure;
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

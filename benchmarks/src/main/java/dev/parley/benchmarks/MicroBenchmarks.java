package dev.parley.benchmarks;

import dev.parley.adapters.websocket.frames.FrameDecoder;
import dev.parley.adapters.websocket.frames.FrameEncoder;
import dev.parley.adapters.websocket.frames.Json;
import dev.parley.adapters.websocket.TokenBucketRateLimiter;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.Limits;
import dev.parley.domain.MessageText;
import dev.parley.domain.Presence;
import dev.parley.domain.ReorderBuffer;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The hot paths of one message, each alone: encode, decode, reorder, presence, rate limit. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MicroBenchmarks {
    private static final String CHAT_FRAME = "{\"type\":\"chat\",\"id\":\"m1234567890\",\"payload\":{\"room\":\"lobby\","
            + "\"text\":\"hello there, this is a message of about one hundred bytes in length for the benchmark\"}}";

    private FrameEncoder encoder;
    private FrameDecoder decoder;
    private RoomEvent chatEvent;
    private ConnectionId connection;
    private TokenBucketRateLimiter rateLimiter;
    private List<ChatMessage> shuffled;
    private User[] users;
    private ConnectionId[] tabs;

    @Setup
    public void setUp() {
        Json json = new Json(Limits.DEFAULTS);
        encoder = new FrameEncoder(json, Clock.systemUTC());
        decoder = new FrameDecoder(json, Limits.DEFAULTS);
        connection = ConnectionId.random();
        User alice = User.named("alice");
        chatEvent = new RoomEvent.Posted(new ChatMessage(RoomName.of("lobby"), 42, RequestId.of("m1234567890"),
                alice, new MessageText("hello there, this is a message of about one hundred bytes in length"),
                Optional.empty(), 1_732_500_000_000L));
        rateLimiter = new TokenBucketRateLimiter(1_000_000_000, 1_000_000_000);
        shuffled = List.of(message(2), message(1), message(4), message(3), message(6), message(5), message(8),
                message(7));
        users = new User[16];
        tabs = new ConnectionId[users.length];
        for (int i = 0; i < users.length; i++) {
            users[i] = User.named("user-" + i);
            tabs[i] = ConnectionId.random();
        }
    }

    private ChatMessage message(long seq) {
        return new ChatMessage(RoomName.of("lobby"), seq, RequestId.of("m" + seq), User.named("bob"),
                new MessageText("x"), Optional.empty(), 0);
    }

    @Benchmark
    public String encodeRoomEvent() {
        return encoder.encode(chatEvent);
    }

    @Benchmark
    public Object decodeClientFrame() {
        return decoder.decode(CHAT_FRAME, connection);
    }

    /** Eight messages arriving pairwise swapped, released in order. */
    @Benchmark
    public long reorderEightMessages() {
        ReorderBuffer<ChatMessage> buffer = new ReorderBuffer<>(0, ChatMessage::seq);
        long released = 0;
        for (ChatMessage message : shuffled) {
            released += buffer.offer(message).size();
        }
        return released;
    }

    /** Sixteen users join and leave one room. */
    @Benchmark
    public int presenceJoinLeave() {
        Presence presence = new Presence();
        // a connection is a member as one user: each user comes through a tab of their own
        for (int i = 0; i < users.length; i++) {
            presence.join(tabs[i], users[i]);
        }
        for (int i = 0; i < users.length; i++) {
            presence.leave(tabs[i], users[i].id());
        }
        return presence.count();
    }

    @Benchmark
    public long rateLimiterAcquire() {
        return rateLimiter.tryAcquire(connection);
    }
}

package dev.parley.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.domain.ChatMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.MessageData;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FanOut} adapter must do: carry each room's events to the subscribers of that
 * room, and to nobody else. Extend it once per adapter and implement {@link #createFanOut()}.
 *
 * <p>Delivery may be asynchronous: the suite waits for what must arrive. It may run against a
 * shared bus, so every test uses rooms of its own ({@link #uniqueRoom}).
 */
public abstract class FanOutContract {
    private static final User ALICE = new User(UserId.of("alice"), "Alice");

    protected FanOut fanOut;

    /** The adapter under test; called before every test. */
    protected abstract FanOut createFanOut();

    /**
     * A second node on the same bus as {@link #fanOut}: what it publishes the first hears, and
     * the other way round. The default is the same instance, for adapters that live in one process.
     */
    protected FanOut otherNode() {
        return fanOut;
    }

    /**
     * Returns once the subscriptions made so far to {@code room} on {@code node} hear what is
     * published. Adapters whose {@code subscribe} takes effect before it returns keep this
     * default, which does nothing. One that subscribes in the background must, besides, call
     * {@link FanOut.RoomEventListener#onPossibleLoss} once the subscription is live, so that
     * a room hears from history what was published before.
     */
    protected void awaitSubscribed(FanOut node, RoomName room) {
    }

    /** The longest any event may take to arrive. */
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    protected RoomName uniqueRoom(String label) {
        return RoomName.of("contract-" + label + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    @BeforeEach
    void createFanOutUnderTest() {
        fanOut = createFanOut();
    }

    @Test
    void given_subscriber_when_events_of_every_kind_published_to_its_room_then_it_hears_them_unchanged() {
        RoomName room = uniqueRoom("kinds");
        RecordingListener listener = new RecordingListener();
        subscribe(fanOut, room, listener);
        RoomEvent posted = posted(room, 1, "hello \uD83D\uDC4B\nsecond line", "{\"a\":[1,{\"b\":\"c\"}]}");
        RoomEvent typing = new RoomEvent.Typing(room, ALICE, true, ConnectionId.of("conn-typing"));
        RoomEvent presence = new RoomEvent.PresenceChanged(room, false,
                new User(UserId.of("bob"), "Böb", java.util.Optional.of("{\"role\":\"admin\"}")), 3,
                ConnectionId.of("conn-presence"));
        RoomEvent fromMember = new RoomEvent.Broadcast(room, "client-moved", "{\"x\":1,\"y\":\"ü\"}",
                java.util.Optional.of(ConnectionId.of("conn-sender")), java.util.Optional.of(ALICE));
        RoomEvent fromOperator = new RoomEvent.Broadcast(room, "deploy", "plain text, not JSON",
                java.util.Optional.empty(), java.util.Optional.empty());

        publish(fanOut, posted);
        publish(fanOut, typing);
        publish(fanOut, presence);
        publish(fanOut, fromMember);
        publish(fanOut, fromOperator);

        awaitHeard(listener, 5);
        assertThat(listener.events()).containsExactlyInAnyOrder(posted, typing, presence, fromMember, fromOperator);
    }

    @Test
    void given_subscribers_of_two_rooms_when_each_room_gets_an_event_then_each_hears_only_its_room() {
        RoomName first = uniqueRoom("only-a");
        RoomName second = uniqueRoom("only-b");
        RecordingListener ofFirst = new RecordingListener();
        RecordingListener ofSecond = new RecordingListener();
        subscribe(fanOut, first, ofFirst);
        subscribe(fanOut, second, ofSecond);
        RoomEvent toSecond = posted(second, 1, "for b", null);
        RoomEvent toFirst = posted(first, 1, "for a", null);

        publish(fanOut, toSecond);
        publish(fanOut, toFirst);

        awaitHeard(ofFirst, 1);
        awaitHeard(ofSecond, 1);
        assertThat(ofFirst.events()).containsExactly(toFirst);
        assertThat(ofSecond.events()).containsExactly(toSecond);
    }

    @Test
    void given_several_subscribers_when_event_published_then_each_hears_it_once() {
        RoomName room = uniqueRoom("several");
        List<RecordingListener> listeners = List.of(new RecordingListener(), new RecordingListener(),
                new RecordingListener());
        for (RecordingListener listener : listeners) {
            subscribe(fanOut, room, listener);
        }
        RoomEvent event = posted(room, 1, "to all", null);
        RoomEvent marker = posted(room, 2, "marker", null);

        publish(fanOut, event);
        publish(fanOut, marker);

        for (RecordingListener listener : listeners) {
            awaitHeard(listener, 2);
            assertThat(listener.events()).containsExactlyInAnyOrder(event, marker);
        }
    }

    @Test
    void given_many_events_when_published_one_after_another_then_each_is_heard_exactly_once() {
        RoomName room = uniqueRoom("many");
        RecordingListener listener = new RecordingListener();
        subscribe(fanOut, room, listener);
        List<RoomEvent> events = new ArrayList<>();
        for (int seq = 1; seq <= 200; seq++) {
            events.add(posted(room, seq, "message " + seq, null));
        }

        for (RoomEvent event : events) {
            publish(fanOut, event);
        }

        awaitHeard(listener, events.size());
        assertThat(listener.events()).containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void given_closed_subscription_when_event_published_then_it_hears_nothing_more() {
        RoomName room = uniqueRoom("closed");
        RecordingListener closing = new RecordingListener();
        RecordingListener staying = new RecordingListener();
        FanOut.Subscription subscription = subscribe(fanOut, room, closing);
        subscribe(fanOut, room, staying);
        RoomEvent before = posted(room, 1, "before", null);
        publish(fanOut, before);
        awaitHeard(closing, 1);
        awaitHeard(staying, 1);

        subscription.close();
        RoomEvent after = posted(room, 2, "after", null);
        publish(fanOut, after);

        awaitHeard(staying, 2);
        assertThat(staying.events()).containsExactlyInAnyOrder(before, after);
        assertThat(closing.events()).containsExactly(before);
    }

    @Test
    void given_closed_subscription_when_closed_again_then_others_still_hear() {
        RoomName room = uniqueRoom("close-twice");
        RecordingListener staying = new RecordingListener();
        FanOut.Subscription subscription = subscribe(fanOut, room, new RecordingListener());
        subscribe(fanOut, room, staying);

        subscription.close();
        subscription.close();
        RoomEvent event = posted(room, 1, "still here", null);
        publish(fanOut, event);

        awaitHeard(staying, 1);
        assertThat(staying.events()).containsExactly(event);
    }

    @Test
    void given_room_whose_only_subscriber_left_when_subscribed_again_then_the_new_subscriber_hears() {
        RoomName room = uniqueRoom("again");
        RecordingListener first = new RecordingListener();
        subscribe(fanOut, room, first).close();
        RecordingListener second = new RecordingListener();
        subscribe(fanOut, room, second);

        RoomEvent event = posted(room, 1, "again", null);
        publish(fanOut, event);

        awaitHeard(second, 1);
        assertThat(second.events()).containsExactly(event);
        assertThat(first.events()).isEmpty();
    }

    @Test
    void given_no_subscriber_when_published_then_publish_completes() throws Exception {
        RoomName room = uniqueRoom("nobody");

        fanOut.publish(posted(room, 1, "into the void", null)).get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        fanOut.publish(new RoomEvent.Typing(room, ALICE, false, ConnectionId.of("c")))
                .get(timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void given_subscriber_on_one_node_when_other_node_publishes_then_it_hears() {
        RoomName room = uniqueRoom("nodes");
        RecordingListener here = new RecordingListener();
        RecordingListener there = new RecordingListener();
        subscribe(fanOut, room, here);
        subscribe(otherNode(), room, there);
        RoomEvent fromOther = posted(room, 1, "from the other node", null);
        RoomEvent fromHere = posted(room, 2, "from this node", null);

        publish(otherNode(), fromOther);
        publish(fanOut, fromHere);

        awaitHeard(here, 2);
        awaitHeard(there, 2);
        assertThat(here.events()).containsExactlyInAnyOrder(fromOther, fromHere);
        assertThat(there.events()).containsExactlyInAnyOrder(fromOther, fromHere);
    }

    // --- helpers -------------------------------------------------------------------------------------

    /** Records what a subscription hears; thread-safe. */
    protected static final class RecordingListener implements FanOut.RoomEventListener {
        private final List<RoomEvent> events = new CopyOnWriteArrayList<>();

        public RecordingListener() {
        }

        @Override
        public void onEvent(RoomEvent event) {
            events.add(event);
        }

        public List<RoomEvent> events() {
            return List.copyOf(events);
        }
    }

    protected FanOut.Subscription subscribe(FanOut node, RoomName room, FanOut.RoomEventListener listener) {
        FanOut.Subscription subscription = node.subscribe(room, listener);
        assertThat(subscription).isNotNull();
        awaitSubscribed(node, room);
        return subscription;
    }

    protected void publish(FanOut node, RoomEvent event) {
        try {
            node.publish(event).get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("publishing " + event + " did not complete within " + timeout(), e);
        }
    }

    protected void awaitHeard(RecordingListener listener, int count) {
        await().atMost(timeout()).untilAsserted(() -> assertThat(listener.events()).hasSizeGreaterThanOrEqualTo(count));
    }

    protected static RoomEvent posted(RoomName room, long seq, String text, String dataJson) {
        return new RoomEvent.Posted(new ChatMessage(room, seq, RequestId.of("id-" + seq), ALICE, new MessageText(text),
                Optional.ofNullable(dataJson).map(MessageData::new), 1_732_500_000_000L + seq));
    }
}

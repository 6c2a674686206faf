package dev.parley.adapters.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.FanOutContract;
import dev.parley.domain.RoomName;
import org.junit.jupiter.api.Test;

class InMemoryFanOutTest extends FanOutContract {

    @Override
    protected FanOut createFanOut() {
        return new InMemoryFanOut();
    }

    @Test
    void given_subscriptions_when_all_of_a_room_closed_then_the_room_is_forgotten() {
        InMemoryFanOut memory = (InMemoryFanOut) fanOut;
        RoomName room = uniqueRoom("forgotten");
        FanOut.Subscription first = memory.subscribe(room, event -> { });
        FanOut.Subscription second = memory.subscribe(room, event -> { });
        memory.subscribe(uniqueRoom("other"), event -> { });
        assertThat(memory.subscribedRooms()).isEqualTo(2);

        first.close();
        assertThat(memory.subscribedRooms()).isEqualTo(2);
        second.close();

        assertThat(memory.subscribedRooms()).isEqualTo(1);
    }

    @Test
    void given_subscriber_when_published_then_heard_on_the_publishing_thread_before_publish_returns() {
        RoomName room = uniqueRoom("sync");
        RecordingListener listener = new RecordingListener();
        fanOut.subscribe(room, listener);

        fanOut.publish(posted(room, 1, "now", null));

        assertThat(listener.events()).hasSize(1);
    }
}

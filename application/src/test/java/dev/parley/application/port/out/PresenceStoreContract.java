package dev.parley.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.PresenceChange;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PresenceStore} adapter must do: admit connections up to a per-user limit,
 * and track who is in which room, reporting only a user's first connection in and last out
 * (docs/protocol.md guarantee 5). Extend it once per adapter and implement {@link #createPresenceStore()}.
 *
 * <p>The suite may run against a shared server: every test uses rooms and users of its own
 * ({@link #uniqueRoom}, {@link #uniqueUser}).
 */
public abstract class PresenceStoreContract {
    protected PresenceStore presence;

    /** The adapter under test; called before every test. */
    protected abstract PresenceStore createPresenceStore();

    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    protected RoomName uniqueRoom(String label) {
        return RoomName.of("contract-" + label + "-" + suffix());
    }

    /** A user no other test uses, whose display name differs from its id. */
    protected User uniqueUser(String label) {
        String id = label + "-" + suffix();
        return new User(UserId.of(id), Character.toUpperCase(label.charAt(0)) + label.substring(1) + " Ünïcode");
    }

    @BeforeEach
    void createPresenceStoreUnderTest() {
        presence = createPresenceStore();
    }

    // --- rooms with members -------------------------------------------------------------------

    @Test
    void given_rooms_with_members_when_listed_by_prefix_then_each_occupied_room_comes_by_name_with_its_users_and_connections() {
        String prefix = "contract-list-" + suffix() + "-";
        RoomName first = RoomName.of(prefix + "a");
        RoomName second = RoomName.of(prefix + "b");
        RoomName emptied = RoomName.of(prefix + "c");
        User alice = uniqueUser("alice");
        User bob = uniqueUser("bob");
        ConnectionId aliceTab = ConnectionId.random();
        ConnectionId aliceOtherTab = ConnectionId.random();
        ConnectionId bobTab = ConnectionId.random();
        await(presence.join(second, aliceTab, alice));
        await(presence.join(second, aliceOtherTab, alice));
        await(presence.join(second, bobTab, bob));
        await(presence.join(first, bobTab, bob));
        await(presence.join(emptied, bobTab, bob));
        await(presence.leave(emptied, bobTab, bob.id()));

        assertThat(await(presence.rooms(prefix))).containsExactly(
                new RoomOccupancy(first, 1, 1), new RoomOccupancy(second, 2, 3));
        assertThat(await(presence.rooms(prefix + "b"))).containsExactly(new RoomOccupancy(second, 2, 3));
        assertThat(await(presence.rooms(prefix + "z"))).isEmpty();
    }

    @Test
    void given_a_member_with_info_when_its_room_is_read_then_the_info_comes_back_with_it() {
        RoomName room = uniqueRoom("info");
        User withInfo = uniqueUser("ann").withInfo(java.util.Optional.of("{\"twitter\":\"@ann\",\"age\":7}"));
        ConnectionId connection = ConnectionId.random();

        assertThat(await(presence.join(room, connection, withInfo))).isEqualTo(new PresenceChange.Joined(withInfo, 1));

        assertThat(await(presence.members(room))).containsExactly(withInfo);
        assertThat(await(presence.leave(room, connection, withInfo.id()))).isEqualTo(new PresenceChange.Left(withInfo, 0));
    }

    // --- connections per user ------------------------------------------------------------------

    @Test
    void given_limit_of_three_when_four_connections_of_one_user_arrive_then_three_are_admitted_and_the_fourth_refused() {
        UserId alice = uniqueUser("alice").id();

        List<Boolean> admitted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            admitted.add(await(presence.admitConnection(alice, ConnectionId.random(), 3)));
        }

        assertThat(admitted).containsExactly(true, true, true, false);
    }

    @Test
    void given_user_at_the_limit_when_another_user_connects_then_admitted() {
        UserId alice = uniqueUser("alice").id();
        UserId bob = uniqueUser("bob").id();
        assertThat(await(presence.admitConnection(alice, ConnectionId.random(), 1))).isTrue();

        assertThat(await(presence.admitConnection(alice, ConnectionId.random(), 1))).isFalse();
        assertThat(await(presence.admitConnection(bob, ConnectionId.random(), 1))).isTrue();
    }

    @Test
    void given_user_at_the_limit_when_one_connection_released_then_a_new_connection_is_admitted() {
        UserId alice = uniqueUser("alice").id();
        ConnectionId first = ConnectionId.random();
        assertThat(await(presence.admitConnection(alice, first, 2))).isTrue();
        assertThat(await(presence.admitConnection(alice, ConnectionId.random(), 2))).isTrue();
        assertThat(await(presence.admitConnection(alice, ConnectionId.random(), 2))).isFalse();

        await(presence.releaseConnection(alice, first));

        assertThat(await(presence.admitConnection(alice, ConnectionId.random(), 2))).isTrue();
        assertThat(await(presence.admitConnection(alice, ConnectionId.random(), 2))).isFalse();
    }

    @Test
    void given_admitted_connection_when_admitted_again_then_it_is_admitted_without_taking_a_second_slot() {
        UserId alice = uniqueUser("alice").id();
        ConnectionId connection = ConnectionId.random();
        assertThat(await(presence.admitConnection(alice, connection, 2))).isTrue();

        assertThat(await(presence.admitConnection(alice, connection, 2))).isTrue();

        assertThat(await(presence.admitConnection(alice, ConnectionId.random(), 2))).isTrue();
        assertThat(await(presence.admitConnection(alice, ConnectionId.random(), 2))).isFalse();
    }

    @Test
    void given_user_at_the_limit_when_unknown_connection_released_then_no_slot_is_freed() {
        UserId alice = uniqueUser("alice").id();
        assertThat(await(presence.admitConnection(alice, ConnectionId.random(), 1))).isTrue();

        await(presence.releaseConnection(alice, ConnectionId.random()));
        await(presence.releaseConnection(uniqueUser("nobody").id(), ConnectionId.random()));

        assertThat(await(presence.admitConnection(alice, ConnectionId.random(), 1))).isFalse();
    }

    @Test
    void given_many_threads_when_connections_of_one_user_arrive_at_once_then_exactly_the_limit_is_admitted() throws Exception {
        UserId alice = uniqueUser("alice").id();
        int threads = 16;
        int limit = 5;

        List<Boolean> admitted = concurrently(threads, i -> presence.admitConnection(alice, ConnectionId.random(), limit));

        assertThat(admitted).filteredOn(Boolean::booleanValue).hasSize(limit);
    }

    // --- presence in rooms -------------------------------------------------------------------

    @Test
    void given_empty_room_when_user_joins_then_joined_with_count_one() {
        RoomName room = uniqueRoom("first");
        User alice = uniqueUser("alice");

        PresenceChange change = await(presence.join(room, ConnectionId.random(), alice));

        assertThat(change).isEqualTo(new PresenceChange.Joined(alice, 1));
        assertThat(await(presence.members(room))).containsExactly(alice);
    }

    @Test
    void given_user_present_when_second_connection_of_same_user_joins_then_unchanged_and_count_is_distinct_users() {
        RoomName room = uniqueRoom("tabs");
        User alice = uniqueUser("alice");
        User bob = uniqueUser("bob");
        await(presence.join(room, ConnectionId.random(), alice));

        PresenceChange secondTab = await(presence.join(room, ConnectionId.random(), alice));
        PresenceChange bobArrives = await(presence.join(room, ConnectionId.random(), bob));

        assertThat(secondTab).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(bobArrives).isEqualTo(new PresenceChange.Joined(bob, 2));
        assertThat(await(presence.members(room))).containsExactly(alice, bob);
    }

    @Test
    void given_same_connection_joined_twice_when_it_leaves_once_then_the_user_has_left() {
        RoomName room = uniqueRoom("rejoin");
        User alice = uniqueUser("alice");
        ConnectionId connection = ConnectionId.random();
        await(presence.join(room, connection, alice));

        assertThat(await(presence.join(room, connection, alice))).isEqualTo(new PresenceChange.Unchanged(1));

        assertThat(await(presence.leave(room, connection, alice.id()))).isEqualTo(new PresenceChange.Left(alice, 0));
        assertThat(await(presence.members(room))).isEmpty();
    }

    @Test
    void given_user_with_two_connections_when_they_leave_one_by_one_then_only_the_last_is_a_leave() {
        RoomName room = uniqueRoom("leave");
        User alice = uniqueUser("alice");
        User bob = uniqueUser("bob");
        ConnectionId first = ConnectionId.random();
        ConnectionId second = ConnectionId.random();
        await(presence.join(room, first, alice));
        await(presence.join(room, ConnectionId.random(), bob));
        await(presence.join(room, second, alice));

        PresenceChange firstOut = await(presence.leave(room, first, alice.id()));
        List<User> between = await(presence.members(room));
        PresenceChange lastOut = await(presence.leave(room, second, alice.id()));

        assertThat(firstOut).isEqualTo(new PresenceChange.Unchanged(2));
        assertThat(between).containsExactly(alice, bob);
        assertThat(lastOut).isEqualTo(new PresenceChange.Left(alice, 1));
        assertThat(await(presence.members(room))).containsExactly(bob);
    }

    @Test
    void given_users_arriving_when_members_read_then_each_once_in_arrival_order() {
        RoomName room = uniqueRoom("order");
        User carol = uniqueUser("carol");
        User alice = uniqueUser("alice");
        User bob = uniqueUser("bob");
        ConnectionId aliceFirst = ConnectionId.random();
        await(presence.join(room, ConnectionId.random(), carol));
        await(presence.join(room, aliceFirst, alice));
        await(presence.join(room, ConnectionId.random(), bob));
        await(presence.join(room, ConnectionId.random(), carol));

        assertThat(await(presence.members(room))).containsExactly(carol, alice, bob);

        await(presence.leave(room, aliceFirst, alice.id()));
        await(presence.join(room, ConnectionId.random(), alice));

        assertThat(await(presence.members(room))).containsExactly(carol, bob, alice);
    }

    @Test
    void given_connection_not_in_room_when_it_leaves_then_unchanged_and_nobody_left() {
        RoomName room = uniqueRoom("unknown");
        User alice = uniqueUser("alice");
        await(presence.join(room, ConnectionId.random(), alice));

        PresenceChange stranger = await(presence.leave(room, ConnectionId.random(), uniqueUser("bob").id()));
        PresenceChange otherTabOfAlice = await(presence.leave(room, ConnectionId.random(), alice.id()));

        assertThat(stranger).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(otherTabOfAlice).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(await(presence.members(room))).containsExactly(alice);
    }

    @Test
    void given_room_never_joined_when_someone_leaves_or_members_read_then_unchanged_and_empty() {
        RoomName room = uniqueRoom("never");

        assertThat(await(presence.leave(room, ConnectionId.random(), uniqueUser("alice").id())))
                .isEqualTo(new PresenceChange.Unchanged(0));
        assertThat(await(presence.members(room))).isEmpty();
    }

    @Test
    void given_two_rooms_when_user_joins_one_and_leaves_the_other_then_the_rooms_are_independent() {
        RoomName first = uniqueRoom("one");
        RoomName second = uniqueRoom("two");
        User alice = uniqueUser("alice");
        ConnectionId connection = ConnectionId.random();
        await(presence.join(first, connection, alice));

        assertThat(await(presence.leave(second, connection, alice.id()))).isEqualTo(new PresenceChange.Unchanged(0));
        assertThat(await(presence.join(second, connection, alice))).isEqualTo(new PresenceChange.Joined(alice, 1));
        assertThat(await(presence.leave(first, connection, alice.id()))).isEqualTo(new PresenceChange.Left(alice, 0));

        assertThat(await(presence.members(first))).isEmpty();
        assertThat(await(presence.members(second))).containsExactly(alice);
    }

    @Test
    void given_many_threads_when_connections_of_one_user_join_at_once_then_exactly_one_joined() throws Exception {
        RoomName room = uniqueRoom("race-one");
        User alice = uniqueUser("alice");

        List<PresenceChange> changes = concurrently(8, i -> presence.join(room, ConnectionId.random(), alice));

        assertThat(changes).filteredOn(change -> change instanceof PresenceChange.Joined).hasSize(1);
        assertThat(changes).extracting(PresenceChange::count).containsOnly(1);
        assertThat(await(presence.members(room))).containsExactly(alice);
    }

    @Test
    void given_many_threads_when_distinct_users_join_at_once_then_each_joined_with_its_own_count() throws Exception {
        RoomName room = uniqueRoom("race-many");
        int threads = 8;
        List<User> users = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            users.add(uniqueUser("user" + i));
        }

        List<PresenceChange> changes = concurrently(threads, i -> presence.join(room, ConnectionId.random(), users.get(i)));

        assertThat(changes).allMatch(change -> change instanceof PresenceChange.Joined);
        assertThat(changes).extracting(PresenceChange::count).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(await(presence.members(room))).containsExactlyInAnyOrderElementsOf(users);
    }

    // --- helpers -----------------------------------------------------------------------------------

    protected interface Call<T> {
        CompletableFuture<T> call(int index);
    }

    /** Runs {@code threads} calls as close together as threads allow; their answers in call order. */
    protected <T> List<T> concurrently(int threads, Call<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> tasks = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                tasks.add(pool.submit(() -> {
                    start.await();
                    return await(call.call(index));
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> task : tasks) {
                results.add(task.get(1, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    protected <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the presence store did not answer within " + timeout(), e);
        }
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}

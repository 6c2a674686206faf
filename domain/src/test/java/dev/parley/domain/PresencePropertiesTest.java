package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Random join/leave sequences of a few users with a few tabs each, checked against a simple model. */
class PresencePropertiesTest {
    private static final int USERS = 4;
    private static final int TABS = 3;

    record Op(boolean join, int user, int tab) {
        User who() {
            return User.named("user-" + user);
        }

        ConnectionId connection() {
            return ConnectionId.of("user-" + user + "-tab-" + tab);
        }

        @Override
        public String toString() {
            return (join ? "join " : "leave ") + user + "/" + tab;
        }
    }

    static List<Op> operations(SplittableRandom random, int size) {
        int count = random.nextInt(size + 1);
        List<Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ops.add(new Op(random.nextInt(3) > 0, random.nextInt(USERS), random.nextInt(TABS)));
        }
        return ops;
    }

    @Test
    void given_any_join_leave_sequence_when_applied_then_count_is_the_distinct_users_with_a_connection() {
        PropertyCheck.forAll(2_000, 120, PresencePropertiesTest::operations, ops -> {
            Presence presence = new Presence();
            Map<UserId, Set<ConnectionId>> model = new LinkedHashMap<>();

            for (Op op : ops) {
                UserId id = op.who().id();
                PresenceChange change;
                if (op.join()) {
                    change = presence.join(op.connection(), op.who());
                    model.computeIfAbsent(id, k -> new HashSet<>()).add(op.connection());
                } else {
                    change = presence.leave(op.connection(), id);
                    Set<ConnectionId> connections = model.get(id);
                    if (connections != null && connections.remove(op.connection()) && connections.isEmpty()) {
                        model.remove(id);
                    }
                }

                assertThat(change.count()).isEqualTo(model.size());
                assertThat(presence.count()).isEqualTo(model.size());
                assertThat(presence.isEmpty()).isEqualTo(model.isEmpty());
                assertThat(presence.members()).extracting(User::id).containsExactlyElementsOf(model.keySet());
                for (int user = 0; user < USERS; user++) {
                    UserId someone = UserId.of("user-" + user);
                    Set<ConnectionId> connections = model.getOrDefault(someone, Set.of());
                    assertThat(presence.connectionsOf(someone)).isEqualTo(connections.size());
                    assertThat(presence.contains(someone)).isEqualTo(!connections.isEmpty());
                }
            }
        });
    }

    @Test
    void given_any_join_leave_sequence_when_applied_then_joined_and_left_alternate_per_user_on_transitions_only() {
        PropertyCheck.forAll(2_000, 120, PresencePropertiesTest::operations, ops -> {
            Presence presence = new Presence();
            Map<Integer, Set<Integer>> tabsOf = new HashMap<>();
            Map<Integer, Boolean> lastEventWasJoin = new HashMap<>();

            for (Op op : ops) {
                Set<Integer> tabs = tabsOf.computeIfAbsent(op.user(), k -> new HashSet<>());
                boolean presentBefore = !tabs.isEmpty();
                PresenceChange change;
                if (op.join()) {
                    change = presence.join(op.connection(), op.who());
                    tabs.add(op.tab());
                } else {
                    change = presence.leave(op.connection(), op.who().id());
                    tabs.remove(op.tab());
                }
                boolean presentAfter = !tabs.isEmpty();

                if (!presentBefore && presentAfter) {
                    assertThat(change).isInstanceOf(PresenceChange.Joined.class);
                } else if (presentBefore && !presentAfter) {
                    assertThat(change).isInstanceOf(PresenceChange.Left.class);
                } else {
                    assertThat(change).isInstanceOf(PresenceChange.Unchanged.class);
                }

                if (change instanceof PresenceChange.Joined joined) {
                    assertThat(joined.user()).isEqualTo(op.who());
                    assertThat(lastEventWasJoin.get(op.user())).as("a Joined follows nothing or a Left")
                            .isNotEqualTo(Boolean.TRUE);
                    lastEventWasJoin.put(op.user(), true);
                } else if (change instanceof PresenceChange.Left left) {
                    assertThat(left.user()).isEqualTo(op.who());
                    assertThat(lastEventWasJoin.get(op.user())).as("a Left follows a Joined").isEqualTo(Boolean.TRUE);
                    lastEventWasJoin.put(op.user(), false);
                }
            }
        });
    }

    @Test
    void given_connection_ids_shared_between_users_when_applied_then_each_connection_counts_only_for_the_user_it_joined_as() {
        PropertyCheck.forAll(2_000, 120, PresencePropertiesTest::operations, ops -> {
            Presence presence = new Presence();
            Map<ConnectionId, UserId> joinedAs = new HashMap<>();
            Map<UserId, Integer> model = new LinkedHashMap<>();

            for (Op op : ops) {
                // one connection id for every user: it is a member as whoever joined it first, until it leaves
                ConnectionId connection = ConnectionId.of("tab-" + op.tab());
                UserId id = op.who().id();
                PresenceChange change;
                PresenceChange expected;
                if (op.join()) {
                    change = presence.join(connection, op.who());
                    if (joinedAs.putIfAbsent(connection, id) == null && model.merge(id, 1, Integer::sum) == 1) {
                        expected = new PresenceChange.Joined(op.who(), model.size());
                    } else {
                        expected = new PresenceChange.Unchanged(model.size());
                    }
                } else {
                    change = presence.leave(connection, id);
                    if (joinedAs.remove(connection, id) && model.merge(id, -1, Integer::sum) == 0) {
                        model.remove(id);
                        expected = new PresenceChange.Left(op.who(), model.size());
                    } else {
                        expected = new PresenceChange.Unchanged(model.size());
                    }
                }

                assertThat(change).isEqualTo(expected);
                assertThat(presence.members()).extracting(User::id).containsExactlyElementsOf(model.keySet());
                assertThat(presence.memberships()).hasSize(joinedAs.size());
                joinedAs.forEach((tab, user) -> assertThat(presence.memberships().get(tab).id()).isEqualTo(user));
            }
        });
    }
}

package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UserConnectionsTest {
    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");
    private static final ConnectionId C1 = ConnectionId.of("c1");
    private static final ConnectionId C2 = ConnectionId.of("c2");
    private static final ConnectionId C3 = ConnectionId.of("c3");

    private final UserConnections connections = new UserConnections();

    @Test
    void given_limit_of_two_when_three_connections_arrive_then_the_third_is_refused() {
        assertThat(connections.admit(ALICE, C1, 2)).isTrue();
        assertThat(connections.admit(ALICE, C2, 2)).isTrue();

        assertThat(connections.admit(ALICE, C3, 2)).isFalse();
        assertThat(connections.count(ALICE)).isEqualTo(2);
    }

    @Test
    void given_admitted_connection_when_admitted_again_then_admitted_without_a_second_place() {
        connections.admit(ALICE, C1, 1);

        assertThat(connections.admit(ALICE, C1, 1)).isTrue();
        assertThat(connections.count(ALICE)).isEqualTo(1);
        assertThat(connections.admit(ALICE, C2, 1)).isFalse();
    }

    @Test
    void given_user_at_the_limit_when_one_connection_is_released_then_a_new_one_is_admitted() {
        connections.admit(ALICE, C1, 1);

        connections.release(ALICE, C1);

        assertThat(connections.count(ALICE)).isZero();
        assertThat(connections.admit(ALICE, C2, 1)).isTrue();
    }

    @Test
    void given_user_at_the_limit_when_an_unknown_connection_or_another_users_is_released_then_no_place_is_freed() {
        connections.admit(ALICE, C1, 1);

        connections.release(ALICE, C2);
        connections.release(BOB, C1);
        connections.release(BOB, C2);

        assertThat(connections.admit(ALICE, C3, 1)).isFalse();
    }

    @Test
    void given_user_at_the_limit_when_another_user_connects_then_admitted() {
        connections.admit(ALICE, C1, 1);

        assertThat(connections.admit(BOB, C2, 1)).isTrue();
        assertThat(connections.admit(BOB, C1, 2)).as("the limit is per user, connection ids included").isTrue();
        assertThat(connections.count(BOB)).isEqualTo(2);
    }

    @Test
    void given_limit_lowered_meanwhile_when_admitting_then_new_connections_wait_but_admitted_ones_stay() {
        connections.admit(ALICE, C1, 3);
        connections.admit(ALICE, C2, 3);

        assertThat(connections.admit(ALICE, C3, 1)).isFalse();
        assertThat(connections.admit(ALICE, C2, 1)).isTrue();
    }

    @Test
    void given_limit_of_zero_when_admitting_then_refused() {
        assertThat(connections.admit(ALICE, C1, 0)).isFalse();
        assertThat(connections.count(ALICE)).isZero();
    }

    @Test
    void given_admissions_when_reading_admitted_then_every_users_connections_as_an_independent_copy() {
        connections.admit(ALICE, C1, 2);
        connections.admit(ALICE, C2, 2);
        connections.admit(BOB, C3, 2);
        connections.release(BOB, C3);

        Map<UserId, Set<ConnectionId>> admitted = connections.admitted();
        admitted.clear();

        assertThat(connections.admitted()).isEqualTo(Map.of(ALICE, Set.of(C1, C2)));
    }

    @Test
    void given_missing_user_or_connection_when_admitting_then_null_pointer() {
        assertThatNullPointerException().isThrownBy(() -> connections.admit(null, C1, 1));
        assertThatNullPointerException().isThrownBy(() -> connections.admit(ALICE, null, 1));
    }

    record Op(boolean admit, int user, int connection, int limit) {
        UserId who() {
            return UserId.of("user-" + user);
        }

        ConnectionId id() {
            return ConnectionId.of("c" + connection);
        }

        @Override
        public String toString() {
            return (admit ? "admit " : "release ") + user + "/" + connection + (admit ? " max " + limit : "");
        }
    }

    static List<Op> operations(SplittableRandom random, int size) {
        int count = random.nextInt(size + 1);
        List<Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ops.add(new Op(random.nextInt(3) > 0, random.nextInt(3), random.nextInt(5), random.nextInt(4)));
        }
        return ops;
    }

    @Test
    void given_any_admit_release_sequence_when_applied_then_each_answer_is_already_admitted_or_below_the_limit() {
        PropertyCheck.forAll(2_000, 120, UserConnectionsTest::operations, ops -> {
            UserConnections subject = new UserConnections();
            Map<UserId, Set<ConnectionId>> model = new HashMap<>();

            for (Op op : ops) {
                Set<ConnectionId> open = model.computeIfAbsent(op.who(), id -> new HashSet<>());
                if (op.admit()) {
                    boolean expected = open.contains(op.id()) || open.size() < op.limit();
                    assertThat(subject.admit(op.who(), op.id(), op.limit())).isEqualTo(expected);
                    if (expected) {
                        open.add(op.id());
                    }
                } else {
                    subject.release(op.who(), op.id());
                    open.remove(op.id());
                }
                model.values().removeIf(Set::isEmpty);

                assertThat(subject.admitted()).isEqualTo(model);
                for (int user = 0; user < 3; user++) {
                    UserId someone = UserId.of("user-" + user);
                    assertThat(subject.count(someone)).isEqualTo(model.getOrDefault(someone, Set.of()).size());
                }
            }
        });
    }
}

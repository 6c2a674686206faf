package dev.parley.domain;

import static dev.parley.domain.Refusals.codeOf;
import static dev.parley.domain.Refusals.messageOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class RoomAccessPolicyTest {
    private static final RoomAccessPolicy POLICY = new RoomAccessPolicy();
    private static final Principal ALICE = new Principal(User.named("alice"), RoomGrants.of("private:team-*"));
    private static final Principal BOB = new Principal(User.named("bob"), RoomGrants.NONE);
    private static final RoomName LOBBY = RoomName.of("lobby");
    private static final RoomName TEAM = RoomName.of("private:team-dev");

    @Test
    void given_public_room_when_anyone_accesses_then_permitted() {
        assertThat(POLICY.mayAccess(BOB, LOBBY)).isEqualTo(AccessDecision.PERMITTED);
        assertThat(POLICY.mayAccess(ALICE, RoomName.of("Private:x")).isPermitted()).isTrue();
    }

    @Test
    void given_private_room_with_matching_grant_when_accessing_then_permitted() {
        assertThat(POLICY.mayAccess(ALICE, TEAM).isPermitted()).isTrue();
    }

    @Test
    void given_private_room_without_grant_when_accessing_then_forbidden() {
        AccessDecision decision = POLICY.mayAccess(BOB, TEAM);

        assertThat(codeOf(decision)).isEqualTo(Refusal.FORBIDDEN);
        assertThat(messageOf(decision)).contains("private:team-dev");
    }

    @Test
    void given_private_room_outside_the_grant_when_accessing_then_forbidden() {
        assertThat(codeOf(POLICY.mayAccess(ALICE, RoomName.of("private:board")))).isEqualTo(Refusal.FORBIDDEN);
    }

    @Test
    void given_own_personal_room_when_accessing_then_permitted() {
        assertThat(POLICY.mayAccess(BOB, RoomName.of("user:bob")).isPermitted()).isTrue();
    }

    @Test
    void given_another_users_personal_room_when_accessing_then_forbidden() {
        AccessDecision decision = POLICY.mayAccess(BOB, RoomName.of("user:alice"));

        assertThat(codeOf(decision)).isEqualTo(Refusal.FORBIDDEN);
        assertThat(messageOf(decision)).contains("user:alice");
    }

    @Test
    void given_personal_room_of_a_user_whose_id_extends_ours_when_accessing_then_forbidden() {
        assertThat(codeOf(POLICY.mayAccess(BOB, RoomName.of("user:bobby")))).isEqualTo(Refusal.FORBIDDEN);
        assertThat(codeOf(POLICY.mayAccess(BOB, RoomName.of("user:bo")))).isEqualTo(Refusal.FORBIDDEN);
    }

    @Test
    void given_grant_covering_another_users_personal_room_when_accessing_then_still_forbidden() {
        Principal greedy = new Principal(User.named("mallory"), RoomGrants.of("*"));

        assertThat(codeOf(POLICY.mayAccess(greedy, RoomName.of("user:alice")))).isEqualTo(Refusal.FORBIDDEN);
        assertThat(POLICY.mayAccess(greedy, TEAM).isPermitted()).isTrue();
    }

    @Test
    void given_missing_parts_when_constructing_then_null_pointer() {
        assertThatNullPointerException().isThrownBy(() -> new Principal(null, RoomGrants.NONE));
        assertThatNullPointerException().isThrownBy(() -> new Principal(User.named("a"), null));
        assertThatNullPointerException().isThrownBy(() -> AccessDecision.refused(null, "m"));
        assertThatNullPointerException().isThrownBy(() -> AccessDecision.refused(Refusal.FORBIDDEN, null));
    }

    @Test
    void given_principal_when_asking_id_then_the_users_id() {
        assertThat(ALICE.id()).isEqualTo(UserId.of("alice"));
    }
}

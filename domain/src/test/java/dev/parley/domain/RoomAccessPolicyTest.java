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
    void givenPublicRoom_whenAnyoneAccesses_thenPermitted() {
        assertThat(POLICY.mayAccess(BOB, LOBBY)).isEqualTo(AccessDecision.PERMITTED);
        assertThat(POLICY.mayAccess(ALICE, RoomName.of("Private:x")).isPermitted()).isTrue();
    }

    @Test
    void givenPrivateRoomWithMatchingGrant_whenAccessing_thenPermitted() {
        assertThat(POLICY.mayAccess(ALICE, TEAM).isPermitted()).isTrue();
    }

    @Test
    void givenPrivateRoomWithoutGrant_whenAccessing_thenForbidden() {
        AccessDecision decision = POLICY.mayAccess(BOB, TEAM);

        assertThat(codeOf(decision)).isEqualTo(Refusal.FORBIDDEN);
        assertThat(messageOf(decision)).contains("private:team-dev");
    }

    @Test
    void givenPrivateRoomOutsideTheGrant_whenAccessing_thenForbidden() {
        assertThat(codeOf(POLICY.mayAccess(ALICE, RoomName.of("private:board")))).isEqualTo(Refusal.FORBIDDEN);
    }

    @Test
    void givenOwnPersonalRoom_whenAccessing_thenPermitted() {
        assertThat(POLICY.mayAccess(BOB, RoomName.of("user:bob")).isPermitted()).isTrue();
    }

    @Test
    void givenAnotherUsersPersonalRoom_whenAccessing_thenForbidden() {
        AccessDecision decision = POLICY.mayAccess(BOB, RoomName.of("user:alice"));

        assertThat(codeOf(decision)).isEqualTo(Refusal.FORBIDDEN);
        assertThat(messageOf(decision)).contains("user:alice");
    }

    @Test
    void givenPersonalRoomOfAUserWhoseIdExtendsOurs_whenAccessing_thenForbidden() {
        assertThat(codeOf(POLICY.mayAccess(BOB, RoomName.of("user:bobby")))).isEqualTo(Refusal.FORBIDDEN);
        assertThat(codeOf(POLICY.mayAccess(BOB, RoomName.of("user:bo")))).isEqualTo(Refusal.FORBIDDEN);
    }

    @Test
    void givenGrantCoveringAnotherUsersPersonalRoom_whenAccessing_thenStillForbidden() {
        Principal greedy = new Principal(User.named("mallory"), RoomGrants.of("*"));

        assertThat(codeOf(POLICY.mayAccess(greedy, RoomName.of("user:alice")))).isEqualTo(Refusal.FORBIDDEN);
        assertThat(POLICY.mayAccess(greedy, TEAM).isPermitted()).isTrue();
    }

    @Test
    void givenMissingParts_whenConstructing_thenNullPointer() {
        assertThatNullPointerException().isThrownBy(() -> new Principal(null, RoomGrants.NONE));
        assertThatNullPointerException().isThrownBy(() -> new Principal(User.named("a"), null));
        assertThatNullPointerException().isThrownBy(() -> AccessDecision.refused(null, "m"));
        assertThatNullPointerException().isThrownBy(() -> AccessDecision.refused(Refusal.FORBIDDEN, null));
    }

    @Test
    void givenPrincipal_whenAskingId_thenTheUsersId() {
        assertThat(ALICE.id()).isEqualTo(UserId.of("alice"));
    }
}

package dev.parley.domain;

import static dev.parley.domain.Refusals.codeOf;
import static dev.parley.domain.Refusals.messageOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class RoomAccessPolicyTest {
    private static final RoomAccessPolicy POLICY = new RoomAccessPolicy(Limits.DEFAULTS);
    private static final Principal ALICE = new Principal(User.named("alice"), RoomGrants.of("private:team-*"));
    private static final Principal BOB = new Principal(User.named("bob"), RoomGrants.NONE);
    private static final RoomName LOBBY = RoomName.of("lobby");
    private static final RoomName TEAM = RoomName.of("private:team-dev");

    private static AccessDecision join(Principal who, RoomName room, int roomsOfConnection, boolean alreadyJoined,
                                       int usersInRoom, boolean alreadyPresent) {
        return POLICY.mayJoin(who, room, roomsOfConnection, alreadyJoined, usersInRoom, alreadyPresent);
    }

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

        assertThat(codeOf(decision)).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(messageOf(decision)).contains("private:team-dev");
    }

    @Test
    void givenPrivateRoomOutsideTheGrant_whenAccessing_thenForbidden() {
        assertThat(codeOf(POLICY.mayAccess(ALICE, RoomName.of("private:board")))).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void givenOwnPersonalRoom_whenAccessing_thenPermitted() {
        assertThat(POLICY.mayAccess(BOB, RoomName.of("user:bob")).isPermitted()).isTrue();
    }

    @Test
    void givenAnotherUsersPersonalRoom_whenAccessing_thenForbidden() {
        AccessDecision decision = POLICY.mayAccess(BOB, RoomName.of("user:alice"));

        assertThat(codeOf(decision)).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(messageOf(decision)).contains("user:alice");
    }

    @Test
    void givenPersonalRoomOfAUserWhoseIdExtendsOurs_whenAccessing_thenForbidden() {
        assertThat(codeOf(POLICY.mayAccess(BOB, RoomName.of("user:bobby")))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(codeOf(POLICY.mayAccess(BOB, RoomName.of("user:bo")))).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void givenGrantCoveringAnotherUsersPersonalRoom_whenAccessing_thenStillForbidden() {
        Principal greedy = new Principal(User.named("mallory"), RoomGrants.of("*"));

        assertThat(codeOf(POLICY.mayAccess(greedy, RoomName.of("user:alice")))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(POLICY.mayAccess(greedy, TEAM).isPermitted()).isTrue();
    }

    @Test
    void givenRoomWithinLimits_whenJoining_thenPermitted() {
        assertThat(join(ALICE, LOBBY, 0, false, 0, false)).isEqualTo(AccessDecision.PERMITTED);
        assertThat(join(ALICE, LOBBY, 99, false, 9_999, false).isPermitted()).isTrue();
    }

    @Test
    void givenPrivateRoomWithoutGrant_whenJoining_thenForbidden() {
        assertThat(codeOf(join(BOB, TEAM, 0, false, 0, false))).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void givenAnotherUsersPersonalRoom_whenJoining_thenForbidden() {
        assertThat(codeOf(join(BOB, RoomName.of("user:alice"), 0, false, 0, false))).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void givenForbiddenRoomAndEveryLimitReached_whenJoining_thenForbiddenComesFirst() {
        assertThat(codeOf(join(BOB, TEAM, 100, false, 10_000, false))).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void givenConnectionAt100Rooms_whenJoiningAnother_thenTooManyRooms() {
        AccessDecision decision = join(ALICE, LOBBY, 100, false, 0, false);

        assertThat(codeOf(decision)).isEqualTo(ErrorCode.TOO_MANY_ROOMS);
        assertThat(messageOf(decision)).contains("100");
    }

    @Test
    void givenConnectionAt100Rooms_whenRejoiningOneOfThem_thenPermittedBecauseNoNewSlot() {
        assertThat(join(ALICE, LOBBY, 100, true, 5, true).isPermitted()).isTrue();
    }

    @Test
    void givenRoomAt10000Users_whenNewUserJoins_thenRoomFull() {
        AccessDecision decision = join(ALICE, LOBBY, 0, false, 10_000, false);

        assertThat(codeOf(decision)).isEqualTo(ErrorCode.ROOM_FULL);
        assertThat(messageOf(decision)).contains("lobby").contains("10000");
    }

    @Test
    void givenRoomAt10000UsersAndUserAlreadyPresent_whenJoiningFromAnotherTab_thenPermittedBecauseNoNewSlot() {
        assertThat(join(ALICE, LOBBY, 3, false, 10_000, true).isPermitted()).isTrue();
    }

    @Test
    void givenBothLimitsReached_whenJoining_thenTooManyRoomsComesFirst() {
        assertThat(codeOf(join(ALICE, LOBBY, 100, false, 10_000, false))).isEqualTo(ErrorCode.TOO_MANY_ROOMS);
    }

    @Test
    void givenRejoinIntoFullRoomWhileNotPresent_whenJoining_thenRoomFull() {
        assertThat(codeOf(join(ALICE, LOBBY, 100, true, 10_000, false))).isEqualTo(ErrorCode.ROOM_FULL);
    }

    @Test
    void givenSmallerConfiguredLimits_whenJoining_thenThoseLimitsApply() {
        RoomAccessPolicy policy = new RoomAccessPolicy(new Limits(4000, 8192, 16, 65536, 2, 10, 3, 50, 100));

        assertThat(policy.mayJoin(ALICE, LOBBY, 1, false, 2, false).isPermitted()).isTrue();
        assertThat(codeOf(policy.mayJoin(ALICE, LOBBY, 2, false, 0, false))).isEqualTo(ErrorCode.TOO_MANY_ROOMS);
        assertThat(codeOf(policy.mayJoin(ALICE, LOBBY, 0, false, 3, false))).isEqualTo(ErrorCode.ROOM_FULL);
    }

    @Test
    void givenJoinedConnection_whenWriting_thenPermitted() {
        assertThat(POLICY.mayWrite(LOBBY, true)).isEqualTo(AccessDecision.PERMITTED);
    }

    @Test
    void givenConnectionNotJoined_whenWriting_thenNotMember() {
        AccessDecision decision = POLICY.mayWrite(LOBBY, false);

        assertThat(codeOf(decision)).isEqualTo(ErrorCode.NOT_MEMBER);
        assertThat(messageOf(decision)).contains("lobby");
        assertThat(decision.isPermitted()).isFalse();
    }

    @Test
    void givenMissingParts_whenConstructing_thenNullPointer() {
        assertThatNullPointerException().isThrownBy(() -> new RoomAccessPolicy(null));
        assertThatNullPointerException().isThrownBy(() -> new Principal(null, RoomGrants.NONE));
        assertThatNullPointerException().isThrownBy(() -> new Principal(User.named("a"), null));
        assertThatNullPointerException().isThrownBy(() -> AccessDecision.refused(null, "m"));
        assertThatNullPointerException().isThrownBy(() -> AccessDecision.refused(ErrorCode.FORBIDDEN, null));
    }

    @Test
    void givenPrincipal_whenAskingId_thenTheUsersId() {
        assertThat(ALICE.id()).isEqualTo(UserId.of("alice"));
    }
}

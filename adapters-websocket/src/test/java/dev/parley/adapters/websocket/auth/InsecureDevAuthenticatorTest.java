package dev.parley.adapters.websocket.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.domain.RoomGrants;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link InsecureDevAuthenticator}: the {@code insecure-dev} mode of docs/protocol.md section 1. */
class InsecureDevAuthenticatorTest {
    private final InsecureDevAuthenticator authenticator = new InsecureDevAuthenticator();

    private Authenticator.Result authenticate(Optional<String> user, Optional<String> name) {
        return authenticator.authenticate(Optional.empty(), user, name);
    }

    private static Authenticator.Authenticated accepted(Authenticator.Result result) {
        assertThat(result).isInstanceOf(Authenticator.Authenticated.class);
        return (Authenticator.Authenticated) result;
    }

    @Test
    void givenUserAndName_whenAuthenticating_thenThatUserWithThatNameAndNoGrantsNorExpiry() {
        Authenticator.Authenticated result = accepted(authenticate(Optional.of("alice"), Optional.of("Alice L.")));

        assertThat(result.principal().user()).isEqualTo(new User(UserId.of("alice"), "Alice L."));
        assertThat(result.principal().grants()).isEqualTo(RoomGrants.NONE);
        assertThat(result.expiresAtMillis()).isEmpty();
    }

    @Test
    void givenUserWithoutName_whenAuthenticating_thenNameIsTheUserId() {
        Authenticator.Authenticated result = accepted(authenticate(Optional.of("alice"), Optional.empty()));

        assertThat(result.principal().user()).isEqualTo(new User(UserId.of("alice"), "alice"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\u0000\r\n"})
    void givenBlankName_whenAuthenticating_thenNameIsTheUserId(String name) {
        Authenticator.Authenticated result = accepted(authenticate(Optional.of("alice"), Optional.of(name)));

        assertThat(result.principal().user().name()).isEqualTo("alice");
    }

    @Test
    void givenNameWithControlsAndOver64CodePoints_whenAuthenticating_thenCleanedAndCut() {
        Authenticator.Authenticated result = accepted(authenticate(Optional.of("alice"),
                Optional.of(" Al\u0007ice " + "x".repeat(100))));

        assertThat(result.principal().user().name()).startsWith("Alice x").hasSize(64);
    }

    @Test
    void givenTokenButNoUser_whenAuthenticating_thenTokenIsIgnoredAndAGuestConnects() {
        Authenticator.Result result = authenticator.authenticate(Optional.of("some.jwt.token"), Optional.empty(),
                Optional.empty());

        assertThat(accepted(result).principal().id().value()).matches("guest-[0-9a-f]{4}");
    }

    @Test
    void givenNoUser_whenAuthenticating_thenRandomGuestNamedAfterItself() {
        Authenticator.Authenticated result = accepted(authenticate(Optional.empty(), Optional.empty()));

        String id = result.principal().id().value();
        assertThat(id).matches("guest-[0-9a-f]{4}");
        assertThat(result.principal().user().name()).isEqualTo(id);
    }

    @Test
    void givenEmptyUser_whenAuthenticating_thenRandomGuest() {
        Authenticator.Authenticated result = accepted(authenticate(Optional.of(""), Optional.of("Visitor")));

        assertThat(result.principal().id().value()).matches("guest-[0-9a-f]{4}");
        assertThat(result.principal().user().name()).isEqualTo("Visitor");
    }

    @Test
    void givenManyConnectionsWithoutUser_whenAuthenticating_thenGuestIdsAreRandom() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            ids.add(accepted(authenticate(Optional.empty(), Optional.empty())).principal().id().value());
        }

        // 50 draws from 65,536 values: all equal only if the ids are not random at all
        assertThat(ids).hasSizeGreaterThan(40);
    }

    @ParameterizedTest
    @ValueSource(strings = {"two words", "tab\tid", "new\nline", "nul\u0000", "nbsp\u00a0id", "lone\ud800"})
    void givenInvalidUserId_whenAuthenticating_thenRejected(String user) {
        Authenticator.Result result = authenticate(Optional.of(user), Optional.of("Name"));

        assertThat(result).isInstanceOf(Authenticator.Rejected.class);
        assertThat(((Authenticator.Rejected) result).reason()).contains("user id");
    }

    @Test
    void givenUserIdOf129Characters_whenAuthenticating_thenRejected() {
        assertThat(authenticate(Optional.of("u".repeat(129)), Optional.empty()))
                .isInstanceOf(Authenticator.Rejected.class);
    }

    @Test
    void givenUserIdOf128VisibleCharacters_whenAuthenticating_thenAccepted() {
        String id = "\u00e9l\u00e8ve:" + "u".repeat(122);

        assertThat(accepted(authenticate(Optional.of(id), Optional.empty())).principal().id().value())
                .isEqualTo(id);
    }
}

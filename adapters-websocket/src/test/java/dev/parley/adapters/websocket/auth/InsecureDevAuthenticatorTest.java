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
    void given_user_and_name_when_authenticating_then_that_user_with_that_name_and_no_grants_nor_expiry() {
        Authenticator.Authenticated result = accepted(authenticate(Optional.of("alice"), Optional.of("Alice L.")));

        assertThat(result.principal().user()).isEqualTo(new User(UserId.of("alice"), "Alice L."));
        assertThat(result.principal().grants()).isEqualTo(RoomGrants.NONE);
        assertThat(result.expiresAtMillis()).isEmpty();
    }

    @Test
    void given_user_without_name_when_authenticating_then_name_is_the_user_id() {
        Authenticator.Authenticated result = accepted(authenticate(Optional.of("alice"), Optional.empty()));

        assertThat(result.principal().user()).isEqualTo(new User(UserId.of("alice"), "alice"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\u0000\r\n"})
    void given_blank_name_when_authenticating_then_name_is_the_user_id(String name) {
        Authenticator.Authenticated result = accepted(authenticate(Optional.of("alice"), Optional.of(name)));

        assertThat(result.principal().user().name()).isEqualTo("alice");
    }

    @Test
    void given_name_with_controls_and_over_64_code_points_when_authenticating_then_cleaned_and_cut() {
        Authenticator.Authenticated result = accepted(authenticate(Optional.of("alice"),
                Optional.of(" Al\u0007ice " + "x".repeat(100))));

        assertThat(result.principal().user().name()).startsWith("Alice x").hasSize(64);
    }

    @Test
    void given_token_but_no_user_when_authenticating_then_token_is_ignored_and_a_guest_connects() {
        Authenticator.Result result = authenticator.authenticate(Optional.of("some.jwt.token"), Optional.empty(),
                Optional.empty());

        assertThat(accepted(result).principal().id().value()).matches("guest-[0-9a-f]{4}");
    }

    @Test
    void given_no_user_when_authenticating_then_random_guest_named_after_itself() {
        Authenticator.Authenticated result = accepted(authenticate(Optional.empty(), Optional.empty()));

        String id = result.principal().id().value();
        assertThat(id).matches("guest-[0-9a-f]{4}");
        assertThat(result.principal().user().name()).isEqualTo(id);
    }

    @Test
    void given_empty_user_when_authenticating_then_random_guest() {
        Authenticator.Authenticated result = accepted(authenticate(Optional.of(""), Optional.of("Visitor")));

        assertThat(result.principal().id().value()).matches("guest-[0-9a-f]{4}");
        assertThat(result.principal().user().name()).isEqualTo("Visitor");
    }

    @Test
    void given_many_connections_without_user_when_authenticating_then_guest_ids_are_random() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            ids.add(accepted(authenticate(Optional.empty(), Optional.empty())).principal().id().value());
        }

        // 50 draws from 65,536 values: all equal only if the ids are not random at all
        assertThat(ids).hasSizeGreaterThan(40);
    }

    @ParameterizedTest
    @ValueSource(strings = {"two words", "tab\tid", "new\nline", "nul\u0000", "nbsp\u00a0id", "lone\ud800"})
    void given_invalid_user_id_when_authenticating_then_rejected(String user) {
        Authenticator.Result result = authenticate(Optional.of(user), Optional.of("Name"));

        assertThat(result).isInstanceOf(Authenticator.Rejected.class);
        assertThat(((Authenticator.Rejected) result).reason()).contains("user id");
    }

    @Test
    void given_user_id_of_129_characters_when_authenticating_then_rejected() {
        assertThat(authenticate(Optional.of("u".repeat(129)), Optional.empty()))
                .isInstanceOf(Authenticator.Rejected.class);
    }

    @Test
    void given_user_id_of_128_visible_characters_when_authenticating_then_accepted() {
        String id = "\u00e9l\u00e8ve:" + "u".repeat(122);

        assertThat(accepted(authenticate(Optional.of(id), Optional.empty())).principal().id().value())
                .isEqualTo(id);
    }
}

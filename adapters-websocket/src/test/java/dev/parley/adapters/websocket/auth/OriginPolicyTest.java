package dev.parley.adapters.websocket.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link OriginPolicy}: the 403 of docs/protocol.md section 1. */
class OriginPolicyTest {
    private static final String HOST = "chat.example.com";

    @Nested
    class WithoutOriginHeader {

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"chat.example.com", "other.example.org:8080"})
        void given_no_origin_when_checking_any_policy_then_permitted(String host) {
            assertThat(new OriginPolicy(List.of()).permits(null, host)).isTrue();
            assertThat(new OriginPolicy(List.of("https://app.example.com")).permits(null, host)).isTrue();
        }
    }

    @Nested
    class DefaultPolicy {
        private final OriginPolicy policy = new OriginPolicy(List.of());

        @ParameterizedTest
        @ValueSource(strings = {"https://chat.example.com", "http://chat.example.com", "https://CHAT.Example.com",
            "https://chat.example.com/"})
        void givenOriginOfTheServersOwnHost_whenChecking_thenPermitted(String origin) {
            assertThat(policy.permits(origin, HOST)).isTrue();
        }

        @Test
        void given_origin_of_the_servers_own_host_and_port_when_checking_then_permitted() {
            assertThat(policy.permits("https://chat.example.com:8443", "chat.example.com:8443")).isTrue();
        }

        @Test
        void given_own_host_on_another_port_when_checking_then_refused() {
            assertThat(policy.permits("https://chat.example.com:9999", "chat.example.com:8443")).isFalse();
            assertThat(policy.permits("https://chat.example.com:9999", HOST)).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"http://localhost", "http://localhost:5173", "https://localhost:8443",
            "http://LOCALHOST:3000", "http://127.0.0.1", "http://127.0.0.1:8080", "http://[::1]",
            "http://[::1]:5173", "http://localhost:5173/"})
        void givenLoopbackOriginOnAnyPort_whenChecking_thenPermitted(String origin) {
            assertThat(policy.permits(origin, HOST)).isTrue();
            assertThat(policy.permits(origin, null)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"https://evil.example.com", "https://chat.example.com.evil.com",
            "https://evilchat.example.com", "http://localhost.evil.com", "http://127.0.0.2:8080",
            "http://127.0.0.1.evil.com", "http://[::2]:80", "https://example.com"})
        void givenForeignOrigin_whenChecking_thenRefused(String origin) {
            assertThat(policy.permits(origin, HOST)).isFalse();
        }

        @Test
        void given_foreign_origin_and_no_host_header_when_checking_then_refused() {
            assertThat(policy.permits("https://chat.example.com", null)).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"null", "", "   ", "chat.example.com", "://", "http://", "%%%", "http://exa mple.com",
            "file:///etc/passwd", "data:text/html,hi", "http://[::1", "\u0000"})
        void givenGarbageOrOpaqueOrigin_whenChecking_thenRefused(String origin) {
            assertThat(policy.permits(origin, HOST)).isFalse();
            assertThat(policy.permits(origin, origin)).isFalse();
        }
    }

    @Nested
    class ConfiguredList {
        private final OriginPolicy policy = new OriginPolicy(List.of("https://app.example.com",
                "http://localhost:3000"));

        @ParameterizedTest
        @ValueSource(strings = {"https://app.example.com", "https://APP.Example.COM", "https://app.example.com/",
            "HTTPS://app.example.com", "http://localhost:3000"})
        void givenListedOriginUpToCaseAndTrailingSlash_whenChecking_thenPermitted(String origin) {
            assertThat(policy.permits(origin, HOST)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"http://app.example.com", "https://app.example.com:443", "https://app.example.com:8443",
            "https://www.app.example.com", "https://app.example.co", "https://app.example.com.evil.com",
            "http://localhost:3001", "http://localhost", "http://127.0.0.1:3000", "https://app.example.com/x"})
        void givenOriginNotExactlyListed_whenChecking_thenRefused(String origin) {
            assertThat(policy.permits(origin, HOST)).isFalse();
        }

        @Test
        void given_the_servers_own_origin_not_in_the_list_when_checking_then_refused() {
            assertThat(policy.permits("https://chat.example.com", HOST)).isFalse();
        }

        @Test
        void given_list_entries_with_case_and_trailing_slash_when_checking_then_they_match_their_plain_form() {
            OriginPolicy spelled = new OriginPolicy(List.of("HTTPS://App.Example.com/"));

            assertThat(spelled.permits("https://app.example.com", HOST)).isTrue();
            assertThat(spelled.permits("https://other.example.com", HOST)).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"null", "", "%%%"})
        void given_garbage_origin_when_checking_then_refused(String origin) {
            assertThat(policy.permits(origin, HOST)).isFalse();
        }
    }

    @Nested
    class Wildcard {

        @ParameterizedTest
        @ValueSource(strings = {"https://anything.example.net", "http://localhost:1", "null", "%%%"})
        void given_star_when_checking_then_any_origin_permitted(String origin) {
            assertThat(new OriginPolicy(List.of("*")).permits(origin, HOST)).isTrue();
            assertThat(new OriginPolicy(List.of("https://app.example.com", "*")).permits(origin, HOST)).isTrue();
        }
    }

    @Nested
    class LoopbackOnly {
        private final OriginPolicy policy = OriginPolicy.loopbackOnly();

        @ParameterizedTest
        @ValueSource(strings = {"localhost", "localhost:8080", "LOCALHOST:8080", "127.0.0.1", "127.0.0.1:8080",
            "[::1]", "[::1]:8080"})
        void givenLoopbackHostAndNoOrHttpLoopbackOrigin_whenChecking_thenPermitted(String host) {
            assertThat(policy.permits(null, host)).isTrue();
            assertThat(policy.permits("http://localhost:5173", host)).isTrue();
            assertThat(policy.permits("http://127.0.0.1:8080", host)).isTrue();
            assertThat(policy.permits("http://[::1]:8080", host)).isTrue();
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"rebind.example", "rebind.example:8080", "localhost.rebind.example:8080",
            "127.0.0.1.nip.io:8080", "localhost:80:80", "localhost:port", "10.0.0.1:8080", ""})
        void givenAHostThatIsNotALoopbackName_whenChecking_thenRefusedWhateverTheOrigin(String host) {
            assertThat(policy.permits(null, host)).isFalse();
            assertThat(policy.permits("http://localhost:8080", host)).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"http://rebind.example:8080", "http://localhost.rebind.example", "null",
            "https://evil.example.com"})
        void givenAForeignOrigin_whenChecking_thenRefusedEvenOnALoopbackHost(String origin) {
            assertThat(policy.permits(origin, "127.0.0.1:8080")).isFalse();
        }
    }
}

package dev.parley.adapters.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PusherHttpApiTest {

    @Test
    void given_a_path_with_a_semicolon_when_read_then_it_is_kept_whole() {
        assertThat(PusherHttpApi.rawPath("/apps/1/channels/presence-a;b=c,d@e/users"))
                .isEqualTo("/apps/1/channels/presence-a;b=c,d@e/users");
    }

    @Test
    void given_an_absolute_form_uri_when_read_then_the_path_is_what_follows_the_host() {
        assertThat(PusherHttpApi.rawPath("http://127.0.0.1:8080/apps/1/channels")).isEqualTo("/apps/1/channels");
        assertThat(PusherHttpApi.rawPath("http://127.0.0.1:8080")).isEqualTo("/");
    }
}

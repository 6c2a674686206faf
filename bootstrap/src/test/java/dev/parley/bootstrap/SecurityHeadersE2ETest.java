package dev.parley.bootstrap;

import static dev.parley.bootstrap.E2E.admin;
import static dev.parley.bootstrap.E2E.get;
import static dev.parley.bootstrap.E2E.post;
import static dev.parley.bootstrap.E2E.room;
import static dev.parley.bootstrap.E2E.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md section 10, last paragraph: {@code X-Content-Type-Options: nosniff} on every
 * answer of the server, whichever part of it answers, and a Content-Security-Policy on its
 * HTML pages that allows scripts and connections from their own origin only.
 */
class SecurityHeadersE2ETest {
    private static RunningServer server;
    private static int port;

    @BeforeAll
    static void start() {
        server = E2E.start();
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertNosniff(HttpResponse<?> response) {
        assertThat(response.headers().allValues("X-Content-Type-Options"))
                .as("X-Content-Type-Options of %s (%d)", response.request().uri(), response.statusCode())
                .containsExactly("nosniff");
    }

    private static List<String> policy(HttpResponse<?> response) {
        return response.headers().allValues("Content-Security-Policy");
    }

    private static HttpResponse<String> head(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(TestClient.TIMEOUT).build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void given_any_http_answer_when_received_then_it_carries_nosniff() {
        String room = room("headers");
        List<HttpResponse<String>> answers = List.of(
                get(port, "/health"),
                get(port, "/metrics"),
                post(port, "/health", "{}"),                                        // 405
                get(port, "/api/rooms/" + room + "/messages"),                      // 401, no key
                get(port, "/api/rooms/" + room + "/messages", admin()),             // 200
                post(port, "/api/rooms/" + room + "/messages", "{\"text\":\"hi\"}", admin()), // 201
                post(port, "/api/rooms/" + room + "/messages", "{oops", admin()),  // 400
                get(port, "/api/rooms/" + room + "/presence", admin()),
                get(port, "/api/rooms/bad%20room/presence", admin()),               // 400
                get(port, "/api/nothing-here", admin()),                            // 404
                get(port, "/no-such-file.txt"),                                     // 404
                get(port, "/ws"),                                                   // 401, not even an upgrade
                get(port, "/"),
                get(port, "/index.html"),
                get(port, "/parley.js"),
                get(port, "/demo.js"),
                get(port, "/demo.css"),
                head("/"),
                get(port, "/admin"),
                get(port, "/admin.js"),
                get(port, "/admin.css"),
                head("/admin"));
        assertThat(answers).extracting(HttpResponse::statusCode)
                .containsExactly(200, 200, 405, 401, 200, 201, 400, 200, 400, 404, 404, 401, 200, 200, 200, 200, 200, 200,
                        200, 200, 200, 200);
        answers.forEach(SecurityHeadersE2ETest::assertNosniff);
    }

    @Test
    void given_static_files_when_served_then_scripts_and_styles_have_the_types_nosniff_requires() {
        // With nosniff, a browser runs a script only if served as JavaScript and applies a
        // stylesheet only if served as text/css.
        for (String script : List.of("/parley.js", "/demo.js", "/admin.js")) {
            assertThat(get(port, script).headers().firstValue("Content-Type")).as(script)
                    .hasValueSatisfying(type -> assertThat(type).containsIgnoringCase("javascript"));
        }
        for (String style : List.of("/demo.css", "/admin.css")) {
            assertThat(get(port, style).headers().firstValue("Content-Type")).as(style)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/css"));
        }
    }

    @Test
    void given_refused_websocket_handshakes_when_answered_then_they_carry_nosniff() {
        String token = Tokens.of(user("alice"));
        HttpResponse<?> noToken = TestClient.refusal(TestClient.uri(port, ""), Map.of());
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertNosniff(noToken);
        HttpResponse<?> badOrigin = TestClient.refusal(TestClient.uri(port, ""),
                TestClient.headers("Authorization", "Bearer " + token, "Origin", "https://evil.example"));
        assertThat(badOrigin.statusCode()).isEqualTo(403);
        assertNosniff(badOrigin);

        // 429 and 503 are answered later, once the presence store has admitted or refused.
        try (RunningServer small = E2E.start("--max-connections", "2", "--max-connections-per-user", "1")) {
            String bob = user("bob");
            try (TestClient first = TestClient.connect(small.port(), Tokens.of(bob))) {
                first.welcome();
                HttpResponse<?> tooMany = TestClient.refusal(TestClient.uri(small.port(), ""),
                        TestClient.headers("Authorization", "Bearer " + Tokens.of(bob)));
                assertThat(tooMany.statusCode()).isEqualTo(429);
                assertNosniff(tooMany);
                try (TestClient other = TestClient.connect(small.port(), Tokens.of(user("carol")))) {
                    other.welcome();
                    HttpResponse<?> full = TestClient.refusal(TestClient.uri(small.port(), ""),
                            TestClient.headers("Authorization", "Bearer " + Tokens.of(user("dave"))));
                    assertThat(full.statusCode()).isEqualTo(503);
                    assertNosniff(full);
                }
            }
        }
    }

    @Test
    void given_the_demo_page_when_served_then_its_policy_allows_its_own_origin_only_and_no_inline_script() {
        for (HttpResponse<String> page : List.of(get(port, "/"), get(port, "/index.html"), head("/"))) {
            assertPagePolicy(page);
        }
    }

    @Test
    void given_the_operators_page_when_served_without_a_key_then_it_carries_the_page_policy_and_nosniff() {
        // docs/protocol.md section 10: GET /admin on every node, the HTML itself needs no key
        HttpResponse<String> page = get(port, "/admin");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"/admin.js\"></script>");
        for (HttpResponse<String> answer : List.of(page, head("/admin"))) {
            assertPagePolicy(answer);
            assertNosniff(answer);
        }
    }

    private static void assertPagePolicy(HttpResponse<String> page) {
        assertThat(page.headers().firstValue("Content-Type")).as("type of %s", page.request().uri())
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(policy(page)).as("CSP of %s %s", page.request().method(), page.request().uri()).hasSize(1);
        List<String> directives = new ArrayList<>();
        Arrays.stream(policy(page).get(0).split(";")).map(String::trim).forEach(directives::add);
        assertThat(directives).contains("default-src 'self'", "script-src 'self'", "connect-src 'self'",
                "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'");
        assertThat(policy(page).get(0)).doesNotContain("unsafe-inline", "unsafe-eval", "*");
    }

    @Test
    void given_json_text_and_scripts_when_served_then_they_carry_no_page_policy() {
        for (HttpResponse<String> answer : List.of(get(port, "/health"), get(port, "/metrics"),
                get(port, "/api/rooms/" + room("json") + "/messages", admin()), get(port, "/parley.js"),
                get(port, "/admin.js"), get(port, "/admin.css"))) {
            assertThat(policy(answer)).as("%s", answer.request().uri()).isEmpty();
        }
    }
}

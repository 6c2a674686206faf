package dev.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A room's trace ({@code GET /api/rooms/{room}/trace}) read as a browser would read the event
 * stream: each event's {@code event:} name and its {@code data:} (a {@code /ws} frame), and the
 * comment lines apart. Open once the answer's headers came; closing it ends the request.
 */
final class TraceReader implements AutoCloseable {
    record Event(String name, JsonNode frame) {
    }

    private final HttpResponse<Stream<String>> response;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private TraceReader(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(this::read, "trace-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static TraceReader open(int port, String room) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/rooms/" + room + "/trace"))
                .header(E2E.admin()[0], E2E.admin()[1]).GET().build();
        HttpResponse<Stream<String>> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                .send(request, HttpResponse.BodyHandlers.ofLines());
        return new TraceReader(response);
    }

    HttpResponse<Stream<String>> response() {
        return response;
    }

    List<Event> events() {
        return events;
    }

    /** The trace's chats' texts, in the order they came. */
    List<String> chatTexts() {
        return events.stream().filter(event -> event.name().equals("chat"))
                .map(event -> event.frame().path("payload").path("text").asText()).toList();
    }

    private void read() {
        String[] name = {null};
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            lines.forEach(line -> {
                if (line.startsWith("event:")) {
                    name[0] = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                } else if (line.isEmpty() && data.length() > 0) {
                    events.add(new Event(name[0] == null ? "message" : name[0], E2E.json(data.toString())));
                    name[0] = null;
                    data.setLength(0);
                }
            });
        } catch (RuntimeException e) {
            // the stream ended: closed by the test or the server
        }
    }

    @Override
    public void close() {
        reader.interrupt();
        response.body().close();
    }
}

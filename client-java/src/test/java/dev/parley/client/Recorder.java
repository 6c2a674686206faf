package dev.parley.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A listener that keeps everything it hears, for assertions. */
final class Recorder implements ParleyListener {
    final List<Message> chats = new CopyOnWriteArrayList<>();
    final List<TypingEvent> typing = new CopyOnWriteArrayList<>();
    final List<PresenceEvent> presence = new CopyOnWriteArrayList<>();
    final List<ConnectionEvent> connection = new CopyOnWriteArrayList<>();
    final List<ParleyException> errors = new CopyOnWriteArrayList<>();
    final Map<String, List<String>> membersByRoom = new ConcurrentHashMap<>();

    @Override
    public void onChat(Message message) {
        chats.add(message);
    }

    @Override
    public void onTyping(TypingEvent event) {
        typing.add(event);
    }

    @Override
    public void onPresence(PresenceEvent event) {
        presence.add(event);
        membersByRoom.put(event.room(), event.members().stream().map(u -> u.id().value()).sorted()
                .collect(Collectors.toList()));
    }

    @Override
    public void onConnection(ConnectionEvent event) {
        connection.add(event);
    }

    @Override
    public void onError(ParleyException error) {
        errors.add(error);
    }

    List<String> texts() {
        return chats.stream().map(Message::text).collect(Collectors.toList());
    }

    List<String> members(String room) {
        return membersByRoom.getOrDefault(room, List.of());
    }

    long count(ConnectionState state) {
        return connection.stream().filter(e -> e.state() == state).count();
    }

    List<ConnectionEvent> events(ConnectionState state) {
        return connection.stream().filter(e -> e.state() == state).collect(Collectors.toList());
    }
}

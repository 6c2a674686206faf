package dev.parley.client;

/** The server stored the chat {@code id} in {@code room} as {@code seq} ({@code duplicate}: stored before). */
public record ChatAck(String room, String id, long seq, boolean duplicate) {
}

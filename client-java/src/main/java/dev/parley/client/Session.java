package dev.parley.client;

/**
 * What the client does with a connection once it is up: routes the server's frames to the
 * requests, the outbox and the rooms, and tells them when the connection is welcomed, lost, or
 * closed for good. Loop thread only.
 */
final class Session {
    private final Threads threads;
    private final Requests requests;
    private final Outbox outbox;
    private final Rooms rooms;

    Session(Threads threads, Requests requests, Outbox outbox, Rooms rooms) {
        this.threads = threads;
        this.requests = requests;
        this.outbox = outbox;
        this.rooms = rooms;
    }

    void welcomed() {
        rooms.rejoinAll();
        outbox.flush();
    }

    /** Requests on the lost connection fail, rooms wait for their rejoin, chats for their re-send. */
    void dropped() {
        requests.connectionLost();
        rooms.connectionLost();
        outbox.connectionLost();
    }

    void finished(ParleyException closed) {
        outbox.failAll(closed);
        rooms.failWaiters(closed);
    }

    void frame(Frames.Inbound frame) {
        switch (frame.type()) {
            case "ack":
            case "error":
            case "pong":
                answered(frame);
                break;
            case "chat":
                rooms.chat(Frames.message(frame.payload()));
                break;
            case "typing":
                rooms.typing(frame.payload());
                break;
            case "presence":
                rooms.presence(frame.payload());
                break;
            default:
                break; // a newer server's type: ignored
        }
    }

    private void answered(Frames.Inbound frame) {
        String replyTo = frame.replyTo();
        if (replyTo != null && (outbox.answer(replyTo, frame.type(), frame.payload())
                || requests.answer(replyTo, frame.type(), frame.payload()))) {
            return;
        }
        if (frame.type().equals("error")) {
            ParleyException error = Frames.error(frame.payload());
            threads.emit(l -> l.onError(error));
        }
    }
}

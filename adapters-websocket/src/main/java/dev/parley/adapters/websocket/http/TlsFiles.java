package dev.parley.adapters.websocket.http;

import java.nio.file.Path;
import java.util.Objects;

/** PEM files of a certificate chain and its private key: serve {@code https} and {@code wss}. */
public record TlsFiles(Path certificateChain, Path privateKey) {
    public TlsFiles {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
    }
}

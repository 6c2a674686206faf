package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/**
 * A connection that opened without a user (a Pusher socket, say) signs in: from then on it
 * counts towards that user's connection limit, unless the user is at it already.
 */
public interface SignInUseCase {
    CompletableFuture<SignInOutcome> signIn(SignInCommand command);
}

package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/** The operator lists the live nodes of the cluster with their figures. */
public interface QueryNodesUseCase {
    CompletableFuture<NodesOutcome> nodes();
}

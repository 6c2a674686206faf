package dev.parley.application.port.out;

import dev.parley.domain.NodeId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The live nodes of the cluster and what each last reported. A report is kept for the presence
 * TTL: a node that stops reporting (killed, say) drops out of the list within it.
 */
public interface NodeDirectory {
    /** This node's latest figures, replacing its previous report. */
    CompletableFuture<Void> report(NodeReport report);

    /** The node stopped: it leaves the list at once. */
    CompletableFuture<Void> forget(NodeId node);

    /** Every node with a report that has not expired. */
    CompletableFuture<List<NodeReport>> nodes();
}

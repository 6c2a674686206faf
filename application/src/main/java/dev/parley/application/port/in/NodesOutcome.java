package dev.parley.application.port.in;

import dev.parley.application.port.out.NodeReport;
import java.util.List;

/** The live nodes of the cluster. */
public sealed interface NodesOutcome permits NodesOutcome.Nodes, Unavailable {

    /** By node id. */
    record Nodes(List<NodeReport> nodes) implements NodesOutcome {
        public Nodes {
            nodes = List.copyOf(nodes);
        }
    }
}

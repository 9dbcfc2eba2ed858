package io.caucus.api;

import io.caucus.boot.NodeConfiguration;
import io.caucus.boot.NodeState;
import io.caucus.boot.StartupBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Answers what a node knows about itself and the cluster: readiness, this node, the nodes, contexts
 * and replication groups of the cluster structure.
 *
 * <p>Application scoped and stateless itself; every answer is read from the startup bean and the
 * cluster runtime at the time of the call, from any thread.
 */
@ApplicationScoped
public class ClusterInfoFacade {

  @Inject StartupBean startup;

  /** Whether this node can serve, and why (not). */
  public Readiness readiness() {
    NodeState state = startup.state();
    return new Readiness(false, state.name(), startup.detail());
  }

  /** This node, as configured; empty while the configuration is unknown or unusable. */
  public Optional<NodeInfo> me() {
    return startup.configuration().map(ClusterInfoFacade::toInfo);
  }

  private static NodeInfo toInfo(NodeConfiguration c) {
    return new NodeInfo(
        c.name(),
        c.hostname(),
        c.internalHostname(),
        c.grpcPort(),
        c.internalPort(),
        c.httpPort(),
        true);
  }
}

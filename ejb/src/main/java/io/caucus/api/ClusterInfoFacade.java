package io.caucus.api;

import io.caucus.boot.NodeConfiguration;
import io.caucus.boot.NodeState;
import io.caucus.boot.StartupBean;
import io.caucus.cluster.ClusterRuntime;
import io.caucus.cluster.GroupStatus;
import io.caucus.cluster.admin.ClusterStructure;
import io.caucus.cluster.admin.ContextInfo;
import io.caucus.cluster.admin.ReplicationGroupInfo;
import io.caucus.consensus.Membership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
    if (state != NodeState.RUNNING && state != NodeState.JOINING) {
      return new Readiness(false, state.name(), startup.detail());
    }
    Optional<ClusterRuntime> runtime = startup.runtime();
    if (runtime.isEmpty()) {
      return new Readiness(false, state.name(), startup.detail());
    }
    Optional<String> why = runtime.get().notReadyBecause();
    return why.map(w -> new Readiness(false, state.name(), w))
        .orElseGet(
            () ->
                new Readiness(
                    true,
                    NodeState.RUNNING.name(),
                    "the structure is known and every group has a leader"));
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

  /** The nodes of the cluster structure ({@code connected}: seen by this node now). */
  public List<NodeInfo> nodes() {
    Optional<ClusterRuntime> runtime = startup.runtime();
    if (runtime.isEmpty() || !runtime.get().structure().isInitialized()) {
      return me().map(List::of).orElse(List.of());
    }
    Set<String> reachable = runtime.get().reachableNodes();
    return runtime.get().structure().nodes().stream()
        .map(
            n ->
                new NodeInfo(
                    n.name(),
                    n.hostName(),
                    n.internalHostName(),
                    n.grpcPort(),
                    n.internalGrpcPort(),
                    n.httpPort(),
                    reachable.contains(n.name())))
        .toList();
  }

  /** The contexts of the cluster (without {@code _admin}). */
  public List<ContextView> contexts() {
    Optional<ClusterRuntime> runtime = startup.runtime();
    if (runtime.isEmpty()) {
      return List.of();
    }
    ClusterStructure s = runtime.get().structure();
    return s.contexts().stream()
        .filter(c -> !c.name().equals(ClusterStructure.ADMIN))
        .map(c -> toView(runtime.get(), s, c))
        .toList();
  }

  private static ContextView toView(ClusterRuntime runtime, ClusterStructure s, ContextInfo c) {
    Membership members =
        s.group(c.replicationGroup()).map(ReplicationGroupInfo::members).orElse(Membership.EMPTY);
    return new ContextView(
        c.name(),
        runtime.group(c.replicationGroup()).map(GroupStatus::leader).orElse(null),
        c.replicationGroup(),
        List.copyOf(members.roles().keySet()),
        roles(members),
        c.metaData());
  }

  private static List<ContextView.NodeRole> roles(Membership members) {
    return members.roles().entrySet().stream()
        .map(e -> new ContextView.NodeRole(e.getKey(), e.getValue().name()))
        .toList();
  }

  /** The replication groups of the cluster. */
  public List<ReplicationGroupView> replicationGroups() {
    Optional<ClusterRuntime> runtime = startup.runtime();
    if (runtime.isEmpty()) {
      return List.of();
    }
    ClusterStructure s = runtime.get().structure();
    return s.groups().stream()
        .map(
            g ->
                new ReplicationGroupView(
                    g.name(),
                    runtime.get().group(g.name()).map(GroupStatus::leader).orElse(null),
                    roles(g.members()),
                    s.contextsOf(g.name()).stream().map(ContextInfo::name).toList()))
        .toList();
  }
}

package io.caucus.api;

import io.caucus.cluster.ClusterNode;
import io.caucus.cluster.admin.ClusterStructure;
import io.caucus.cluster.admin.ContextInfo;
import io.caucus.cluster.admin.ReplicationGroupInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers what a node knows about itself and the cluster: readiness, this node, the nodes, contexts
 * and replication groups of the cluster structure.
 *
 * <p>Application scoped; its only state is when each group's pending change was first seen (a
 * concurrent map). Every other answer is read from the {@link ClusterNode} at the time of the call,
 * from any thread.
 */
@ApplicationScoped
public class ClusterInfoFacade {

  @Inject ClusterNode node;

  private final Map<String, Instant> pendingSince = new ConcurrentHashMap<>();

  /** Whether this node can serve, and why (not). */
  public Readiness readiness() {
    String state = node.startupState();
    return node.notReadyBecause()
        .map(why -> new Readiness(false, state, why))
        .orElseGet(
            () ->
                new Readiness(
                    true, "RUNNING", "the structure is known and every group has a leader"));
  }

  /** This node, as configured; empty while the configuration is unknown or unusable. */
  public Optional<NodeInfo> me() {
    return node.me().map(n -> toInfo(n, true));
  }

  private static NodeInfo toInfo(io.caucus.cluster.admin.NodeInfo n, boolean connected) {
    return new NodeInfo(
        n.name(),
        n.hostName(),
        n.internalHostName(),
        n.grpcPort(),
        n.internalGrpcPort(),
        n.httpPort(),
        connected);
  }

  /**
   * The largest message or transaction a client may send, in bytes ({@code
   * axoniq.axonserver.max-message-size}, default 4 MB): the gRPC server's inbound limit.
   */
  public int maxMessageBytes() {
    return node.maxMessageBytes();
  }

  /** The nodes of the cluster structure ({@code connected}: seen by this node now). */
  public List<NodeInfo> nodes() {
    ClusterStructure s = node.structure();
    if (!s.isInitialized()) {
      return me().map(List::of).orElse(List.of());
    }
    Set<String> reachable = node.reachableNodes();
    return s.nodes().stream().map(n -> toInfo(n, reachable.contains(n.name()))).toList();
  }

  /** The contexts of the cluster (without {@code _admin}). */
  public List<ContextView> contexts() {
    ClusterStructure s = node.structure();
    return s.contexts().stream()
        .filter(c -> !c.name().equals(ClusterStructure.ADMIN))
        .map(c -> toView(s, c))
        .toList();
  }

  private ContextView toView(ClusterStructure s, ContextInfo c) {
    Map<String, String> roles =
        s.group(c.replicationGroup())
            .<Map<String, String>>map(ReplicationGroupInfo::roleNames)
            .orElse(Map.of());
    return new ContextView(
        c.name(),
        node.leaderOf(c.replicationGroup()).orElse(null),
        c.replicationGroup(),
        List.copyOf(roles.keySet()),
        roles(roles),
        c.metaData());
  }

  private static List<ContextView.NodeRole> roles(Map<String, String> roles) {
    return roles.entrySet().stream()
        .map(e -> new ContextView.NodeRole(e.getKey(), e.getValue()))
        .toList();
  }

  /** The replication groups of the cluster. */
  public List<ReplicationGroupView> replicationGroups() {
    ClusterStructure s = node.structure();
    return s.groups().stream()
        .map(
            g -> {
              boolean pending =
                  node.rolesInForce(g.name()).map(r -> !r.equals(g.roleNames())).orElse(false);
              Instant since = pendingSince(g.name(), pending);
              return new ReplicationGroupView(
                  g.name(),
                  node.leaderOf(g.name()).orElse(null),
                  roles(g.roleNames()),
                  s.contextsOf(g.name()).stream().map(ContextInfo::name).toList(),
                  pending,
                  since == null ? null : since.toString());
            })
        .toList();
  }

  /** When a group's change was first seen pending by a query here; forgotten once it is not. */
  private Instant pendingSince(String group, boolean pending) {
    if (!pending) {
      pendingSince.remove(group);
      return null;
    }
    return pendingSince.computeIfAbsent(group, g -> Instant.now());
  }
}

package io.caucus.api;

import java.util.List;
import java.util.Map;

/**
 * A context as Axon Server's {@code /v1/public/context} shows it.
 *
 * @param context the context's name
 * @param leader the leader of its replication group, as this node knows it ({@code null}: none)
 * @param replicationGroup the replication group holding it
 * @param nodes the group's member nodes
 * @param roles each member's role
 * @param metaData the context's properties
 */
public record ContextView(
    String context,
    String leader,
    String replicationGroup,
    List<String> nodes,
    List<NodeRole> roles,
    Map<String, String> metaData) {

  /**
   * @param node a member
   * @param role its role's name
   */
  public record NodeRole(String node, String role) {}
}

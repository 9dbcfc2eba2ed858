package io.caucus.api;

import java.util.List;

/**
 * A replication group as {@code /v1/public/replicationgroups} shows it.
 *
 * @param name the group's name
 * @param leader its leader as this node knows it ({@code null}: none known)
 * @param roles each member's role
 * @param contexts the contexts it holds
 */
public record ReplicationGroupView(
    String name, String leader, List<ContextView.NodeRole> roles, List<String> contexts) {}

package io.caucus.api;

import java.util.List;

/**
 * A replication group as {@code /v1/public/replicationgroups} shows it.
 *
 * @param name the group's name
 * @param leader its leader as this node knows it ({@code null}: none known)
 * @param roles each member's role
 * @param contexts the contexts it holds
 * @param changePending whether the membership this node's runner has in force differs from the one
 *     {@code _admin} wants (a change not applied by every member yet); {@code false} when the group
 *     does not run on this node (it cannot tell)
 * @param pendingSince when this node first saw the change pending (ISO-8601), or {@code null}
 */
public record ReplicationGroupView(
    String name,
    String leader,
    List<ContextView.NodeRole> roles,
    List<String> contexts,
    boolean changePending,
    String pendingSince) {}

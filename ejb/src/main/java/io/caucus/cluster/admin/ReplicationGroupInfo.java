package io.caucus.cluster.admin;

import io.caucus.consensus.Membership;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A replication group as {@code _admin} knows it: its name and the members it should have, with
 * their roles. The group's own RAFT membership follows this one change at a time (see {@link
 * MembershipPlanner}); the two differ while changes are in flight.
 *
 * @param name group name
 * @param members wanted members and roles (sorted by node name)
 */
public record ReplicationGroupInfo(String name, Membership members) {

  public ReplicationGroupInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(members, "members");
  }

  /**
   * Each wanted member's role by name, sorted by node name: the group as the outer layers show it,
   * without the consensus types.
   */
  public SortedMap<String, String> roleNames() {
    SortedMap<String, String> names = new TreeMap<>();
    members.roles().forEach((node, role) -> names.put(node, role.name()));
    return Collections.unmodifiableSortedMap(names);
  }
}

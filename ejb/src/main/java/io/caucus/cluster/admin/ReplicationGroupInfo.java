package io.caucus.cluster.admin;

import io.caucus.consensus.Membership;
import java.util.Objects;

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
}

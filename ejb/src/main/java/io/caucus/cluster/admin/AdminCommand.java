package io.caucus.cluster.admin;

import io.caucus.consensus.Role;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A change to the cluster structure: the data of one {@code _admin} log entry, encoded with {@link
 * AdminCommandCodec}. Commands only carry values; {@link AdminStateMachine#apply} checks them
 * against the structure and refuses what is not allowed. Each record's Javadoc says what it does.
 */
public sealed interface AdminCommand {

  /**
   * Creates the cluster: registers {@code node} and creates the {@code _admin} replication group
   * and context with that node as its only (PRIMARY) member. Only on an empty structure; repeating
   * the identical command is a no-op.
   */
  record InitCluster(NodeInfo node) implements AdminCommand {
    public InitCluster {
      Objects.requireNonNull(node, "node");
    }
  }

  /**
   * Registers a node; it follows {@code _admin} as a non-voting {@link Role#PASSIVE_BACKUP} until
   * given another role there. Registering the same node with the same addresses again is a no-op;
   * the same name with other addresses, or another name with the same internal address, is refused.
   */
  record RegisterNode(NodeInfo node) implements AdminCommand {
    public RegisterNode {
      Objects.requireNonNull(node, "node");
    }
  }

  /**
   * Removes a node from the cluster (and from {@code _admin}). Refused while it is a member of any
   * replication group other than {@code _admin}, or is {@code _admin}'s last PRIMARY.
   */
  record UnregisterNode(String node) implements AdminCommand {
    public UnregisterNode {
      Objects.requireNonNull(node, "node");
    }
  }

  /** Creates a replication group with these members; at least one must be PRIMARY. */
  record CreateReplicationGroup(String name, Map<String, Role> members) implements AdminCommand {
    public CreateReplicationGroup {
      Objects.requireNonNull(name, "name");
      members = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(members)));
    }
  }

  /** Deletes a replication group; refused while it holds contexts, and for {@code _admin}. */
  record DeleteReplicationGroup(String name) implements AdminCommand {
    public DeleteReplicationGroup {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * Adds a node to a group with a role, or changes the role of a member; a no-op when it already
   * has that role. Refused when it would leave the group without a PRIMARY.
   */
  record AddNodeToGroup(String group, String node, Role role) implements AdminCommand {
    public AddNodeToGroup {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(role, "role");
    }
  }

  /**
   * Removes a member from a group. Refused for its last PRIMARY, and for {@code _admin} (every
   * registered node follows {@code _admin}: unregister the node, or give it a non-voting role).
   *
   * <p>{@code deleteData}: whether the removed node deletes its copy of the group's data (the event
   * store of the group's context and the group's log) once its runner has stopped; otherwise it
   * keeps them, and resumes from them if it is added to the group again. Axon Server's CLI removes
   * the node's event store files unless given {@code --preserve-event-store}; callers facing users
   * should default to {@code true} the same way.
   */
  record RemoveNodeFromGroup(String group, String node, boolean deleteData)
      implements AdminCommand {
    public RemoveNodeFromGroup {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(node, "node");
    }

    /** Removes the node and keeps its data (what format version 1 of this command meant). */
    public RemoveNodeFromGroup(String group, String node) {
      this(group, node, false);
    }
  }

  /** Creates a context in a replication group other than {@code _admin}. */
  record CreateContext(String name, String group, Map<String, String> metaData)
      implements AdminCommand {
    public CreateContext {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(group, "group");
      metaData = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(metaData)));
    }
  }

  /**
   * Deletes a context; refused for {@code _admin}.
   *
   * <p>{@code deleteData}: whether each member deletes the context's data. The group's runner still
   * holds the context's store and log, so the data is deleted on a member when the group stops
   * there: when the replication group is deleted (which needs its contexts deleted first) or the
   * node is removed from it. Without it, the data stays on disk (for an operator to archive). Axon
   * Server's delete-context deletes the context's data from all its members at once (its group log
   * is shared by contexts, ours belongs to the one context); callers facing users should default to
   * {@code true} the same way.
   */
  record DeleteContext(String name, boolean deleteData) implements AdminCommand {
    public DeleteContext {
      Objects.requireNonNull(name, "name");
    }

    /** Deletes the context and keeps its data (what format version 1 of this command meant). */
    public DeleteContext(String name) {
      this(name, false);
    }
  }
}

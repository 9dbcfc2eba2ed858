package io.caucus.cluster.admin;

import io.caucus.consensus.Membership;
import io.caucus.consensus.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The whole cluster structure at one {@code _admin} index: nodes, replication groups with their
 * members and roles, and contexts. Immutable; every collection is sorted by name so that anything
 * derived from it (snapshots, plans, JSON) is deterministic. Safe to share between threads.
 *
 * <p><b>Invariants</b> (hold after every command {@link AdminStateMachine} applies; see {@link
 * #invariantViolations()}):
 *
 * <ol>
 *   <li>every member of every group is a registered node;
 *   <li>every group has at least one PRIMARY member;
 *   <li>every context's replication group exists;
 *   <li>once initialised, group and context {@value #ADMIN} exist, {@value #ADMIN} hosts no other
 *       context, and every registered node is a member of {@value #ADMIN} with a role that receives
 *       its log (so every node knows the structure);
 *   <li>before initialisation, the structure is empty.
 * </ol>
 */
public final class ClusterStructure {

  /** Name of the admin replication group and of its only context. */
  public static final String ADMIN = "_admin";

  /** The structure of a node that has not been initialised or registered yet. */
  public static final ClusterStructure EMPTY = new ClusterStructure(Map.of(), Map.of(), Map.of());

  private final SortedMap<String, NodeInfo> nodes;
  private final SortedMap<String, ReplicationGroupInfo> groups;
  private final SortedMap<String, ContextInfo> contexts;

  ClusterStructure(
      Map<String, NodeInfo> nodes,
      Map<String, ReplicationGroupInfo> groups,
      Map<String, ContextInfo> contexts) {
    this.nodes = Collections.unmodifiableSortedMap(new TreeMap<>(nodes));
    this.groups = Collections.unmodifiableSortedMap(new TreeMap<>(groups));
    this.contexts = Collections.unmodifiableSortedMap(new TreeMap<>(contexts));
  }

  /** Whether {@code _admin} exists (an {@code init-cluster} has been applied). */
  public boolean isInitialized() {
    return groups.containsKey(ADMIN);
  }

  /** All nodes, sorted by name. */
  public List<NodeInfo> nodes() {
    return List.copyOf(nodes.values());
  }

  public Optional<NodeInfo> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  /** All replication groups, sorted by name ({@code _admin} first). */
  public List<ReplicationGroupInfo> groups() {
    return List.copyOf(groups.values());
  }

  public Optional<ReplicationGroupInfo> group(String name) {
    return Optional.ofNullable(groups.get(name));
  }

  /** The groups {@code node} is a member of, with its role in each, sorted by group name. */
  public SortedMap<String, Role> groupsOf(String node) {
    SortedMap<String, Role> result = new TreeMap<>();
    for (ReplicationGroupInfo g : groups.values()) {
      Role r = g.members().roleOf(node);
      if (r != null) {
        result.put(g.name(), r);
      }
    }
    return Collections.unmodifiableSortedMap(result);
  }

  /** All contexts, sorted by name. */
  public List<ContextInfo> contexts() {
    return List.copyOf(contexts.values());
  }

  public Optional<ContextInfo> context(String name) {
    return Optional.ofNullable(contexts.get(name));
  }

  /** The contexts stored by {@code group}, sorted by name. */
  public List<ContextInfo> contextsOf(String group) {
    return contexts.values().stream().filter(c -> c.replicationGroup().equals(group)).toList();
  }

  // ---- copies with one change (used by AdminCommandExecutor) ----------------------------------

  ClusterStructure withNode(NodeInfo node) {
    TreeMap<String, NodeInfo> n = new TreeMap<>(nodes);
    n.put(node.name(), node);
    return new ClusterStructure(n, groups, contexts);
  }

  ClusterStructure withoutNode(String name) {
    TreeMap<String, NodeInfo> n = new TreeMap<>(nodes);
    n.remove(name);
    return new ClusterStructure(n, groups, contexts);
  }

  ClusterStructure withGroup(String name, Membership members) {
    TreeMap<String, ReplicationGroupInfo> g = new TreeMap<>(groups);
    g.put(name, new ReplicationGroupInfo(name, members));
    return new ClusterStructure(nodes, g, contexts);
  }

  ClusterStructure withoutGroup(String name) {
    TreeMap<String, ReplicationGroupInfo> g = new TreeMap<>(groups);
    g.remove(name);
    return new ClusterStructure(nodes, g, contexts);
  }

  ClusterStructure withContext(ContextInfo context) {
    TreeMap<String, ContextInfo> c = new TreeMap<>(contexts);
    c.put(context.name(), context);
    return new ClusterStructure(nodes, groups, c);
  }

  ClusterStructure withoutContext(String name) {
    TreeMap<String, ContextInfo> c = new TreeMap<>(contexts);
    c.remove(name);
    return new ClusterStructure(nodes, groups, c);
  }

  /** Every broken invariant (see the class comment), as sentences; empty when all hold. */
  public List<String> invariantViolations() {
    List<String> v = new ArrayList<>();
    for (ReplicationGroupInfo g : groups.values()) {
      for (String member : g.members().roles().keySet()) {
        if (!nodes.containsKey(member)) {
          v.add("group " + g.name() + " has unregistered member " + member);
        }
      }
      if (g.members().withRole(Role.PRIMARY).isEmpty()) {
        v.add("group " + g.name() + " has no PRIMARY");
      }
    }
    for (ContextInfo c : contexts.values()) {
      if (!groups.containsKey(c.replicationGroup())) {
        v.add("context " + c.name() + " is in missing group " + c.replicationGroup());
      }
      if (c.replicationGroup().equals(ADMIN) != c.name().equals(ADMIN)) {
        v.add("context " + c.name() + " is in group " + c.replicationGroup());
      }
    }
    if (isInitialized()) {
      if (!contexts.containsKey(ADMIN)) {
        v.add("context _admin is missing");
      }
      Membership admin = groups.get(ADMIN).members();
      for (String node : nodes.keySet()) {
        Role r = admin.roleOf(node);
        if (r == null || !r.receivesLog()) {
          v.add("node " + node + " does not receive the _admin log (role " + r + ")");
        }
      }
    } else if (!nodes.isEmpty() || !groups.isEmpty() || !contexts.isEmpty()) {
      v.add("structure is not empty but _admin does not exist");
    }
    return v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterStructure s
        && s.nodes.equals(nodes)
        && s.groups.equals(groups)
        && s.contexts.equals(contexts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nodes, groups, contexts);
  }

  @Override
  public String toString() {
    return "ClusterStructure[nodes="
        + nodes.keySet()
        + ", groups="
        + groups.values()
        + ", contexts="
        + contexts.values()
        + "]";
  }
}

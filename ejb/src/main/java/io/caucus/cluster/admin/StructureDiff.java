package io.caucus.cluster.admin;

import io.caucus.consensus.Membership;
import io.caucus.consensus.Role;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The difference between two cluster structures, with the questions the runtime asks about it.
 * Immutable; every answer is sorted.
 *
 * <p>How the runtime of node {@code me} acts on a diff: start a runner (and create stores) for each
 * of {@link #groupsJoined(String) groupsJoined(me)}; stop the runner of each of {@link
 * #groupsLeft(String) groupsLeft(me)}; tell the runners of {@link #roleChanges(String)
 * roleChanges(me)} their new role; for each of {@link #groupsWithChangedMembers()} where {@code me}
 * leads, propose the next step of {@link MembershipPlanner#nextChange}; create or drop the stores
 * of {@link #contextsCreated()} and {@link #contextsDeleted()} in groups {@code me} serves; once a
 * runner has stopped, delete the data of {@link #groupDataToDelete(String) groupDataToDelete(me)}
 * and of the groups of {@link #contextDataToDelete()}, and keep everything else.
 *
 * @param index the {@code _admin} index of the change (the snapshot's for a restore)
 * @param before structure before the change
 * @param after structure after it
 * @param deleteData whether the command asked the nodes it removes from a group, or the members of
 *     the context it deletes, to delete that data; always {@code false} for a restored snapshot (a
 *     snapshot says what the structure is, not what to do with data, so data is kept)
 */
public record StructureDiff(
    long index, ClusterStructure before, ClusterStructure after, boolean deleteData) {

  public StructureDiff {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
  }

  /** A change that keeps all data. */
  public StructureDiff(long index, ClusterStructure before, ClusterStructure after) {
    this(index, before, after, false);
  }

  /** Groups {@code node} left whose data (log and store) it must delete; sorted. */
  public SortedSet<String> groupDataToDelete(String node) {
    return deleteData ? groupsLeft(node) : new TreeSet<>();
  }

  /**
   * Contexts deleted together with their data, with the replication group that stored each; every
   * member of that group deletes the context's data once the group stops on it.
   */
  public SortedMap<String, String> contextDataToDelete() {
    SortedMap<String, String> result = new TreeMap<>();
    if (deleteData) {
      for (String c : contextsDeleted()) {
        before.context(c).ifPresent(info -> result.put(c, info.replicationGroup()));
      }
    }
    return result;
  }

  /** Whether nothing differs. */
  public boolean isEmpty() {
    return before.equals(after);
  }

  /** Groups {@code node} became a member of, with its role in each. */
  public SortedMap<String, Role> groupsJoined(String node) {
    SortedMap<String, Role> joined = new TreeMap<>(after.groupsOf(node));
    joined.keySet().removeAll(before.groupsOf(node).keySet());
    return joined;
  }

  /** Groups {@code node} is no longer a member of (removed from them, or they were deleted). */
  public SortedSet<String> groupsLeft(String node) {
    SortedSet<String> left = new TreeSet<>(before.groupsOf(node).keySet());
    left.removeAll(after.groupsOf(node).keySet());
    return left;
  }

  /** Groups where {@code node} stayed a member with another role, with its new role. */
  public SortedMap<String, Role> roleChanges(String node) {
    SortedMap<String, Role> changes = new TreeMap<>();
    Map<String, Role> old = before.groupsOf(node);
    after
        .groupsOf(node)
        .forEach(
            (group, role) -> {
              Role was = old.get(group);
              if (was != null && was != role) {
                changes.put(group, role);
              }
            });
    return changes;
  }

  /** Groups whose wanted members or roles differ, including created and deleted groups. */
  public SortedSet<String> groupsWithChangedMembers() {
    SortedSet<String> names = new TreeSet<>();
    before.groups().forEach(g -> names.add(g.name()));
    after.groups().forEach(g -> names.add(g.name()));
    names.removeIf(name -> Objects.equals(members(before, name), members(after, name)));
    return names;
  }

  /** Contexts that exist after but not before. */
  public SortedSet<String> contextsCreated() {
    return difference(contextNames(after), contextNames(before));
  }

  /** Contexts that existed before but not after. */
  public SortedSet<String> contextsDeleted() {
    return difference(contextNames(before), contextNames(after));
  }

  /** Nodes registered by this change. */
  public SortedSet<String> nodesAdded() {
    return difference(nodeNames(after), nodeNames(before));
  }

  /** Nodes unregistered by this change. */
  public SortedSet<String> nodesRemoved() {
    return difference(nodeNames(before), nodeNames(after));
  }

  private static Membership members(ClusterStructure s, String group) {
    return s.group(group).map(ReplicationGroupInfo::members).orElse(null);
  }

  private static Set<String> contextNames(ClusterStructure s) {
    Set<String> names = new TreeSet<>();
    s.contexts().forEach(c -> names.add(c.name()));
    return names;
  }

  private static Set<String> nodeNames(ClusterStructure s) {
    Set<String> names = new TreeSet<>();
    s.nodes().forEach(n -> names.add(n.name()));
    return names;
  }

  private static SortedSet<String> difference(Set<String> a, Set<String> b) {
    SortedSet<String> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }
}

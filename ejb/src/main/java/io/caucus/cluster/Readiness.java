package io.caucus.cluster;

import io.caucus.cluster.admin.ClusterStructure;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Whether this node is ready to serve, and why not: its start-up commands (autocluster) must all be
 * applied, the structure must be known with this node in it, and every group it is a member of must
 * run here with a leader, and where this node stores the group's log, every context of the group
 * must have its store open here (a context created in a running group opens a moment after the
 * group has its leader). A group that stopped after its store failed says why.
 *
 * <p><b>Threads.</b> Thread safe and non-blocking: it only reads published state (the structure,
 * the runners' latest status, autocluster's status), so each answer is a consistent-enough snapshot
 * for a health probe, not a guarantee for the next request.
 */
final class Readiness {

  private final String self;
  private final Supplier<ClusterStructure> structure;
  private final Function<String, GroupRunner> runners;
  private final Predicate<String> storeOpen;
  private final Supplier<String> startupStatus;

  /**
   * @param self this node's name
   * @param structure the structure as this node knows it
   * @param runners the runner of a group on this node, or {@code null}
   * @param storeOpen whether a context's store is open on this node
   * @param startupStatus what the start-up commands are doing, or {@code null} once all applied
   */
  Readiness(
      String self,
      Supplier<ClusterStructure> structure,
      Function<String, GroupRunner> runners,
      Predicate<String> storeOpen,
      Supplier<String> startupStatus) {
    this.self = self;
    this.structure = structure;
    this.runners = runners;
    this.storeOpen = storeOpen;
    this.startupStatus = startupStatus;
  }

  /** Whether the start-up commands are not all applied yet. */
  boolean startupCommandsPending() {
    return startupStatus.get() != null;
  }

  /** Why this node is not ready, or empty when it is. */
  Optional<String> notReadyBecause() {
    ClusterStructure s = structure.get();
    String joining = startupStatus.get();
    if (joining != null) {
      return Optional.of(joining);
    }
    if (!s.isInitialized() || s.node(self).isEmpty()) {
      return Optional.of("the cluster structure is not known yet");
    }
    for (var membership : s.groupsOf(self).entrySet()) {
      String group = membership.getKey();
      GroupRunner r = runners.apply(group);
      if (r == null) {
        return Optional.of("group " + group + " is not running yet");
      }
      if (!r.isRunning() && r.status().storageFailed()) {
        return Optional.of(r.status().storageFailure());
      }
      if (!r.isRunning()) {
        return Optional.of(
            "group " + group + " stopped on this node after a failure (see the log); restart it");
      }
      if (!r.status().hasLeader()) {
        return Optional.of("group " + group + " has no leader");
      }
      if (membership.getValue().receivesLog() && !group.equals(ClusterStructure.ADMIN)) {
        for (var context : s.contextsOf(group)) {
          if (!storeOpen.test(context.name())) {
            return Optional.of("the store of context " + context.name() + " is opening");
          }
        }
      }
    }
    return Optional.empty();
  }
}

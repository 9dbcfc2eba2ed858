package io.caucus.cluster;

import io.caucus.cluster.admin.StructureDiff;
import io.caucus.eventstore.EventStores;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Whether the data of a group this node leaves is deleted or kept, and doing so.
 *
 * <p><b>The rule.</b> When this node stops serving a group (removed from it, or the group deleted),
 * its log folder and its context's event store folder are kept, unless the {@code _admin} command
 * that made it leave asked to delete them ({@link StructureDiff#groupDataToDelete}, or an earlier
 * {@code DeleteContext} of the group's context with {@code deleteData}, {@link
 * StructureDiff#contextDataToDelete}). Then, and only after the runner thread has ended and the
 * store is closed, both folders are deleted. One INFO line says what was deleted or kept, where,
 * and why. Kept data is resumed from if this node is added to the group again (which also forgets a
 * pending deletion request); after a deletion it starts empty and catches up from the leader.
 * Requests in {@code _admin} entries replayed from this node's own log at start-up (at or below the
 * commit index it had written) are not acted upon: the node may have been added back since, so data
 * is kept then, and the log line says which folders an operator may delete.
 *
 * <p><b>Threads.</b> {@link #note} runs on the {@code _admin} runner thread and only updates a
 * concurrent map; {@link #take} and {@link #dispose} run on the reconciliation thread. Thread safe.
 *
 * <p><b>Failures.</b> A folder that cannot be deleted fails {@link #dispose} with {@link
 * java.io.UncheckedIOException}; what was deleted stays deleted and the rest is deleted again on a
 * later attempt by hand (the request is not retried).
 */
final class LeftGroupDataPolicy {

  private static final Logger LOG = Logger.getLogger(LeftGroupDataPolicy.class.getName());

  private final String self;
  private final Path logStorage;
  private final Path eventStorage;
  private final EventStores eventStores;

  /** Groups whose data is deleted when their runner stops here, with the asking _admin index. */
  private final Map<String, Long> requests = new ConcurrentHashMap<>();

  /** The commit index of this node's _admin log at start-up: entries up to it are replays. */
  private volatile long replayedUpTo;

  LeftGroupDataPolicy(String self, Path logStorage, Path eventStorage, EventStores eventStores) {
    this.self = self;
    this.logStorage = logStorage;
    this.eventStorage = eventStorage;
    this.eventStores = eventStores;
  }

  /** Sets the commit index of this node's {@code _admin} log as found at start-up. */
  void replayedUpTo(long commitIndex) {
    replayedUpTo = commitIndex;
  }

  /**
   * Records which groups' data the change asks this node to delete when it stops serving them, and
   * forgets such a request when the node is added to the group again before its runner stopped.
   */
  void note(StructureDiff diff) {
    for (String group : diff.groupsJoined(self).keySet()) {
      if (requests.remove(group) != null) {
        LOG.info(
            "This node was added to "
                + group
                + " again (_admin entry "
                + diff.index()
                + ") before its data there was deleted; it keeps that data");
      }
    }
    SortedSet<String> groups = new TreeSet<>(diff.groupDataToDelete(self));
    diff.contextDataToDelete()
        .forEach(
            (context, group) -> {
              if (diff.before().groupsOf(self).containsKey(group)) {
                groups.add(group);
              }
            });
    for (String group : groups) {
      if (diff.index() <= replayedUpTo) {
        LOG.info(
            "_admin entry "
                + diff.index()
                + " asked this node to delete its data of "
                + group
                + ", but it is replayed from this node's own log at start-up, so nothing is"
                + " deleted; if this node no longer serves "
                + group
                + ", its folders "
                + logStorage.resolve(group)
                + " and the context's folder under "
                + eventStorage
                + " may be deleted by hand");
      } else {
        requests.put(group, diff.index());
      }
    }
  }

  /**
   * Takes (and forgets) the request to delete the data of {@code group}: the index of the {@code
   * _admin} entry that asked, or empty when its data is to be kept.
   */
  OptionalLong take(String group) {
    Long askedAt = requests.remove(group);
    return askedAt == null ? OptionalLong.empty() : OptionalLong.of(askedAt);
  }

  /**
   * Deletes or keeps the data of a group whose runner was stopped here, as {@code askedAt} (from
   * {@link #take}) says. Deletes only when {@code runnerEnded} (the runner thread closed the log on
   * its way out); otherwise the data is kept and a warning says so. Closes the context's store
   * either way.
   *
   * @param context the context whose store the group served, or {@code null} ({@code _admin})
   */
  void dispose(String group, String context, OptionalLong askedAt, boolean runnerEnded) {
    Path logDir = logStorage.resolve(group);
    Path storeDir = context == null ? null : eventStorage.resolve(context);
    String where = "log " + logDir + (storeDir == null ? "" : ", event store " + storeDir);
    if (askedAt.isEmpty() || !runnerEnded) {
      if (context != null && eventStores.find(context).isPresent()) {
        eventStores.close(context);
      }
      if (askedAt.isPresent()) {
        LOG.warning(
            "The runner of "
                + group
                + " did not stop within 30 s (or the wait was interrupted), so its data was NOT"
                + " deleted as _admin entry "
                + askedAt.getAsLong()
                + " asked; kept: "
                + where
                + ". Delete those folders by hand after stopping the node");
      } else {
        LOG.info(
            "Kept the data of "
                + group
                + " on "
                + self
                + " (the change did not ask to delete it): "
                + where
                + "; the node resumes from it if added to "
                + group
                + " again");
      }
      return;
    }
    if (context != null) {
      eventStores.delete(context); // closes the store, then deletes its folder
    }
    FolderDeletion.deleteTree(logDir);
    LOG.info(
        "Deleted the data of "
            + group
            + " on "
            + self
            + " because _admin entry "
            + askedAt.getAsLong()
            + " asked to (node removed from the group, or its context deleted, with deleteData): "
            + where);
  }
}

package io.caucus.cluster;

import io.caucus.cluster.admin.StructureDiff;
import io.caucus.eventstore.EventStores;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Whether the data of a group this node leaves is deleted or kept, and doing so.
 *
 * <p><b>The rule.</b> When this node stops serving a group (removed from it, or the group deleted),
 * its log folder and its contexts' event store folders are kept, unless the {@code _admin} command
 * that made it leave asked to delete them ({@link StructureDiff#groupDataToDelete}, or an earlier
 * {@code DeleteContext} of one of the group's contexts with {@code deleteData}, {@link
 * StructureDiff#contextDataToDelete}). Then, and only after the runner thread has ended and the
 * stores are closed, the folders are deleted. A context deleted from a group that keeps running
 * here ({@link #disposeContext}) has its store closed at once, and its folder deleted if the
 * command asked to; the group's log is then deleted when the group stops here. One INFO line says
 * what was deleted or kept, where, and why. Kept data is resumed from if this node is added to the
 * group again (which also forgets a pending deletion request); after a deletion it starts empty and
 * catches up from the leader. Requests in {@code _admin} entries replayed from this node's own log
 * at start-up (at or below the commit index it had written) are not acted upon: the node may have
 * been added back since, so data is kept then, and the log line says which folders an operator may
 * delete.
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

  /** Contexts deleted with their data from a group served here, with the asking _admin index. */
  private final Map<String, Long> contextRequests = new ConcurrentHashMap<>();

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
                if (diff.index() > replayedUpTo) {
                  contextRequests.put(context, diff.index());
                }
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
   * @param contexts the contexts whose stores the group served (none for {@code _admin})
   */
  void dispose(String group, Set<String> contexts, OptionalLong askedAt, boolean runnerEnded) {
    Path logDir = logStorage.resolve(group);
    String where =
        "log "
            + logDir
            + (contexts.isEmpty()
                ? ""
                : ", event stores of " + contexts + " under " + eventStorage);
    if (askedAt.isEmpty() || !runnerEnded) {
      for (String context : contexts) {
        contextRequests.remove(context);
        if (eventStores.find(context).isPresent()) {
          eventStores.close(context);
        }
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
    for (String context : contexts) {
      contextRequests.remove(context);
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

  /**
   * Closes the store of a context deleted from a group that runs on here, and deletes its folder if
   * the {@code DeleteContext} asked to ({@code deleteData}, not replayed at start-up). The group's
   * state machine no longer serves the context when this is called.
   */
  void disposeContext(String group, String context) {
    Long askedAt = contextRequests.remove(context);
    if (askedAt == null) {
      if (eventStores.find(context).isPresent()) {
        eventStores.close(context);
      }
      LOG.info(
          "Context "
              + context
              + " was deleted from "
              + group
              + "; "
              + self
              + " closed its store and kept its data in "
              + eventStorage.resolve(context));
      return;
    }
    eventStores.delete(context);
    LOG.info(
        "Context "
            + context
            + " was deleted from "
            + group
            + " with its data (_admin entry "
            + askedAt
            + "); "
            + self
            + " deleted "
            + eventStorage.resolve(context)
            + " while the group runs on");
  }
}

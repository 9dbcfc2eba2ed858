package io.caucus.cluster;

import io.caucus.consensus.RaftNode;
import java.util.logging.Logger;

/**
 * When a group's log drops applied entries: once it holds {@code threshold} of them, up to half the
 * threshold below what the state machine holds on the device; then retention deletes the segment
 * files it no longer keeps.
 *
 * <p><b>Threads.</b> Runner thread only (it uses the runner's core, log and state machine).
 * <b>Durability.</b> Never past {@link GroupStateMachine#syncToDevice()}: the log is what replays
 * applied writes a power loss took back.
 */
final class LogCompaction {

  private static final Logger LOG = Logger.getLogger(LogCompaction.class.getName());

  private final String group;
  private final String self;
  private final RaftNode node;
  private final ReplicationLog log;
  private final GroupStateMachine stateMachine;
  private final long compactionThreshold;

  /** {@code threshold} 0: never (a state machine that lives in memory, rebuilt from the log). */
  LogCompaction(
      String group,
      String self,
      RaftNode node,
      ReplicationLog log,
      GroupStateMachine stateMachine,
      long threshold) {
    this.group = group;
    this.self = self;
    this.node = node;
    this.log = log;
    this.stateMachine = stateMachine;
    this.compactionThreshold = threshold;
  }

  /**
   * Drops applied entries from the log once there are enough of them; a follower that needs them
   * later gets a state-machine snapshot instead. Half of the threshold stays in the log, so that
   * followers only a little behind still catch up from the log.
   */
  void compactIfDue() {
    if (compactionThreshold <= 0) {
      return;
    }
    long applied = Math.min(node.applied(), stateMachine.lastAppliedIndex());
    if (applied - log.firstIndex() + 1 < compactionThreshold) {
      return;
    }
    // Only what the store holds on the device may leave the log (DESIGN.md §7): a power loss can
    // take back applied writes that were never synced, and the log is what replays them.
    long durable = Math.min(node.applied(), stateMachine.syncToDevice());
    long upTo = durable - compactionThreshold / 2;
    if (upTo < log.firstIndex()) {
      return;
    }
    log.compactTo(node.snapshotMetadataAt(upTo));
    int deleted = log.deleteRetired(durable);
    LOG.info(
        () ->
            "Group "
                + group
                + " on "
                + self
                + ": log compacted up to "
                + upTo
                + " (applied and synced to disk up to "
                + durable
                + "); "
                + deleted
                + " segment file(s) past retention deleted");
  }
}

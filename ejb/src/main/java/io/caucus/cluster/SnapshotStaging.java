package io.caucus.cluster;

import io.caucus.cluster.rpc.SnapshotChunk;
import io.caucus.consensus.Entry;
import io.caucus.consensus.EntryType;
import io.caucus.consensus.Message;
import io.caucus.consensus.RaftNode;
import java.util.List;
import java.util.logging.Logger;

/**
 * The follower's side of a snapshot transfer: stages the chunks a leader streams (see {@link
 * SnapshotSender}) into the group's state machine, and tells the runner when an {@code
 * InstallSnapshot} may reach the core (only once all of its data is staged).
 *
 * <p><b>Lifecycle.</b> One per {@link GroupRunner}, as long as it. A transfer begins with chunk 0
 * (the state machine drops its state), ends with the last chunk (staged, waiting for the core), and
 * is settled by {@link #installed()} (the core restored the snapshot) or {@link #admit} (the core
 * kept its log, which caught up meanwhile).
 *
 * <p><b>Threads.</b> Runner thread only: it shares the runner's {@link RaftNode}, state machine and
 * log, none of which is thread safe.
 *
 * <p><b>Failures.</b> A chunk of another transfer than the one being staged, or a first chunk of a
 * snapshot the core would decline (emptying the store for it would lose applied state), is refused
 * (a reason, not an exception) and changes nothing. An exception of the state machine is the
 * caller's to handle (it stops the group).
 */
final class SnapshotStaging {

  private static final Logger LOG = Logger.getLogger(SnapshotStaging.class.getName());

  private final String group;
  private final String self;
  private final RaftNode node;
  private final GroupStateMachine stateMachine;
  private final ReplicationLog log;
  private long stagedIndex = -1;
  private boolean complete;

  SnapshotStaging(
      String group,
      String self,
      RaftNode node,
      GroupStateMachine stateMachine,
      ReplicationLog log) {
    this.group = group;
    this.self = self;
    this.node = node;
    this.stateMachine = stateMachine;
    this.log = log;
  }

  /**
   * Stages one chunk.
   *
   * @return null when staged, else why the chunk was refused (nothing changed)
   */
  String stage(SnapshotChunk chunk) {
    if (chunk.sequence() == 0) {
      if (!node.wouldInstallSnapshot(chunk.snapshotIndex(), chunk.snapshotTerm())) {
        return "member already holds the entries up to " + chunk.snapshotIndex();
      }
      stateMachine.beginInstall();
      complete = false;
      stagedIndex = chunk.snapshotIndex();
    } else if (chunk.snapshotIndex() != stagedIndex) {
      return "chunk of another snapshot";
    }
    stateMachine.installChunk(chunk.data());
    if (chunk.last()) {
      complete = true;
    }
    return null;
  }

  /**
   * Whether the core may be given {@code is}: only once all of its data is staged (the leader
   * retries after the transfer completes). When the log caught up while the data was staged, the
   * core will keep its log, so the store, emptied for the install, takes the staged state and
   * replays the rest ({@link #adopt}) before the core sees the message.
   */
  boolean admit(Message.InstallSnapshot is) {
    if (!complete || stagedIndex != is.snapshot().index()) {
      return false;
    }
    if (!node.wouldInstallSnapshot(is.snapshot().index(), is.snapshot().term())) {
      adopt(is.snapshot().index());
    }
    return true;
  }

  /** The core restored the staged snapshot (its Ready carried it): completes the install. */
  void installed() {
    stateMachine.finishInstall();
    reset();
  }

  /**
   * Completes a staged install that the core will not take, then applies the log's NORMAL entries
   * after the snapshot up to what the core has already applied, so the store again matches the
   * core. Those entries are still in the log: compaction stops at the store's synced index, which
   * was below the snapshot when staging began.
   */
  private void adopt(long snapshotIndex) {
    stateMachine.finishInstall();
    reset();
    long next = snapshotIndex + 1;
    long upTo = node.applied();
    while (next <= upTo) {
      List<Entry> batch = log.entries(next, upTo + 1, 1 << 20);
      for (Entry e : batch) {
        if (e.type() == EntryType.NORMAL) {
          stateMachine.apply(e.index(), e.data());
        }
      }
      next = batch.get(batch.size() - 1).index() + 1;
    }
    LOG.info(
        () ->
            "Group "
                + group
                + " on "
                + self
                + ": took a staged snapshot up to "
                + snapshotIndex
                + " that consensus no longer needed, and replayed the log to "
                + upTo);
  }

  private void reset() {
    complete = false;
    stagedIndex = -1;
  }
}

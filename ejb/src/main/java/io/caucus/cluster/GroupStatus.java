package io.caucus.cluster;

import io.caucus.consensus.Membership;
import io.caucus.consensus.NodeState;

/**
 * What a group runner last published about its group: a consistent snapshot taken on the runner
 * thread after each Ready, readable from any thread.
 *
 * @param group the replication group's name
 * @param state this member's place in the election cycle
 * @param leader the leader known in {@code term}, or {@code null}
 * @param term the current term
 * @param membership the membership in force
 * @param commit highest committed index known
 * @param applied highest index applied to the state machine
 * @param storageFailure why the runner stopped after its store failed (disk full, I/O error: never
 *     about an entry), naming the log index it was applying and the cause; {@code null} while the
 *     store works. Set only on the last status a stopped runner publishes.
 */
public record GroupStatus(
    String group,
    NodeState state,
    String leader,
    long term,
    Membership membership,
    long commit,
    long applied,
    String storageFailure) {

  public boolean hasLeader() {
    return leader != null;
  }

  /** Whether the runner stopped because its store failed (see {@link #storageFailure}). */
  public boolean storageFailed() {
    return storageFailure != null;
  }
}

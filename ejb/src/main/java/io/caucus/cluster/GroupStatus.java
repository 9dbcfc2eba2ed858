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
 */
public record GroupStatus(
    String group,
    NodeState state,
    String leader,
    long term,
    Membership membership,
    long commit,
    long applied) {

  public boolean hasLeader() {
    return leader != null;
  }
}

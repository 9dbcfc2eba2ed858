package io.caucus.cluster;

import io.caucus.consensus.Membership;

/**
 * Told by a group runner when its group's leader or membership changes. Called on the runner
 * thread: implementations must return quickly and must not call back into the runner synchronously
 * (queue the work instead).
 */
public interface GroupListener {

  /** The leader known by this node changed ({@code null}: none known). */
  void leaderChanged(String group, String leader);

  /** The membership in force changed (a change entered the log, or a snapshot was installed). */
  void membershipChanged(String group, Membership membership);
}

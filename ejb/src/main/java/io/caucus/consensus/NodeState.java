package io.caucus.consensus;

/**
 * Where a consensus node stands in the election cycle (not to be confused with its {@link Role}).
 */
public enum NodeState {
  FOLLOWER,
  /** Asking for pre-votes; has not changed its term. */
  PRE_CANDIDATE,
  CANDIDATE,
  LEADER
}

package io.caucus.consensus;

/**
 * Why the core refused a request. These are expected situations, returned as values; each says what
 * the caller should do.
 */
public enum Refusal {
  /** This node is not the leader: send the request to the leader hint (may be unknown). */
  NOT_LEADER,
  /** A membership change is still uncommitted: retry after it commits. */
  CHANGE_IN_PROGRESS,
  /** The leader has not yet committed an entry of its own term: retry shortly. */
  NOT_COMMITTED_IN_TERM,
  /** A leadership transfer is running: retry on the new leader. */
  TRANSFER_IN_PROGRESS,
  /** The change does not apply to the current membership (adding a member twice, ...). */
  INVALID_CHANGE,
  /** The named member is not in the group. */
  UNKNOWN_MEMBER,
  /** Only PRIMARY members can lead or campaign. */
  NOT_PRIMARY,
  /** The request names the node itself where that makes no sense (transfer to self). */
  ALREADY_LEADER
}

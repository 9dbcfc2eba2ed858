package io.caucus.consensus;

/** What {@link RaftNode#step(Message)} did with a message. */
public enum StepResult {
  PROCESSED,
  /** From an older term; dropped (possibly after telling the sender the current term). */
  STALE_TERM,
  /** Addressed to another member: the transport misrouted it; dropped, nothing changed. */
  NOT_ADDRESSED_TO_ME,
  /** A vote request while this node still hears from a live leader (leader lease); dropped. */
  IGNORED_IN_LEASE,
  /** Not meaningful in the node's current state (a response nobody waits for); dropped. */
  IGNORED
}

package io.caucus.cluster;

/**
 * This node cannot take the request for a group because it is not (or no longer) the group's
 * leader. Carries the leader this node knows of, if any, so that the caller can forward.
 */
public final class NotLeaderException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String group;
  private final String leaderHint;
  private final boolean retryable;

  /** A refusal before anything was proposed: the caller may safely try again elsewhere. */
  public NotLeaderException(String group, String leaderHint, String why) {
    this(group, leaderHint, why, true);
  }

  /**
   * @param retryable whether the entry certainly was not appended (false when it was proposed and
   *     the outcome is unknown: retrying could store it twice)
   */
  public NotLeaderException(String group, String leaderHint, String why, boolean retryable) {
    super(
        "Not the leader of "
            + group
            + (leaderHint == null ? " and no leader is known" : "; the leader is " + leaderHint)
            + ": "
            + why
            + ". Retry shortly.");
    this.group = group;
    this.leaderHint = leaderHint;
    this.retryable = retryable;
  }

  /** Whether the request certainly had no effect, so that it may be sent again. */
  public boolean retryable() {
    return retryable;
  }

  public String group() {
    return group;
  }

  /** The leader this node knows of, or {@code null}. */
  public String leaderHint() {
    return leaderHint;
  }
}

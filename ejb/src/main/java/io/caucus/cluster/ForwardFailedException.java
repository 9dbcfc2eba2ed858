package io.caucus.cluster;

/**
 * A request forwarded to a group's leader failed on the way: the leader could not be reached, did
 * not answer in time, or its handler failed. The message is the transport's.
 */
public final class ForwardFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean outcomeUnknown;

  /**
   * @param outcomeUnknown whether the request may have reached the leader and taken effect (an
   *     append sent whose answer was lost); {@code false} when it certainly was not sent
   */
  public ForwardFailedException(String message, boolean outcomeUnknown, Throwable cause) {
    super(message, cause);
    this.outcomeUnknown = outcomeUnknown;
  }

  /** Whether the request may have taken effect: then it must not simply be sent again. */
  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }
}

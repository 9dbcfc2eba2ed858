package io.caucus.arquillian.fault;

/**
 * One append as the client saw it: which event it carried, where it went, when it started and
 * ended, and what came back.
 *
 * @param id the operation's number in the history (unique)
 * @param client the client that made it
 * @param node the node the request went to
 * @param messageId the event's message identifier (unique per operation)
 * @param aggregate the aggregate appended to
 * @param sequence the aggregate sequence number the client asked for
 * @param startNanos {@link System#nanoTime()} before sending
 * @param endNanos {@link System#nanoTime()} after the answer (or the failure)
 * @param outcome what the answer means for the event
 * @param detail the status and code, or the exception, for reading the history
 */
public record Operation(
    long id,
    int client,
    String node,
    String messageId,
    String aggregate,
    long sequence,
    long startNanos,
    long endNanos,
    Outcome outcome,
    String detail) {

  /** What an answer says about whether the event is stored. */
  public enum Outcome {
    /** 200: the event is committed; it must be on every storing member, once. */
    OK,
    /** A definite refusal (409 sequence conflict, 400): the event must be on no member. */
    FAILED,
    /** No answer, a timeout or a 5xx: the event may or may not be stored (at most once). */
    UNKNOWN
  }
}

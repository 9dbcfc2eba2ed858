package io.caucus.cluster.transport;

/**
 * No reply came in time. The remote node may still have done the work: retry only what is safe to
 * repeat.
 */
public class RequestTimeoutException extends TransportException {

  public RequestTimeoutException(String message) {
    super(message);
  }
}

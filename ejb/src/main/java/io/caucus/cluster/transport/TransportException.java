package io.caucus.cluster.transport;

/** The transport could not do what was asked; the message says why and what to do. */
public class TransportException extends RuntimeException {

  public TransportException(String message) {
    super(message);
  }

  public TransportException(String message, Throwable cause) {
    super(message, cause);
  }
}

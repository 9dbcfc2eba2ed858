package io.caucus.cluster.transport;

/**
 * The remote node answered with a failure: its handler failed, or it has no handler for the
 * service. The message is the remote side's.
 */
public class RemoteRequestException extends TransportException {

  public RemoteRequestException(String message) {
    super(message);
  }
}

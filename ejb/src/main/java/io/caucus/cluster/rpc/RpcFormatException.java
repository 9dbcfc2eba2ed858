package io.caucus.cluster.rpc;

/**
 * Bytes that are not a message of a known {@link RpcCodec} format: an unknown version (a node of
 * another Caucus version), a message of another kind, truncated or trailing bytes. Nothing is done
 * for such a message; the handler answers with this failure, which names what was wrong.
 */
public final class RpcFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public RpcFormatException(String message) {
    super(message);
  }

  public RpcFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}

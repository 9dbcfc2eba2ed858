package io.caucus.cluster.transport;

/** The target node is not in this node's view, or left it before it answered. */
public class NodeUnreachableException extends TransportException {

  private final String node;

  public NodeUnreachableException(String node, String message) {
    super(message);
    this.node = node;
  }

  /** The node that could not be reached. */
  public String node() {
    return node;
  }
}

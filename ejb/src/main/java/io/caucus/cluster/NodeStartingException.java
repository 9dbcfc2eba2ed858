package io.caucus.cluster;

/**
 * This node cannot serve the request yet: it is still starting (configuration being read, runtime
 * starting, cluster structure not known yet) or waits to be initialised. Nothing was done; the
 * caller may retry once the node is ready. The message says what the node waits for.
 */
public final class NodeStartingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public NodeStartingException(String why) {
    super(why);
  }
}

package io.caucus.cluster;

/** No context of this name exists in the cluster structure this node knows. */
public final class ContextNotFoundException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String context;

  public ContextNotFoundException(String context) {
    super("Context " + context + " not found. Create it first or check the name.");
    this.context = context;
  }

  public String context() {
    return context;
  }
}

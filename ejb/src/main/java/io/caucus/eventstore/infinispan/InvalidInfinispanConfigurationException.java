package io.caucus.eventstore.infinispan;

/**
 * An Infinispan configuration file that cannot be used for the event storage: missing, unreadable,
 * malformed, or breaking one of the rules of {@link InfinispanConfigurationFile}. The message names
 * the file and says what is wrong; {@link #reason()} is the same without the file's name, for
 * callers that name it themselves.
 */
public final class InvalidInfinispanConfigurationException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String reason;

  InvalidInfinispanConfigurationException(String source, String reason, Throwable cause) {
    super("The Infinispan configuration " + source + " cannot be used: " + reason, cause);
    this.reason = reason;
  }

  /** What is wrong, starting in lower case, without the file's name. */
  public String reason() {
    return reason;
  }
}

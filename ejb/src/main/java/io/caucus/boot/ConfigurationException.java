package io.caucus.boot;

/**
 * The node cannot start with its configuration. The message names the property or path at fault and
 * says what to do; the node stops rather than run with a value it does not understand.
 */
public final class ConfigurationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}

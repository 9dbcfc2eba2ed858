package io.caucus.eventstore;

/** Bytes that do not follow the format they claim (truncated, wrong magic, version or checksum). */
public class EncodingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public EncodingException(String message) {
    super(message);
  }
}

package io.caucus.eventstore;

import io.caucus.error.ErrorCode;
import java.util.Objects;

/** A read or an administrative call could not be answered; {@link #code()} says why. */
public class EventStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public EventStoreException(ErrorCode code, String message) {
    super(code.code() + ": " + message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** Builds the exception with {@code code}'s sentence filled with {@code args}. */
  public static EventStoreException of(ErrorCode code, Object... args) {
    return new EventStoreException(code, code.message(args));
  }

  public ErrorCode code() {
    return code;
  }
}

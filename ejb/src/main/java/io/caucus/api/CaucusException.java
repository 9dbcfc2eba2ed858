package io.caucus.api;

import io.caucus.error.ErrorCode;
import java.util.Objects;

/**
 * A request could not be served; carries the {@link ErrorCode} the web and gRPC layers answer with
 * and a sentence saying what to do.
 */
public final class CaucusException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public CaucusException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public CaucusException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** Filled from the code's template. */
  public static CaucusException of(ErrorCode code, Object... args) {
    return new CaucusException(code, code.message(args));
  }

  public ErrorCode code() {
    return code;
  }
}

package io.caucus.cluster.admin;

import io.caucus.error.ErrorCode;
import java.util.Objects;

/**
 * The outcome of applying one admin command: success (with or without a change) or an error with
 * its code and a sentence saying what to do. Immutable. Sent back to a node that forwarded the
 * command in {@code io.caucus.cluster.rpc.RpcCodec}'s format.
 *
 * @param error the reason for refusal, or {@code null} on success
 * @param message what happened, or what to do about the error
 * @param changed whether the structure changed (always {@code false} on error)
 */
public record AdminResult(ErrorCode error, String message, boolean changed) {

  public AdminResult {
    Objects.requireNonNull(message, "message");
    if (error != null && changed) {
      throw new IllegalArgumentException("an error result cannot have changed the structure");
    }
  }

  static AdminResult changed(String message) {
    return new AdminResult(null, message, true);
  }

  static AdminResult unchanged(String message) {
    return new AdminResult(null, message, false);
  }

  static AdminResult failed(ErrorCode error, String message) {
    return new AdminResult(Objects.requireNonNull(error, "error"), message, false);
  }

  public boolean isOk() {
    return error == null;
  }

  /** The error's string code (for example {@code AXONIQ-1302}), or {@code null} on success. */
  public String code() {
    return error == null ? null : error.code();
  }

  @Override
  public String toString() {
    return error == null ? "OK: " + message : "[" + error.code() + "] " + message;
  }
}

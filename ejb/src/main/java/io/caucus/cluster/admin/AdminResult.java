package io.caucus.cluster.admin;

import io.caucus.error.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The outcome of applying one admin command: success (with or without a change) or an error with
 * its code and a sentence saying what to do. Immutable.
 *
 * @param error the reason for refusal, or {@code null} on success
 * @param message what happened, or what to do about the error
 * @param changed whether the structure changed (always {@code false} on error)
 */
public record AdminResult(ErrorCode error, String message, boolean changed) {

  private static final int FORMAT_VERSION = 1;

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

  /** Bytes for the reply of a forwarded admin request: version, error name, changed, message. */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_VERSION);
      out.writeUTF(error == null ? "" : error.name());
      out.writeBoolean(changed);
      out.writeUTF(message.length() > 16_000 ? message.substring(0, 16_000) : message);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes what {@link #encode()} wrote.
   *
   * @throws IllegalArgumentException if the bytes are not an encoded result
   */
  public static AdminResult decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int version = in.readUnsignedByte();
      if (version != FORMAT_VERSION) {
        throw new IllegalArgumentException("unknown admin result format version " + version);
      }
      String error = in.readUTF();
      boolean changed = in.readBoolean();
      String message = in.readUTF();
      if (in.available() > 0) {
        throw new IllegalArgumentException("trailing bytes after an admin result");
      }
      return new AdminResult(error.isEmpty() ? null : ErrorCode.valueOf(error), message, changed);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed admin result: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return error == null ? "OK: " + message : "[" + error.code() + "] " + message;
  }
}

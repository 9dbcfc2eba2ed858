package io.caucus.cluster.admin;

import io.caucus.error.ErrorCode;

/**
 * Bytes that are not an admin command of a known format. {@link AdminStateMachine#apply} turns it
 * into a {@link ErrorCode#MALFORMED_ADMIN_COMMAND} result; it never escapes from there.
 */
public class MalformedAdminCommandException extends IllegalArgumentException {

  public MalformedAdminCommandException(String message) {
    super("malformed admin command: " + message);
  }
}

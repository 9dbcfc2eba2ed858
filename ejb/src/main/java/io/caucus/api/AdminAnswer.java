package io.caucus.api;

import io.caucus.cluster.admin.AdminResult;

/**
 * What an admin call did, as the REST layer answers it.
 *
 * @param message what happened, as a sentence
 * @param changed whether the cluster structure changed ({@code false}: it already was so)
 * @param pending whether the change was started but not seen complete yet (init-cluster and
 *     register-node, whose commands run in the background: watch {@code /health/ready})
 */
public record AdminAnswer(String message, boolean changed, boolean pending) {

  /**
   * The answer to an {@code _admin} result: its message when it succeeded, otherwise a {@link
   * CaucusException} with the result's code (its HTTP status: 404 unknown, 409 conflicting, 400
   * malformed) and sentence.
   */
  public static AdminAnswer of(AdminResult result) {
    if (!result.isOk()) {
      throw new CaucusException(result.error(), result.message());
    }
    return new AdminAnswer(result.message(), result.changed(), false);
  }
}

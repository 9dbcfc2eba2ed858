package io.caucus.consensus;

/**
 * The answer to a request that starts something whose outcome arrives later (a campaign, a
 * leadership transfer, a read barrier): started, or refused with a reason.
 */
public sealed interface RequestResult {

  /** Started; the outcome will show in a later {@link Ready}. */
  record Started() implements RequestResult {}

  /** Nothing changed; {@code leaderHint} is the known leader or {@code null}. */
  record Refused(Refusal reason, String leaderHint) implements RequestResult {}

  RequestResult STARTED = new Started();

  default boolean started() {
    return this instanceof Started;
  }
}

package io.caucus.consensus;

/**
 * The answer to a proposal (an application entry or a membership change): either the log position
 * the entry was given, or why it was refused. Acceptance is not commitment: the entry may still be
 * lost if leadership changes; the caller learns of commitment when the entry comes out of a {@link
 * Ready} as committed, at that index and term.
 */
public sealed interface ProposeResult {

  /** The entry was appended at {@code index} in {@code term}. */
  record Accepted(long index, long term) implements ProposeResult {}

  /** Nothing changed; {@code leaderHint} is the known leader or {@code null}. */
  record Refused(Refusal reason, String leaderHint) implements ProposeResult {}

  default boolean accepted() {
    return this instanceof Accepted;
  }
}

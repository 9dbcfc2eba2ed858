package io.caucus.eventstore;

import io.caucus.error.ErrorCode;
import java.util.Objects;

/** What applying one committed log entry did. Identical on every node that applies the same log. */
public sealed interface ApplyResult {

  /** The log index the result belongs to. */
  long logIndex();

  /**
   * The command was stored.
   *
   * @param firstToken token of the first event; for a snapshot, -1
   * @param eventCount number of events stored (0 for a snapshot)
   */
  record Accepted(long logIndex, long firstToken, int eventCount) implements ApplyResult {
    /** Token of the last event stored, or -1 if none. */
    public long lastToken() {
      return eventCount == 0 ? -1 : firstToken + eventCount - 1;
    }
  }

  /** The command was refused; nothing changed. */
  record Rejected(long logIndex, ErrorCode code, String message) implements ApplyResult {
    public Rejected {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * The entry is at or below {@link ContextStateMachine#lastAppliedIndex()}: it was applied before
   * and was ignored. Its original result is not kept.
   */
  record AlreadyApplied(long logIndex) implements ApplyResult {}
}

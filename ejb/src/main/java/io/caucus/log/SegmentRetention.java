package io.caucus.log;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Axon-style log retention: segments whose entries are all covered by the snapshot and applied
 * durably by the state machine are kept for {@link LogSettings#retention()} after their last write
 * and then deleted, oldest first; nothing is deleted when {@link LogSettings#compactionEnabled()}
 * is false. Keeping applied segments a while lets a member that is a little behind catch up from
 * the log files on disk instead of needing a whole snapshot (for tools that read them; the
 * consensus core itself reads only from {@code firstIndex()}).
 *
 * <p>Stateless apart from its clock; thread-safe. Call {@link #apply} from the group's writer
 * thread (it performs a writer operation on the log), e.g. after each snapshot or on a timer.
 */
public final class SegmentRetention {

  private final Clock clock;

  public SegmentRetention(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Deletes the segments of {@code log} that retention allows. Never deletes an entry above {@code
   * appliedDurableIndex} (the index up to which the state machine has applied and durably stored
   * the log) or above the log's snapshot.
   *
   * @return the number of segment files deleted
   */
  public int apply(FileRaftLog log, long appliedDurableIndex) {
    LogSettings settings = log.settings();
    if (!settings.compactionEnabled()) {
      return 0;
    }
    Instant now = clock.instant();
    Duration keep = settings.retention();
    return log.deleteSegments(
        appliedDurableIndex,
        segment -> !segment.lastModified().toInstant().plus(keep).isAfter(now));
  }
}

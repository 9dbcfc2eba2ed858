package io.caucus.eventstore;

import java.time.Duration;

/**
 * A context's retention times ({@code event.retention-time}, {@code snapshot.retention-time}).
 *
 * @param eventRetention events older than this may be removed from primaries
 * @param snapshotRetention snapshots older than this may be removed from primaries
 */
public record RetentionSettings(Duration eventRetention, Duration snapshotRetention) {

  /** Seven days for both, as Axon Server's defaults. */
  public static final RetentionSettings DEFAULT =
      new RetentionSettings(Duration.ofDays(7), Duration.ofDays(7));

  public RetentionSettings {
    if (eventRetention.isNegative() || snapshotRetention.isNegative()) {
      throw new IllegalArgumentException("retention times must not be negative");
    }
  }
}

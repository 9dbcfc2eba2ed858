package io.caucus.log;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How one replication group's log is stored. A plain value: the cluster runtime reads Axon Server's
 * property names ({@link #FOLDER_PROPERTY}, {@link #SEGMENT_SIZE_PROPERTY}, {@link
 * #COMPACTION_ENABLED_PROPERTY}, {@link #RETENTION_HOURS_PROPERTY}) and builds one per group with
 * {@link #forGroup}.
 *
 * @param directory the group's own directory (one folder per group under the node's log folder)
 * @param segmentSize bytes after which a new segment file is started (a record larger than this
 *     gets a segment of its own)
 * @param compactionEnabled whether segments covered by a snapshot are ever deleted
 * @param retention how long a segment covered by a snapshot is kept before it may be deleted
 */
public record LogSettings(
    Path directory, long segmentSize, boolean compactionEnabled, Duration retention) {

  /** Node-wide log folder; each group gets a sub-folder named after it. */
  public static final String FOLDER_PROPERTY = "axoniq.axonserver.replication.log-storage-folder";

  public static final String SEGMENT_SIZE_PROPERTY = "axoniq.axonserver.replication.segment-size";
  public static final String COMPACTION_ENABLED_PROPERTY =
      "axoniq.axonserver.replication.log-compaction-enabled";
  public static final String RETENTION_HOURS_PROPERTY =
      "axoniq.axonserver.replication.log-retention-hours";

  public static final String DEFAULT_FOLDER = "./log";
  public static final long DEFAULT_SEGMENT_SIZE = 16L * 1024 * 1024;
  public static final boolean DEFAULT_COMPACTION_ENABLED = true;
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(1);

  /** Segments are addressed with int offsets in memory; one gigabyte is far above any use. */
  public static final long MAX_SEGMENT_SIZE = 1L << 30;

  /** Smallest useful segment: room for the file header and a few records. */
  public static final long MIN_SEGMENT_SIZE = 256;

  public LogSettings {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(retention, "retention");
    if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
      throw new IllegalArgumentException(
          "segment size must be between "
              + MIN_SEGMENT_SIZE
              + " and "
              + MAX_SEGMENT_SIZE
              + " bytes, was "
              + segmentSize
              + "; set "
              + SEGMENT_SIZE_PROPERTY
              + " accordingly");
    }
    if (retention.isNegative()) {
      throw new IllegalArgumentException(
          "log retention must not be negative, was "
              + retention
              + "; check "
              + RETENTION_HOURS_PROPERTY);
    }
  }

  /** Defaults for a group: {@code <logFolder>/<group>}, 16 MB segments, compaction after 1 h. */
  public static LogSettings forGroup(Path logFolder, String group) {
    return new LogSettings(
        groupDirectory(logFolder, group),
        DEFAULT_SEGMENT_SIZE,
        DEFAULT_COMPACTION_ENABLED,
        DEFAULT_RETENTION);
  }

  /**
   * The folder of {@code group} under {@code logFolder}. Group names become directory names, so
   * only names that cannot escape the folder are accepted.
   */
  public static Path groupDirectory(Path logFolder, String group) {
    Objects.requireNonNull(logFolder, "logFolder");
    if (group == null || !group.matches("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,127}")) {
      throw new IllegalArgumentException(
          "replication group name '"
              + group
              + "' cannot be used as a log folder name; use letters, digits, '_', '-' and '.'"
              + " (not first), at most 128 characters");
    }
    return logFolder.resolve(group);
  }

  public LogSettings withSegmentSize(long bytes) {
    return new LogSettings(directory, bytes, compactionEnabled, retention);
  }

  public LogSettings withCompactionEnabled(boolean enabled) {
    return new LogSettings(directory, segmentSize, enabled, retention);
  }

  public LogSettings withRetention(Duration keep) {
    return new LogSettings(directory, segmentSize, compactionEnabled, keep);
  }
}

package io.caucus.log;

import java.nio.file.Path;

/**
 * The log of a group cannot be trusted as it is on disk: a record before the tail is damaged, a
 * segment in the middle is missing, a file has an unknown format version, or a state file is
 * unreadable. Thrown when the log is opened (or when a damaged record is read later); the group
 * must stop, because continuing could lose or invent entries that other members rely on.
 *
 * <p>The message names the file and byte offset and says what an operator can do. Nothing on disk
 * is changed before this exception is thrown.
 */
public final class LogRecoveryException extends RuntimeException {

  /** What is wrong. */
  public enum Problem {
    /** A record fails its checksum or sequence checks and is not a torn tail. */
    CORRUPT_RECORD,
    /** Entries between two segments, or between the snapshot and the first segment, are gone. */
    MISSING_SEGMENT,
    /** The log ends before the commit index its hard state records: committed entries are gone. */
    LOST_COMMITTED_ENTRIES,
    /** A file was written by a format version this build does not know. */
    UNKNOWN_FORMAT_VERSION,
    /** A file does not start with the expected magic and header. */
    BAD_FILE_HEADER,
    /** The hard state or snapshot metadata file fails its checksum or cannot be decoded. */
    BAD_STATE_FILE
  }

  private final Problem problem;
  private final Path file;
  private final long offset;

  public LogRecoveryException(Problem problem, Path file, long offset, String detail) {
    super(
        problem
            + " in "
            + file
            + " at offset "
            + offset
            + ": "
            + detail
            + ". The group cannot start from this log; restore the member from another replica"
            + " (delete the group's log folder and let the leader send a snapshot) or restore the"
            + " file from a backup.");
    this.problem = problem;
    this.file = file;
    this.offset = offset;
  }

  public Problem problem() {
    return problem;
  }

  public Path file() {
    return file;
  }

  public long offset() {
    return offset;
  }
}

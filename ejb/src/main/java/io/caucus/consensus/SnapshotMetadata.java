package io.caucus.consensus;

import java.util.Objects;

/**
 * Describes a state-machine snapshot: the last log entry it includes and the membership in force at
 * that entry. The snapshot's data itself (for a context: its whole event store) is produced,
 * transferred and installed outside the core, in bounded chunks; the core only decides when a
 * follower needs one and what it covers.
 *
 * @param index index of the last entry the snapshot includes (0 for "no snapshot")
 * @param term term of that entry (0 for "no snapshot")
 * @param membership membership as of {@code index}
 */
public record SnapshotMetadata(long index, long term, Membership membership) {

  /** No snapshot: the log starts at index 1. */
  public static final SnapshotMetadata NONE = new SnapshotMetadata(0, 0, Membership.EMPTY);

  public SnapshotMetadata {
    if (index < 0 || term < 0) {
      throw new IllegalArgumentException("index and term must be >= 0");
    }
    Objects.requireNonNull(membership, "membership");
  }

  public boolean isNone() {
    return index == 0;
  }
}

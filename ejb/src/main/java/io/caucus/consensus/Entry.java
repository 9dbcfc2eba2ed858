package io.caucus.consensus;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a replicated log.
 *
 * <p>Immutable by convention: the {@code data} array is never modified after construction by anyone
 * (core, log or transport). Indexes start at 1; index 0 with term 0 is the empty log's sentinel.
 *
 * @param index position in the log, 1-based
 * @param term the leader term in which the entry was created
 * @param type what the entry carries
 * @param data the payload; never null, may be empty
 */
public record Entry(long index, long term, EntryType type, byte[] data) {

  private static final byte[] EMPTY = new byte[0];

  public Entry {
    if (index < 1) {
      throw new IllegalArgumentException("entry index must be >= 1, was " + index);
    }
    if (term < 1) {
      throw new IllegalArgumentException("entry term must be >= 1, was " + term);
    }
    Objects.requireNonNull(type, "type");
    data = data == null ? EMPTY : data;
  }

  /** The same entry placed at another index and term (used when a leader appends proposals). */
  public Entry at(long newIndex, long newTerm) {
    return new Entry(newIndex, newTerm, type, data);
  }

  /** Bytes this entry counts for when batches are limited by size. */
  public long sizeInBytes() {
    return data.length + 24L;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e
        && e.index == index
        && e.term == term
        && e.type == type
        && Arrays.equals(e.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, term, type) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Entry[" + index + "@" + term + " " + type + " " + data.length + "B]";
  }
}

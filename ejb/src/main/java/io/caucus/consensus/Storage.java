package io.caucus.consensus;

import java.util.List;

/**
 * The read-only port through which the consensus core reads the durable log of its group.
 *
 * <p><b>Contents.</b> The storage holds a contiguous run of entries {@code [firstIndex(),
 * lastIndex()]}, preceded by a snapshot (possibly {@link SnapshotMetadata#NONE}) that covers
 * everything up to {@code firstIndex() - 1}. On an empty log {@code firstIndex() == 1} and {@code
 * lastIndex() == 0}; after compaction up to {@code i}, {@code firstIndex() == i + 1}.
 *
 * <p><b>Who writes.</b> The core never writes: the caller persists what a {@code Ready} asks for
 * (entries appended, a suffix truncated, a snapshot installed) before calling {@code advance}, and
 * the storage must then reflect it. The core assumes that what it reads was made durable as the
 * {@code Ready} required.
 *
 * <p><b>Thread safety.</b> Called only from the thread that owns the consensus node; an
 * implementation may be written for one thread, or synchronize internally if others append.
 *
 * <p><b>Failures.</b> A range below {@code firstIndex()} throws {@link CompactedException}; a range
 * above {@code lastIndex()} throws {@link UnavailableException}. Any other failure (I/O,
 * corruption) is thrown as an unchecked exception and stops the group: the core does not try to
 * continue past a storage it cannot trust.
 */
public interface Storage {

  /** The hard state as last persisted ({@link HardState#EMPTY} on a fresh member). */
  HardState hardState();

  /**
   * Entries {@code [from, to)} in order, stopping early (but always returning at least one entry
   * when the range is not empty) once their total {@link Entry#sizeInBytes()} would exceed {@code
   * maxBytes}.
   */
  List<Entry> entries(long from, long to, long maxBytes);

  /**
   * The term of the entry at {@code index}. For {@code index == firstIndex() - 1} this is the
   * snapshot's term (0 for index 0).
   */
  long term(long index);

  /** Index of the first entry still in the log ({@code snapshot().index() + 1}). */
  long firstIndex();

  /** Index of the last entry in the log ({@code firstIndex() - 1} when it holds none). */
  long lastIndex();

  /** The latest durable snapshot's metadata, or {@link SnapshotMetadata#NONE}. */
  SnapshotMetadata snapshot();

  /** The index asked for is below {@code firstIndex()}: it was compacted into a snapshot. */
  final class CompactedException extends RuntimeException {
    public CompactedException(long index, long firstIndex) {
      super("index " + index + " is compacted; the log starts at " + firstIndex);
    }
  }

  /** The index asked for is above {@code lastIndex()}: it does not exist (yet). */
  final class UnavailableException extends RuntimeException {
    public UnavailableException(long index, long lastIndex) {
      super("index " + index + " is not available; the log ends at " + lastIndex);
    }
  }
}

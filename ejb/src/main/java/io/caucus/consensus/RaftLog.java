package io.caucus.consensus;

import java.util.ArrayList;
import java.util.List;

/**
 * The log as the core sees it: the durable part read through {@link Storage}, followed by entries
 * (and possibly a snapshot) not yet persisted, plus the commit and apply positions.
 *
 * <p>Invariants (checked, violations throw {@link IllegalStateException}):
 *
 * <ul>
 *   <li>{@code applied <= committed <= lastIndex()}
 *   <li>committed entries are never truncated or overwritten
 *   <li>unstable entries start at {@code offset} and are contiguous; {@code offset <=
 *       storage.lastIndex() + 1}
 * </ul>
 */
final class RaftLog {

  private final Storage storage;
  private long offset;
  private List<Entry> unstable = new ArrayList<>();
  private SnapshotMetadata unstableSnapshot;
  private long committed;
  private long applied;

  RaftLog(Storage storage) {
    this.storage = storage;
    this.offset = storage.lastIndex() + 1;
    this.committed = storage.firstIndex() - 1;
    this.applied = committed;
  }

  long committed() {
    return committed;
  }

  long applied() {
    return applied;
  }

  long firstIndex() {
    return unstableSnapshot != null ? unstableSnapshot.index() + 1 : storage.firstIndex();
  }

  long lastIndex() {
    if (!unstable.isEmpty()) {
      return offset + unstable.size() - 1;
    }
    if (unstableSnapshot != null) {
      return unstableSnapshot.index();
    }
    return storage.lastIndex();
  }

  /** The highest index known durable and matching this log (what this node may acknowledge). */
  long persistedIndex() {
    return offset - 1;
  }

  long lastTerm() {
    return term(lastIndex());
  }

  long term(long index) {
    if (unstableSnapshot != null && index == unstableSnapshot.index()) {
      return unstableSnapshot.term();
    }
    if (index >= offset && index < offset + unstable.size()) {
      return unstable.get((int) (index - offset)).term();
    }
    long first = firstIndex();
    if (index < first - 1) {
      throw new Storage.CompactedException(index, first);
    }
    if (index > lastIndex()) {
      throw new Storage.UnavailableException(index, lastIndex());
    }
    if (unstableSnapshot != null) {
      throw new Storage.CompactedException(index, first);
    }
    return storage.term(index);
  }

  boolean matchTerm(long index, long term) {
    if (index > lastIndex() || index < firstIndex() - 1) {
      return false;
    }
    return term(index) == term;
  }

  boolean isUpToDate(long lastIndex, long lastTerm) {
    long myTerm = lastTerm();
    return lastTerm > myTerm || (lastTerm == myTerm && lastIndex >= lastIndex());
  }

  /** Entries from {@code from} to the end, at most {@code maxBytes} (at least one entry). */
  List<Entry> entriesFrom(long from, long maxBytes) {
    if (from > lastIndex()) {
      return List.of();
    }
    return slice(from, lastIndex() + 1, maxBytes);
  }

  List<Entry> slice(long lo, long hi, long maxBytes) {
    if (lo < firstIndex()) {
      throw new Storage.CompactedException(lo, firstIndex());
    }
    if (hi > lastIndex() + 1) {
      throw new Storage.UnavailableException(hi - 1, lastIndex());
    }
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    if (lo < offset) {
      long stableHi = Math.min(hi, offset);
      List<Entry> stable = storage.entries(lo, stableHi, maxBytes);
      for (Entry e : stable) {
        bytes += e.sizeInBytes();
      }
      out.addAll(stable);
      if (stable.size() < stableHi - lo) {
        return out;
      }
    }
    for (long i = Math.max(lo, offset); i < hi; i++) {
      Entry e = unstable.get((int) (i - offset));
      if (!out.isEmpty() && bytes + e.sizeInBytes() > maxBytes) {
        break;
      }
      bytes += e.sizeInBytes();
      out.add(e);
    }
    return out;
  }

  /**
   * Appends entries whose first follows a position already in this log; anything after that
   * position is replaced. Returns the index of the last entry.
   */
  long append(List<Entry> entries) {
    if (entries.isEmpty()) {
      return lastIndex();
    }
    long after = entries.get(0).index() - 1;
    if (after < committed) {
      throw new IllegalStateException(
          "invariant violated: committed entries are never overwritten (append after "
              + after
              + ", committed "
              + committed
              + ")");
    }
    if (after > lastIndex()) {
      throw new IllegalStateException(
          "invariant violated: the log has no gaps (append after "
              + after
              + ", last "
              + lastIndex());
    }
    if (after == offset + unstable.size() - 1) {
      unstable.addAll(entries);
    } else if (after < offset) {
      offset = after + 1;
      unstable = new ArrayList<>(entries);
    } else {
      List<Entry> kept = new ArrayList<>(unstable.subList(0, (int) (after + 1 - offset)));
      kept.addAll(entries);
      unstable = kept;
    }
    return lastIndex();
  }

  /** The index of the first entry whose term differs from this log's, or 0 if none does. */
  long findConflict(List<Entry> entries) {
    for (Entry e : entries) {
      if (!matchTerm(e.index(), e.term())) {
        return e.index();
      }
    }
    return 0;
  }

  void commitTo(long index) {
    if (index <= committed) {
      return;
    }
    if (index > lastIndex()) {
      throw new IllegalStateException(
          "invariant violated: commit "
              + index
              + " beyond the last log index "
              + lastIndex()
              + " (was the log truncated or lost?)");
    }
    committed = index;
  }

  void appliedTo(long index) {
    if (index == 0) {
      return;
    }
    if (index > committed || index < applied) {
      throw new IllegalStateException(
          "invariant violated: applied "
              + index
              + " must lie in [applied "
              + applied
              + ", committed "
              + committed
              + "]");
    }
    applied = index;
  }

  /** Restores from a snapshot: everything up to its index is committed and the log restarts. */
  void restore(SnapshotMetadata snapshot) {
    committed = snapshot.index();
    unstableSnapshot = snapshot;
    offset = snapshot.index() + 1;
    unstable = new ArrayList<>();
  }

  SnapshotMetadata unstableSnapshot() {
    return unstableSnapshot;
  }

  boolean hasUnstableEntries() {
    return !unstable.isEmpty();
  }

  List<Entry> unstableEntries() {
    return List.copyOf(unstable);
  }

  /** First index the log writer must delete before appending, or 0 when it only appends. */
  long truncateFrom() {
    if (unstable.isEmpty() || unstableSnapshot != null) {
      return 0;
    }
    return offset <= storage.lastIndex() ? offset : 0;
  }

  /** The runner persisted entries up to {@code index} (term {@code term}). */
  void stableTo(long index, long term) {
    if (index < offset || index >= offset + unstable.size()) {
      return;
    }
    if (unstable.get((int) (index - offset)).term() != term) {
      return;
    }
    unstable = new ArrayList<>(unstable.subList((int) (index + 1 - offset), unstable.size()));
    offset = index + 1;
  }

  void stableSnapshotTo(long index) {
    if (unstableSnapshot != null && unstableSnapshot.index() == index) {
      unstableSnapshot = null;
    }
  }

  boolean hasNextCommitted() {
    return committed > Math.max(applied, firstIndex() - 1);
  }

  List<Entry> nextCommitted(long maxBytes) {
    long lo = Math.max(applied + 1, firstIndex());
    if (committed < lo) {
      return List.of();
    }
    return slice(lo, committed + 1, maxBytes);
  }

  /** Restores the commit hint of a restarted node; it never moves past the log. */
  void restoreCommit(long commit, long appliedHint) {
    committed = Math.max(committed, Math.min(commit, lastIndex()));
    applied = Math.max(applied, Math.min(appliedHint, committed));
  }
}

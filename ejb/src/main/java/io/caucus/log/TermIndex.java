package io.caucus.log;

import java.util.Arrays;

/**
 * Log index to term, kept in memory as runs ("from index i on, term t") so that {@code term(i)},
 * which the consensus core asks on every append it receives, never touches the disk. Terms change
 * rarely, so this stays a handful of runs however long the log is.
 *
 * <p>Not thread-safe; {@link FileRaftLog} guards it with its lock.
 */
final class TermIndex {

  private long[] starts = new long[8];
  private long[] terms = new long[8];
  private int runs;

  /** Records that {@code index} (the next index after the last one recorded) has {@code term}. */
  void append(long index, long term) {
    if (runs > 0 && terms[runs - 1] == term) {
      return;
    }
    if (runs == starts.length) {
      starts = Arrays.copyOf(starts, runs * 2);
      terms = Arrays.copyOf(terms, runs * 2);
    }
    starts[runs] = index;
    terms[runs] = term;
    runs++;
  }

  /** Term of {@code index}; the caller guarantees it lies within the recorded range. */
  long termAt(long index) {
    int lo = 0;
    int hi = runs - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= index) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return terms[lo];
  }

  /** Forgets {@code index} and everything after it. */
  void truncateFrom(long index) {
    while (runs > 0 && starts[runs - 1] >= index) {
      runs--;
    }
  }

  /** Forgets runs that end before {@code index}. */
  void dropBefore(long index) {
    int keepFrom = 0;
    while (keepFrom + 1 < runs && starts[keepFrom + 1] <= index) {
      keepFrom++;
    }
    if (keepFrom > 0) {
      System.arraycopy(starts, keepFrom, starts, 0, runs - keepFrom);
      System.arraycopy(terms, keepFrom, terms, 0, runs - keepFrom);
      runs -= keepFrom;
    }
  }

  void clear() {
    runs = 0;
  }
}

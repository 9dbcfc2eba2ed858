package io.caucus.consensus;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Storage} held in memory, with the writes a runner performs for a {@link Ready}. For
 * tests, the simulator, and runtimes that need a consensus node without files.
 *
 * <p><b>Durability:</b> none; everything is lost with the object. <b>Thread safety:</b> none; one
 * thread (the node's owner) reads and writes it. <b>Failures:</b> reads outside the stored range
 * throw the {@link Storage} exceptions; writes that would leave a gap throw {@link
 * IllegalArgumentException}.
 */
public final class MemoryStorage implements Storage {

  private HardState hardState = HardState.EMPTY;
  private SnapshotMetadata snapshot = SnapshotMetadata.NONE;
  private final ArrayList<Entry> entries = new ArrayList<>();

  public MemoryStorage() {}

  /** A copy sharing no mutable state with this one (entries are immutable values). */
  public MemoryStorage copy() {
    MemoryStorage c = new MemoryStorage();
    c.hardState = hardState;
    c.snapshot = snapshot;
    c.entries.addAll(entries);
    return c;
  }

  @Override
  public HardState hardState() {
    return hardState;
  }

  @Override
  public List<Entry> entries(long from, long to, long maxBytes) {
    if (from < firstIndex()) {
      throw new CompactedException(from, firstIndex());
    }
    if (to > lastIndex() + 1) {
      throw new UnavailableException(to - 1, lastIndex());
    }
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    for (long i = from; i < to; i++) {
      Entry e = entries.get((int) (i - firstIndex()));
      if (!out.isEmpty() && bytes + e.sizeInBytes() > maxBytes) {
        break;
      }
      bytes += e.sizeInBytes();
      out.add(e);
    }
    return out;
  }

  @Override
  public long term(long index) {
    if (index == snapshot.index()) {
      return snapshot.term();
    }
    if (index < firstIndex()) {
      throw new CompactedException(index, firstIndex());
    }
    if (index > lastIndex()) {
      throw new UnavailableException(index, lastIndex());
    }
    return entries.get((int) (index - firstIndex())).term();
  }

  @Override
  public long firstIndex() {
    return snapshot.index() + 1;
  }

  @Override
  public long lastIndex() {
    return snapshot.index() + entries.size();
  }

  @Override
  public SnapshotMetadata snapshot() {
    return snapshot;
  }

  // ------------------------------------------------------------------ writes

  public void setHardState(HardState hs) {
    hardState = Objects.requireNonNull(hs, "hardState");
  }

  /** Deletes every entry at or above {@code index} (no-op past the end). */
  public void truncateFrom(long index) {
    if (index < firstIndex()) {
      throw new IllegalArgumentException(
          "cannot truncate from " + index + ": the log starts at " + firstIndex());
    }
    while (lastIndex() >= index) {
      entries.remove(entries.size() - 1);
    }
  }

  /** Appends entries that follow the last entry exactly. */
  public void append(List<Entry> batch) {
    for (Entry e : batch) {
      if (e.index() != lastIndex() + 1) {
        throw new IllegalArgumentException(
            "entry " + e.index() + " does not follow the last index " + lastIndex());
      }
      entries.add(e);
    }
  }

  /** Replaces the whole log with a snapshot: the log restarts after its index. */
  public void installSnapshot(SnapshotMetadata meta) {
    snapshot = Objects.requireNonNull(meta, "snapshot");
    entries.clear();
  }

  /**
   * Log compaction: drops the entries up to {@code meta.index()}, which a durable state-machine
   * snapshot described by {@code meta} now covers.
   */
  public void compact(SnapshotMetadata meta) {
    if (meta.index() <= snapshot.index()) {
      return;
    }
    if (meta.index() > lastIndex()) {
      throw new IllegalArgumentException(
          "cannot compact to " + meta.index() + " beyond the last index " + lastIndex());
    }
    if (term(meta.index()) != meta.term()) {
      throw new IllegalArgumentException("snapshot term does not match the log at " + meta.index());
    }
    int drop = (int) (meta.index() - snapshot.index());
    entries.subList(0, drop).clear();
    snapshot = meta;
  }

  /** Carries out the storage part of a Ready: snapshot, truncation, entries, hard state. */
  public void persist(Ready rd) {
    if (rd.snapshot() != null) {
      installSnapshot(rd.snapshot());
    }
    if (rd.truncateFrom() > 0) {
      truncateFrom(rd.truncateFrom());
    }
    if (!rd.entries().isEmpty()) {
      long first = rd.entries().get(0).index();
      if (first <= lastIndex()) {
        throw new IllegalArgumentException(
            "Ready entries start at " + first + " inside the log but no truncation was asked");
      }
      append(rd.entries());
    }
    if (rd.hardState() != null) {
      setHardState(rd.hardState());
    }
  }
}

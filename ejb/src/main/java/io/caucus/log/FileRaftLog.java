package io.caucus.log;

import io.caucus.consensus.Entry;
import io.caucus.consensus.HardState;
import io.caucus.consensus.SnapshotMetadata;
import io.caucus.consensus.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * The durable RAFT log of one replication group: segment files, the hard state file and the
 * snapshot metadata file in the group's own directory. It is the consensus core's {@link Storage}
 * and offers the writer operations the group runner calls while persisting a {@code Ready}.
 *
 * <p><b>Contents.</b> Entries {@code [firstIndex(), lastIndex()]} preceded by {@link #snapshot()},
 * with {@code firstIndex() == snapshot().index() + 1}. Segment files may still hold older entries
 * (kept until {@link SegmentRetention} deletes their segment); they are not readable through this
 * class.
 *
 * <p><b>Lifecycle.</b> {@link #open} recovers the directory (see {@link SegmentScanner} for the
 * torn-tail rule) and returns a log ready to use; {@link #close} releases the files. A writer
 * operation that fails on I/O leaves the log <em>failed</em>: every later call throws {@link
 * IllegalStateException}, and the group must be restarted, which re-runs recovery.
 *
 * <p><b>Durability.</b> Every writer method returns only once what it did is durable: {@link
 * #append} with one fsync per batch (group commit) plus, when the batch starts a new segment, an
 * fsync of the finished segment and of the directory; {@link #truncateSuffix}, {@link #compact},
 * {@link #installSnapshot} and {@link #deleteSegments} with the fsyncs of files and directory they
 * need. {@link #saveHardState} writes through when the term or the vote changes; a change of the
 * commit hint alone is kept in memory and written with the next term or vote change or at {@link
 * #close}, because the hint is not needed for safety and writing it on every {@code Ready} would
 * cost two extra fsyncs each.
 *
 * <p><b>Thread safety.</b> Writer methods are meant for one thread, the group's runner; they are
 * serialized by a lock of this instance, so a second writer waits rather than corrupting the log.
 * Reads ({@link Storage} methods, {@link #segments()}) may come from any thread: they take the read
 * side of a read-write lock of this instance, and see only entries whose fsync has completed. An
 * append holds the write side only while it writes to the page cache (and, when the batch fills a
 * segment, while it seals that segment and creates the next), not during its own fsync, so readers
 * on other threads are not blocked by the disk. There is no static state: groups never share a
 * lock.
 *
 * <p><b>Failures.</b> Bad arguments (a gap, decreasing terms, truncating into the snapshot) throw
 * {@link IllegalArgumentException} and change nothing. A damaged log throws {@link
 * LogRecoveryException}; I/O errors throw {@link UncheckedIOException}.
 */
public final class FileRaftLog implements Storage, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(FileRaftLog.class.getName());

  private final LogSettings settings;
  private final Path dir;
  private final HardStateFile hardStateFile;
  private final SnapshotMetadataFile snapshotFile;
  private final ReentrantLock writer = new ReentrantLock();
  private final ReentrantReadWriteLock state = new ReentrantReadWriteLock();

  // Guarded by state (written under its write lock, by the writer only).
  private final List<Segment> segments;
  private final TermIndex terms;
  private SnapshotMetadata snapshot;
  private long lastIndex;
  private HardState hardState;
  private boolean closed;
  private RuntimeException failure;

  // Writer-only.
  private HardState durableHardState;
  private ByteBuffer scratch = ByteBuffer.allocateDirect(256 * 1024);

  private FileRaftLog(
      LogSettings settings,
      HardStateFile hardStateFile,
      SnapshotMetadataFile snapshotFile,
      HardState hardState,
      SnapshotMetadata snapshot,
      List<Segment> segments,
      TermIndex terms) {
    this.settings = settings;
    this.dir = settings.directory();
    this.hardStateFile = hardStateFile;
    this.snapshotFile = snapshotFile;
    this.hardState = hardState;
    this.durableHardState = hardState;
    this.snapshot = snapshot;
    this.segments = segments;
    this.terms = terms;
    Segment last = segments.get(segments.size() - 1);
    this.lastIndex = Math.max(snapshot.index(), last.lastIndex());
  }

  /**
   * Opens (creating if needed) the log in {@code settings.directory()} and recovers it: a torn tail
   * of the last segment is cut and logged; damage anywhere else, a missing segment, an unknown
   * format version, or a log ending below the commit index of its hard state throws {@link
   * LogRecoveryException} before anything on disk is changed. Every record's checksums are verified
   * (about 2 GB/s from the page cache, see BENCHMARKS.md).
   */
  public static FileRaftLog open(LogSettings settings) {
    Path dir = settings.directory();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create log directory " + dir, e);
    }
    HardStateFile hardStateFile = new HardStateFile(dir);
    SnapshotMetadataFile snapshotFile = new SnapshotMetadataFile(dir);
    HardState hardState = hardStateFile.load();
    SnapshotMetadata snapshot = snapshotFile.load();
    TermIndex terms = new TermIndex();
    List<Segment> segments = new SegmentRecovery(dir, snapshot, hardState.commit(), terms).run();
    return new FileRaftLog(
        settings, hardStateFile, snapshotFile, hardState, snapshot, segments, terms);
  }

  // ---------------------------------------------------------------- Storage (reads)

  @Override
  public HardState hardState() {
    state.readLock().lock();
    try {
      return hardState;
    } finally {
      state.readLock().unlock();
    }
  }

  @Override
  public SnapshotMetadata snapshot() {
    state.readLock().lock();
    try {
      return snapshot;
    } finally {
      state.readLock().unlock();
    }
  }

  @Override
  public long firstIndex() {
    state.readLock().lock();
    try {
      return snapshot.index() + 1;
    } finally {
      state.readLock().unlock();
    }
  }

  @Override
  public long lastIndex() {
    state.readLock().lock();
    try {
      return lastIndex;
    } finally {
      state.readLock().unlock();
    }
  }

  @Override
  public long term(long index) {
    state.readLock().lock();
    try {
      checkUsable();
      if (index == snapshot.index()) {
        return snapshot.term();
      }
      if (index < snapshot.index()) {
        throw new CompactedException(index, snapshot.index() + 1);
      }
      if (index > lastIndex) {
        throw new UnavailableException(index, lastIndex);
      }
      return terms.termAt(index);
    } finally {
      state.readLock().unlock();
    }
  }

  @Override
  public List<Entry> entries(long from, long to, long maxBytes) {
    if (from > to) {
      throw new IllegalArgumentException("range [" + from + ", " + to + ") is reversed");
    }
    state.readLock().lock();
    try {
      checkUsable();
      if (from <= snapshot.index()) {
        throw new CompactedException(from, snapshot.index() + 1);
      }
      if (to - 1 > lastIndex) {
        throw new UnavailableException(to - 1, lastIndex);
      }
      List<Entry> out = new ArrayList<>();
      long used = 0;
      int s = segmentIndexOf(from);
      long next = from;
      while (next < to && s < segments.size()) {
        Segment seg = segments.get(s);
        long end = Math.min(to, seg.lastIndex() + 1);
        int before = out.size();
        used += seg.read(next, end, maxBytes - used, out);
        next += out.size() - before;
        if (next < end) {
          break; // stopped by maxBytes
        }
        s++;
      }
      return out;
    } finally {
      state.readLock().unlock();
    }
  }

  /** The segment files, oldest first. */
  public List<SegmentInfo> segments() {
    state.readLock().lock();
    try {
      checkUsable();
      List<SegmentInfo> out = new ArrayList<>(segments.size());
      for (int i = 0; i < segments.size(); i++) {
        out.add(info(segments.get(i), i == segments.size() - 1));
      }
      return out;
    } finally {
      state.readLock().unlock();
    }
  }

  /** The settings this log was opened with. */
  public LogSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- writer

  /**
   * Appends a batch of consecutive entries and makes it durable with one fsync. The first entry may
   * overlap the log ({@code index <= lastIndex()}), as a follower receives them: entries that match
   * the log are skipped, and at the first entry whose term differs the log's suffix from there is
   * truncated (durably) before the rest is written. Entries at or below the snapshot are skipped.
   *
   * @throws IllegalArgumentException when the batch is not consecutive, its terms decrease, or it
   *     starts after {@code lastIndex() + 1}; nothing is changed then
   */
  public void append(List<Entry> batch) {
    Objects.requireNonNull(batch, "batch");
    if (batch.isEmpty()) {
      return;
    }
    writer.lock();
    try {
      checkUsable();
      validateBatch(batch);
      int from = 0;
      long conflictAt = -1;
      while (from < batch.size()) {
        Entry e = batch.get(from);
        if (e.index() > lastIndex) {
          break;
        }
        if (e.index() == snapshot.index() && e.term() != snapshot.term()) {
          throw new IllegalArgumentException(
              "entry " + e + " conflicts with the snapshot at term " + snapshot.term());
        }
        if (e.index() > snapshot.index() && terms.termAt(e.index()) != e.term()) {
          conflictAt = e.index();
          break;
        }
        from++;
      }
      if (from == batch.size()) {
        return; // all already in the log, and published entries are durable
      }
      Entry first = batch.get(from);
      long previousTerm = termBefore(first.index());
      if (first.term() < previousTerm) {
        throw new IllegalArgumentException(
            "entry " + first + " has a lower term than the entry before it (" + previousTerm + ")");
      }
      if (conflictAt >= 0) {
        truncateDurably(conflictAt);
      }
      Segment active = write(batch, from);
      active.force();
      state.writeLock().lock();
      try {
        lastIndex = batch.get(batch.size() - 1).index();
      } finally {
        state.writeLock().unlock();
      }
    } catch (UncheckedIOException | LogRecoveryException e) {
      throw fail(e);
    } finally {
      writer.unlock();
    }
  }

  /**
   * Removes {@code fromIndex} and everything after it, durably. Does nothing when {@code fromIndex
   * > lastIndex()}.
   *
   * @throws IllegalArgumentException when {@code fromIndex} is covered by the snapshot
   */
  public void truncateSuffix(long fromIndex) {
    writer.lock();
    try {
      checkUsable();
      if (fromIndex <= snapshot.index()) {
        throw new IllegalArgumentException(
            "cannot truncate from "
                + fromIndex
                + ": entries up to "
                + snapshot.index()
                + " are covered by the snapshot and committed");
      }
      if (fromIndex > lastIndex) {
        return;
      }
      truncateDurably(fromIndex);
    } catch (UncheckedIOException e) {
      throw fail(e);
    } finally {
      writer.unlock();
    }
  }

  /**
   * Records a snapshot the state machine has made durably of entries up to {@code
   * snapshot.index()}, which must be in this log with that term: the log then starts at {@code
   * snapshot.index() + 1}. Segment files are deleted later by {@link #deleteSegments} (normally
   * through {@link SegmentRetention}).
   */
  public void compact(SnapshotMetadata newSnapshot) {
    Objects.requireNonNull(newSnapshot, "snapshot");
    writer.lock();
    try {
      checkUsable();
      if (newSnapshot.index() < snapshot.index()) {
        throw new IllegalArgumentException(
            "snapshot at "
                + newSnapshot.index()
                + " is older than the current one at "
                + snapshot.index());
      }
      if (newSnapshot.index() > lastIndex) {
        throw new IllegalArgumentException(
            "snapshot at "
                + newSnapshot.index()
                + " is beyond the log's last index "
                + lastIndex
                + "; use installSnapshot for a snapshot received from the leader");
      }
      long term =
          newSnapshot.index() == snapshot.index()
              ? snapshot.term()
              : terms.termAt(newSnapshot.index());
      if (term != newSnapshot.term()) {
        throw new IllegalArgumentException(
            "snapshot term "
                + newSnapshot.term()
                + " does not match the log's term "
                + term
                + " at "
                + newSnapshot.index());
      }
      snapshotFile.save(newSnapshot);
      state.writeLock().lock();
      try {
        snapshot = newSnapshot;
      } finally {
        state.writeLock().unlock();
      }
    } catch (UncheckedIOException e) {
      throw fail(e);
    } finally {
      writer.unlock();
    }
  }

  /**
   * Installs a snapshot received from the leader. If the log holds the snapshot's last entry with
   * the same term, the entries after it are kept (Raft §7); otherwise the whole log is discarded
   * and the next entry appended must be {@code snapshot.index() + 1}. The metadata is written
   * first, so a crash in between is finished by the next {@link #open}.
   *
   * <p>Installing the current snapshot again changes nothing.
   *
   * @throws IllegalArgumentException when the snapshot is older than the current one, or at the
   *     same index with another term or membership
   */
  public void installSnapshot(SnapshotMetadata newSnapshot) {
    Objects.requireNonNull(newSnapshot, "snapshot");
    writer.lock();
    try {
      checkUsable();
      if (newSnapshot.equals(snapshot)) {
        return; // installed already (a Ready persisted again after a restart)
      }
      if (newSnapshot.index() <= snapshot.index()) {
        throw new IllegalArgumentException(
            "snapshot at "
                + newSnapshot.index()
                + " (term "
                + newSnapshot.term()
                + ") is not newer than the current one at "
                + snapshot.index()
                + " (term "
                + snapshot.term()
                + ")");
      }
      boolean keep =
          newSnapshot.index() <= lastIndex
              && terms.termAt(newSnapshot.index()) == newSnapshot.term();
      snapshotFile.save(newSnapshot);
      state.writeLock().lock();
      try {
        snapshot = newSnapshot;
        if (!keep) {
          lastIndex = newSnapshot.index();
          replaceAllSegments(newSnapshot.index() + 1);
        }
      } finally {
        state.writeLock().unlock();
      }
    } catch (UncheckedIOException e) {
      throw fail(e);
    } finally {
      writer.unlock();
    }
  }

  /**
   * Deletes whole segments, oldest first, while every entry in them is at or below both {@code
   * upToIndex} and the snapshot, and {@code eligible} accepts them; stops at the first that does
   * not qualify, so the remaining segments stay contiguous. When the newest segment itself
   * qualifies and the log ends in it, a fresh empty segment replaces it. Returns how many files
   * were deleted.
   *
   * @param upToIndex no entry above this index is deleted (the index the state machine has applied
   *     and made durable)
   */
  public int deleteSegments(long upToIndex, Predicate<SegmentInfo> eligible) {
    Objects.requireNonNull(eligible, "eligible");
    writer.lock();
    try {
      checkUsable();
      long limit = Math.min(upToIndex, snapshot.index());
      int deleted = 0;
      state.writeLock().lock();
      try {
        while (segments.size() > 1
            && segments.get(0).lastIndex() <= limit
            && eligible.test(info(segments.get(0), false))) {
          segments.remove(0).delete();
          deleted++;
        }
        Segment only = segments.get(0);
        if (segments.size() == 1
            && only.count() > 0
            && only.lastIndex() <= limit
            && eligible.test(info(only, true))) {
          Segment fresh = Segment.create(dir, only.lastIndex() + 1);
          DirectorySync.sync(dir); // the fresh segment exists before the old one goes
          segments.add(fresh);
          segments.remove(0).delete();
          deleted++;
        }
        if (deleted > 0) {
          DirectorySync.sync(dir);
          terms.dropBefore(segments.get(0).firstIndex());
        }
      } finally {
        state.writeLock().unlock();
      }
      if (deleted > 0) {
        LOG.log(
            System.Logger.Level.INFO,
            "Deleted {0} log segment(s) of {1}; the oldest entry kept on disk is now {2}",
            deleted,
            dir,
            segments.get(0).firstIndex());
      }
      return deleted;
    } catch (UncheckedIOException e) {
      throw fail(e);
    } finally {
      writer.unlock();
    }
  }

  /**
   * Records the hard state. Durable before returning when the term or the vote changed; see the
   * class comment for the commit hint.
   *
   * @throws IllegalArgumentException when the term goes down
   */
  public void saveHardState(HardState next) {
    Objects.requireNonNull(next, "hard state");
    writer.lock();
    try {
      checkUsable();
      if (next.term() < hardState.term()) {
        throw new IllegalArgumentException(
            "term must not decrease: " + hardState.term() + " -> " + next.term());
      }
      if (next.term() != durableHardState.term()
          || !Objects.equals(next.votedFor(), durableHardState.votedFor())) {
        hardStateFile.save(durableForm(next));
        durableHardState = next;
      }
      state.writeLock().lock();
      try {
        hardState = next;
      } finally {
        state.writeLock().unlock();
      }
    } catch (UncheckedIOException e) {
      throw fail(e);
    } finally {
      writer.unlock();
    }
  }

  /** Writes a pending commit hint and closes the files. Later calls throw. Idempotent. */
  @Override
  public void close() {
    writer.lock();
    try {
      if (closed) {
        return;
      }
      try {
        if (failure == null && !hardState.equals(durableHardState)) {
          hardStateFile.save(durableForm(hardState));
          durableHardState = hardState;
        }
      } finally {
        state.writeLock().lock();
        try {
          closed = true;
          for (Segment s : segments) {
            s.close();
          }
        } finally {
          state.writeLock().unlock();
        }
      }
    } finally {
      writer.unlock();
    }
  }

  // ---------------------------------------------------------------- internals

  /**
   * The hard state as written to disk: the commit hint never above the durable log's end, so that
   * recovery may treat every entry up to the written hint as acknowledged (see {@link
   * SegmentRecovery}) whatever order a caller persists a {@code Ready}'s parts in.
   */
  private HardState durableForm(HardState state) {
    return state.commit() <= lastIndex
        ? state
        : new HardState(state.term(), state.votedFor(), lastIndex);
  }

  private void validateBatch(List<Entry> batch) {
    Entry first = batch.get(0);
    if (first.index() > lastIndex + 1) {
      throw new IllegalArgumentException(
          "batch starts at " + first.index() + " but the log ends at " + lastIndex + ": a gap");
    }
    for (int i = 1; i < batch.size(); i++) {
      Entry prev = batch.get(i - 1);
      Entry e = batch.get(i);
      if (e.index() != prev.index() + 1) {
        throw new IllegalArgumentException("batch is not consecutive at " + prev + ", " + e);
      }
      if (e.term() < prev.term()) {
        throw new IllegalArgumentException("batch terms decrease at " + prev + ", " + e);
      }
    }
  }

  private long termBefore(long index) {
    long prev = index - 1;
    if (prev <= snapshot.index()) {
      return prev == snapshot.index() ? snapshot.term() : 0;
    }
    return terms.termAt(prev);
  }

  /**
   * Writes {@code batch[from..]} to the page cache, rolling segments as needed; returns the last.
   */
  private Segment write(List<Entry> batch, int from) {
    state.writeLock().lock();
    try {
      Segment active = segments.get(segments.size() - 1);
      int runStart = from;
      long runBytes = 0;
      for (int i = from; i < batch.size(); i++) {
        Entry e = batch.get(i);
        int bytes = RecordFormat.recordBytes(e);
        boolean empty = active.count() == 0 && i == runStart;
        if (!empty && active.size() + runBytes + bytes > settings.segmentSize()) {
          if (i > runStart) {
            active.append(batch, runStart, i, scratch);
          }
          // Seal the full segment before the next exists, so a torn tail is only ever in the last.
          active.force();
          Segment next = Segment.create(dir, e.index());
          DirectorySync.sync(dir);
          segments.add(next);
          active = next;
          runStart = i;
          runBytes = 0;
        } else if (i > runStart && runBytes + bytes > scratch.capacity()) {
          active.append(batch, runStart, i, scratch);
          runStart = i;
          runBytes = 0;
        }
        if (bytes > scratch.capacity()) {
          scratch = ByteBuffer.allocateDirect(Integer.highestOneBit(bytes) * 2);
        }
        runBytes += bytes;
        terms.append(e.index(), e.term());
      }
      active.append(batch, runStart, batch.size(), scratch);
      return active;
    } finally {
      state.writeLock().unlock();
    }
  }

  private void truncateDurably(long fromIndex) {
    state.writeLock().lock();
    try {
      lastIndex = fromIndex - 1;
      boolean deleted = false;
      while (segments.size() > 1 && segments.get(segments.size() - 1).firstIndex() > fromIndex) {
        segments.remove(segments.size() - 1).delete();
        deleted = true;
      }
      if (deleted) {
        DirectorySync.sync(dir);
      }
      Segment active = segments.get(segments.size() - 1);
      if (fromIndex <= active.lastIndex()) {
        active.truncateFrom(Math.max(fromIndex, active.firstIndex()));
        active.force();
      }
      terms.truncateFrom(fromIndex);
    } finally {
      state.writeLock().unlock();
    }
  }

  /** Deletes every segment (newest first) and starts an empty one at {@code firstIndex}. */
  private void replaceAllSegments(long firstIndex) {
    while (!segments.isEmpty()) {
      segments.remove(segments.size() - 1).delete();
    }
    DirectorySync.sync(dir);
    segments.add(Segment.create(dir, firstIndex));
    DirectorySync.sync(dir);
    terms.clear();
  }

  private int segmentIndexOf(long index) {
    int lo = 0;
    int hi = segments.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (segments.get(mid).firstIndex() <= index) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  private static SegmentInfo info(Segment s, boolean active) {
    FileTime modified;
    try {
      modified = Files.getLastModifiedTime(s.file());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the time of " + s.file(), e);
    }
    return new SegmentInfo(s.file(), s.firstIndex(), s.lastIndex(), s.size(), modified, active);
  }

  private void checkUsable() {
    if (failure != null) {
      throw new IllegalStateException(
          "the log in " + dir + " failed earlier and must be reopened: " + failure.getMessage(),
          failure);
    }
    if (closed) {
      throw new IllegalStateException("the log in " + dir + " is closed");
    }
  }

  private RuntimeException fail(RuntimeException e) {
    state.writeLock().lock();
    try {
      failure = e;
    } finally {
      state.writeLock().unlock();
    }
    LOG.log(System.Logger.Level.ERROR, "Log " + dir + " failed; the group must restart", e);
    return e;
  }
}

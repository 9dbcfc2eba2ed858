package io.caucus.log;

import io.caucus.consensus.SnapshotMetadata;
import io.caucus.log.LogRecoveryException.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Brings a group's segment files into a usable state when the log is opened. First every segment is
 * scanned ({@link SegmentScanner}: checksums, sequence, the torn-tail rule) and the whole picture
 * is checked (no gap between segments, none between the snapshot and the oldest segment); only when
 * all of that passes is anything on disk changed: a torn tail cut, a half-created last segment
 * removed, an interrupted snapshot install finished, a first segment created. So a {@link
 * LogRecoveryException} always leaves the files as they were, for an operator to inspect.
 *
 * <p>Used once per open, on the opening thread.
 */
final class SegmentRecovery {

  // Under the log's own logger name: operators follow one name for everything about a log.
  private static final System.Logger LOG = System.getLogger(FileRaftLog.class.getName());

  private final Path dir;
  private final SnapshotMetadata snapshot;
  private final TermIndex terms;
  private final long committedIndex;

  /**
   * @param committedIndex commit index of the durable hard state; see {@link SegmentScanner}
   * @param terms receives the term runs of the recovered log
   */
  SegmentRecovery(Path dir, SnapshotMetadata snapshot, long committedIndex, TermIndex terms) {
    this.dir = dir;
    this.snapshot = snapshot;
    this.committedIndex = committedIndex;
    this.terms = terms;
  }

  List<Segment> run() {
    List<Path> files = segmentFiles();
    List<Segment> segments = new ArrayList<>();
    List<FileChannel> channels = new ArrayList<>();
    SegmentScanner.Result lastResult = null;
    Path tornHeaderFile = null;
    try {
      long previousLast = -1;
      long previousTerm = 0;
      for (int i = 0; i < files.size(); i++) {
        Path file = files.get(i);
        long first = Segment.firstIndexOf(file);
        if (previousLast >= 0 && first != previousLast + 1) {
          throw new LogRecoveryException(
              first > previousLast + 1 ? Problem.MISSING_SEGMENT : Problem.BAD_FILE_HEADER,
              file,
              0,
              first > previousLast + 1
                  ? "entries "
                      + (previousLast + 1)
                      + " to "
                      + (first - 1)
                      + " are missing: no segment file holds them"
                  : "this segment starts at "
                      + first
                      + " but the previous one ends at "
                      + previousLast);
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channels.add(ch);
        boolean isLast = i == files.size() - 1;
        SegmentScanner.Result r = SegmentScanner.scan(file, ch, first, isLast, previousTerm, terms);
        if (r.tornHeader()) {
          tornHeaderFile = file;
          break;
        }
        segments.add(new Segment(file, first, ch, r.slots(), r.count(), r.validSize()));
        lastResult = r;
        previousLast = first + r.count() - 1;
        previousTerm = r.lastTerm();
      }
      boolean wipe = checkAgainstSnapshot(segments);
      checkCommittedEntriesKept(segments, wipe, tornHeaderFile, lastResult);
      // Everything is verified; from here on the directory is repaired.
      if (tornHeaderFile != null) {
        channels.remove(channels.size() - 1).close();
        Files.delete(tornHeaderFile);
        DirectorySync.sync(dir);
        LOG.log(
            System.Logger.Level.WARNING,
            "Removed log segment {0}: its header was never completely written (a crash while"
                + " it was being created), so it held no acknowledged entry",
            tornHeaderFile);
      }
      if (lastResult != null && lastResult.tornAt() >= 0 && !wipe) {
        Segment last = segments.get(segments.size() - 1);
        FileChannel ch = channels.get(channels.size() - 1);
        long size = ch.size();
        ch.truncate(lastResult.tornAt());
        ch.force(false);
        LOG.log(
            System.Logger.Level.WARNING,
            "Cut the torn tail of log segment {0} at offset {1} ({2} bytes): {3}. Nothing"
                + " intact follows, so the record at index {4} was most likely being written when"
                + " the process stopped (an append whose fsync never completed) and was never"
                + " acknowledged; the commit index in the hard state does not cover it. If this"
                + " disk may corrupt data at rest, compare this member with the others",
            last.file(),
            lastResult.tornAt(),
            size - lastResult.tornAt(),
            lastResult.tornReason(),
            last.lastIndex() + 1);
      }
      if (wipe) {
        LOG.log(
            System.Logger.Level.WARNING,
            "Discarding the log entries of {0}: a snapshot at index {1} was being installed"
                + " when the process stopped and the log does not hold its last entry",
            dir,
            snapshot.index());
        for (int i = segments.size() - 1; i >= 0; i--) {
          segments.remove(i).delete();
        }
        DirectorySync.sync(dir);
        terms.clear();
      }
      if (segments.isEmpty()) {
        segments.add(Segment.create(dir, snapshot.index() + 1));
        DirectorySync.sync(dir);
      }
      return segments;
    } catch (IOException e) {
      closeAll(channels);
      throw new UncheckedIOException("cannot recover the log in " + dir, e);
    } catch (RuntimeException e) {
      closeAll(channels);
      throw e;
    }
  }

  /**
   * A clean cut at a record boundary leaves no bad record behind, so the scanner cannot see it; the
   * commit index of the hard state can: the log must reach at least that far.
   */
  private void checkCommittedEntriesKept(
      List<Segment> segments, boolean wipe, Path tornHeaderFile, SegmentScanner.Result lastResult) {
    long last = snapshot.index();
    if (!wipe && !segments.isEmpty()) {
      last = Math.max(last, segments.get(segments.size() - 1).lastIndex());
    }
    if (last >= committedIndex) {
      return;
    }
    Path file = tornHeaderFile;
    long offset = 0;
    if (file == null && !segments.isEmpty()) {
      Segment end = segments.get(segments.size() - 1);
      file = end.file();
      offset = end.size();
    }
    throw new LogRecoveryException(
        Problem.LOST_COMMITTED_ENTRIES,
        file == null ? dir : file,
        offset,
        "the hard state records entries up to "
            + committedIndex
            + " as committed, but the log ends at "
            + last
            + (tornHeaderFile != null
                ? " (this segment's header is damaged)"
                : lastResult != null && lastResult.tornAt() >= 0
                    ? " (the record here fails: " + lastResult.tornReason() + ")"
                    : ""));
  }

  /** Returns whether an interrupted snapshot install has to be finished by discarding the log. */
  private boolean checkAgainstSnapshot(List<Segment> segments) {
    if (segments.isEmpty()) {
      return false;
    }
    long s = snapshot.index();
    Segment first = segments.get(0);
    long physicalFirst = first.firstIndex();
    long physicalLast = segments.get(segments.size() - 1).lastIndex();
    if (physicalFirst > s + 1) {
      throw new LogRecoveryException(
          Problem.MISSING_SEGMENT,
          first.file(),
          0,
          "the snapshot ends at "
              + s
              + " but the oldest segment starts at "
              + physicalFirst
              + ": entries "
              + (s + 1)
              + " to "
              + (physicalFirst - 1)
              + " are missing");
    }
    if (physicalFirst == s + 1) {
      return false;
    }
    return physicalLast < s || terms.termAt(s) != snapshot.term();
  }

  private List<Path> segmentFiles() {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> Segment.firstIndexOf(p) >= 1)
          .sorted((a, b) -> Long.compare(Segment.firstIndexOf(a), Segment.firstIndexOf(b)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the log directory " + dir, e);
    }
  }

  private static void closeAll(List<FileChannel> channels) {
    for (FileChannel ch : channels) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // already failing; the first error is the one reported
      }
    }
  }
}

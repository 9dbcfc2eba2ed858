package io.caucus.log;

import static io.caucus.log.LogFixtures.entries;
import static io.caucus.log.LogFixtures.entry;
import static io.caucus.log.LogFixtures.segmentFiles;
import static io.caucus.log.LogFixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.consensus.Entry;
import io.caucus.consensus.Membership;
import io.caucus.consensus.Role;
import io.caucus.consensus.SnapshotMetadata;
import io.caucus.consensus.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every writer and reader operation of {@link FileRaftLog} and its boundaries, on real files. */
class FileRaftLogTest {

  private static final long SMALL = 1024; // about 20 records of 10 bytes per segment
  private static final Membership MEMBERS = Membership.of(Map.of("a", Role.PRIMARY));

  @TempDir Path root;

  private FileRaftLog open() {
    return FileRaftLog.open(settings(root, SMALL));
  }

  private static List<Entry> all(FileRaftLog log) {
    return log.entries(log.firstIndex(), log.lastIndex() + 1, Long.MAX_VALUE);
  }

  @Test
  void emptyLogStartsAtOneAndEndsAtZero() {
    try (FileRaftLog log = open()) {
      assertEquals(1, log.firstIndex());
      assertEquals(0, log.lastIndex());
      assertEquals(0, log.term(0));
      assertEquals(List.of(), log.entries(1, 1, 100));
      assertThrows(Storage.UnavailableException.class, () -> log.term(1));
      assertThrows(Storage.UnavailableException.class, () -> log.entries(1, 2, 100));
      assertTrue(log.snapshot().isNone());
      assertTrue(log.hardState().isEmpty());
    }
    try (FileRaftLog log = open()) {
      assertEquals(0, log.lastIndex());
      assertEquals(1, segmentFiles(root.resolve("g")).size());
    }
  }

  @Test
  void oneEntrySurvivesReopen() {
    Entry e = entry(1, 3, 100);
    try (FileRaftLog log = open()) {
      log.append(List.of(e));
      assertEquals(1, log.lastIndex());
      assertEquals(3, log.term(1));
    }
    try (FileRaftLog log = open()) {
      assertEquals(List.of(e), log.entries(1, 2, 0));
      assertEquals(3, log.term(1));
      assertEquals(0, log.term(0));
    }
  }

  @Test
  void segmentsRollOverAndReadsCrossThem() {
    List<Entry> written = entries(1, 200, 1);
    try (FileRaftLog log = open()) {
      for (int i = 0; i < written.size(); i += 7) {
        log.append(written.subList(i, Math.min(written.size(), i + 7)));
      }
      assertEquals(written, all(log));
    }
    List<Path> files = segmentFiles(root.resolve("g"));
    assertTrue(files.size() >= 8, "expected several segments, got " + files);
    for (Path f : files) {
      assertTrue(sizeOf(f) <= SMALL, f + " is larger than the segment size");
    }
    try (FileRaftLog log = open()) {
      assertEquals(written, all(log));
      assertEquals(written.subList(57, 143), log.entries(58, 144, Long.MAX_VALUE));
      assertEquals(1, log.term(200));
    }
  }

  @Test
  void aRecordLargerThanTheSegmentGetsASegmentOfItsOwn() {
    Entry big = entry(2, 1, 5000);
    try (FileRaftLog log = open()) {
      log.append(List.of(entry(1, 1), big, entry(3, 1)));
      assertEquals(List.of(entry(1, 1), big, entry(3, 1)), all(log));
    }
    assertEquals(3, segmentFiles(root.resolve("g")).size());
    try (FileRaftLog log = open()) {
      assertEquals(big, log.entries(2, 3, 0).get(0));
    }
  }

  @Test
  void readsStopAtMaxBytesButReturnAtLeastOneEntry() {
    try (FileRaftLog log = open()) {
      log.append(entries(1, 50, 1));
      long each = entry(1, 1).sizeInBytes();
      assertEquals(1, log.entries(1, 51, 0).size());
      assertEquals(3, log.entries(1, 51, 3 * each).size());
      assertEquals(3, log.entries(1, 51, 4 * each - 1).size());
      assertEquals(50, log.entries(1, 51, 50 * each).size());
      assertEquals(entries(20, 45, 1), log.entries(20, 46, 26 * each));
      assertThrows(IllegalArgumentException.class, () -> log.entries(5, 4, 10));
    }
  }

  @Test
  void overlappingAppendSkipsMatchingEntries() {
    try (FileRaftLog log = open()) {
      log.append(entries(1, 10, 1));
      log.append(entries(5, 12, 1));
      assertEquals(entries(1, 12, 1), all(log));
      log.append(entries(3, 6, 1)); // wholly inside: nothing changes
      assertEquals(12, log.lastIndex());
    }
  }

  @Test
  void conflictingAppendTruncatesTheSuffixFirst() {
    try (FileRaftLog log = open()) {
      log.append(entries(1, 60, 1)); // several segments
      List<Entry> batch = new ArrayList<>(entries(8, 9, 1));
      batch.addAll(entries(10, 12, 2));
      log.append(batch);
      List<Entry> expected = new ArrayList<>(entries(1, 9, 1));
      expected.addAll(entries(10, 12, 2));
      assertEquals(expected, all(log));
      assertEquals(12, log.lastIndex());
    }
    try (FileRaftLog log = open()) {
      assertEquals(12, log.lastIndex());
      assertEquals(2, log.term(10));
      assertEquals(1, log.term(9));
    }
  }

  @Test
  void truncateIntoThePreviousSegmentDeletesLaterSegments() {
    try (FileRaftLog log = open()) {
      log.append(entries(1, 100, 1));
      int before = log.segments().size();
      SegmentInfo second = log.segments().get(1);
      long cutAt = second.firstIndex() - 3; // inside the first segment
      log.truncateSuffix(cutAt);
      assertEquals(cutAt - 1, log.lastIndex());
      assertEquals(1, log.segments().size());
      assertEquals(1, segmentFiles(root.resolve("g")).size());
      assertTrue(before > 1);
      assertThrows(Storage.UnavailableException.class, () -> log.term(cutAt));
      log.append(entries(cutAt, cutAt + 4, 2));
    }
    try (FileRaftLog log = open()) {
      long last = log.lastIndex();
      assertEquals(2, log.term(last));
      assertEquals(1, log.term(last - 5));
    }
  }

  @Test
  void truncateAtASegmentBoundaryKeepsAnEmptySegment() {
    try (FileRaftLog log = open()) {
      log.append(entries(1, 60, 1));
      long boundary = log.segments().get(1).firstIndex();
      log.truncateSuffix(boundary);
      assertEquals(boundary - 1, log.lastIndex());
      assertEquals(2, log.segments().size());
      log.append(List.of(entry(boundary, 4)));
      assertEquals(4, log.term(boundary));
    }
    try (FileRaftLog log = open()) {
      assertEquals(4, log.term(log.lastIndex()));
    }
  }

  @Test
  void truncateEverythingAndBeyondTheEnd() {
    try (FileRaftLog log = open()) {
      log.append(entries(1, 30, 1));
      log.truncateSuffix(31); // nothing to do
      assertEquals(30, log.lastIndex());
      log.truncateSuffix(1);
      assertEquals(0, log.lastIndex());
      log.append(List.of(entry(1, 2)));
    }
    try (FileRaftLog log = open()) {
      assertEquals(List.of(entry(1, 2)), all(log));
    }
  }

  @Test
  void compactMovesTheFirstIndexAndRemembersTheTerm() {
    try (FileRaftLog log = open()) {
      log.append(entries(1, 40, 2));
      log.compact(new SnapshotMetadata(25, 2, MEMBERS));
      assertEquals(26, log.firstIndex());
      assertEquals(2, log.term(25));
      assertThrows(Storage.CompactedException.class, () -> log.term(24));
      assertThrows(Storage.CompactedException.class, () -> log.entries(25, 27, 100));
      assertEquals(entries(26, 40, 2), all(log));
    }
    try (FileRaftLog log = open()) {
      assertEquals(26, log.firstIndex());
      assertEquals(new SnapshotMetadata(25, 2, MEMBERS), log.snapshot());
      assertEquals(2, log.term(25));
    }
  }

  @Test
  void deleteSegmentsRemovesOnlyWholeSegmentsCoveredBySnapshotAndLimit() {
    long snapAt;
    try (FileRaftLog log = open()) {
      log.append(entries(1, 100, 1));
      List<SegmentInfo> before = log.segments();
      snapAt = before.get(2).firstIndex() + 1; // inside the third segment
      log.compact(new SnapshotMetadata(snapAt, 1, MEMBERS));
      assertEquals(1, log.deleteSegments(before.get(0).lastIndex(), s -> true));
      assertEquals(before.get(1).firstIndex(), log.segments().get(0).firstIndex());
      assertEquals(1, log.deleteSegments(Long.MAX_VALUE, s -> true)); // the third is partly live
      assertEquals(before.get(2).firstIndex(), log.segments().get(0).firstIndex());
      assertEquals(0, log.deleteSegments(Long.MAX_VALUE, s -> false));
      assertEquals(entries(snapAt + 1, 100, 1), all(log));
    }
    try (FileRaftLog log = open()) {
      assertEquals(snapAt + 1, log.firstIndex());
      assertEquals(100, log.lastIndex());
      assertEquals(entries(snapAt + 1, 100, 1), all(log));
    }
  }

  @Test
  void compactEverythingLeavesOneFreshSegment() {
    try (FileRaftLog log = open()) {
      log.append(entries(1, 80, 3));
      log.compact(new SnapshotMetadata(80, 3, MEMBERS));
      int files = log.segments().size();
      assertEquals(files, log.deleteSegments(80, s -> true));
      assertEquals(1, log.segments().size());
      assertEquals(81, log.segments().get(0).firstIndex());
      assertEquals(80, log.lastIndex());
      assertEquals(81, log.firstIndex());
      assertEquals(3, log.term(80));
      assertEquals(List.of(), log.entries(81, 81, 10));
      log.append(List.of(entry(81, 3)));
    }
    try (FileRaftLog log = open()) {
      assertEquals(List.of(entry(81, 3)), all(log));
      assertEquals(3, log.term(80));
    }
  }

  @Test
  void deleteSegmentsNeverGoesAboveTheAppliedIndexOrTheSnapshot() {
    try (FileRaftLog log = open()) {
      log.append(entries(1, 100, 1));
      log.compact(new SnapshotMetadata(100, 1, MEMBERS));
      long firstLast = log.segments().get(0).lastIndex();
      assertEquals(0, log.deleteSegments(firstLast - 1, s -> true));
      assertEquals(1, log.deleteSegments(firstLast, s -> true));
    }
    try (FileRaftLog log = open()) {
      log.append(entries(101, 130, 1));
      log.compact(new SnapshotMetadata(105, 1, MEMBERS));
      log.deleteSegments(Long.MAX_VALUE, s -> true);
      SegmentInfo first = log.segments().get(0);
      assertTrue(first.lastIndex() > 105, "a segment holding entries above the snapshot is kept");
    }
  }

  @Test
  void installSnapshotKeepsAMatchingSuffix() {
    try (FileRaftLog log = open()) {
      log.append(entries(1, 50, 2));
      log.installSnapshot(new SnapshotMetadata(30, 2, MEMBERS));
      assertEquals(31, log.firstIndex());
      assertEquals(50, log.lastIndex());
      assertEquals(entries(31, 50, 2), all(log));
    }
  }

  @Test
  void installSnapshotDiscardsAConflictingOrShorterLog() {
    try (FileRaftLog log = open()) {
      log.append(entries(1, 50, 2));
      log.installSnapshot(new SnapshotMetadata(30, 3, MEMBERS));
      assertEquals(31, log.firstIndex());
      assertEquals(30, log.lastIndex());
      assertEquals(3, log.term(30));
      assertEquals(1, log.segments().size());
      log.installSnapshot(new SnapshotMetadata(90, 4, MEMBERS)); // beyond the log
      assertEquals(90, log.lastIndex());
      log.append(List.of(entry(91, 4)));
      log.installSnapshot(new SnapshotMetadata(90, 4, MEMBERS)); // again: nothing changes
      assertEquals(91, log.lastIndex());
      assertThrows(
          IllegalArgumentException.class,
          () -> log.installSnapshot(new SnapshotMetadata(90, 5, MEMBERS)));
    }
    try (FileRaftLog log = open()) {
      assertEquals(91, log.firstIndex());
      assertEquals(List.of(entry(91, 4)), all(log));
      assertEquals(4, log.term(90));
      assertEquals(MEMBERS, log.snapshot().membership());
    }
  }

  @Test
  void anInterruptedInstallIsFinishedOnOpen() {
    try (FileRaftLog log = open()) {
      log.append(entries(1, 50, 2));
    }
    // The crash came after the metadata was written and before the segments went.
    new SnapshotMetadataFile(root.resolve("g")).save(new SnapshotMetadata(30, 5, MEMBERS));
    try (FileRaftLog log = open()) {
      assertEquals(30, log.lastIndex());
      assertEquals(31, log.firstIndex());
      assertEquals(5, log.term(30));
      log.append(List.of(entry(31, 5)));
      assertEquals(List.of(entry(31, 5)), all(log));
    }
  }

  @Test
  void badArgumentsChangeNothing() {
    try (FileRaftLog log = open()) {
      log.append(entries(1, 10, 2));
      log.compact(new SnapshotMetadata(3, 2, MEMBERS));
      List<Path> filesBefore = segmentFiles(root.resolve("g"));
      assertThrows(IllegalArgumentException.class, () -> log.append(List.of(entry(12, 2))));
      assertThrows(
          IllegalArgumentException.class, () -> log.append(List.of(entry(11, 2), entry(13, 2))));
      assertThrows(
          IllegalArgumentException.class, () -> log.append(List.of(entry(11, 3), entry(12, 2))));
      assertThrows(IllegalArgumentException.class, () -> log.append(List.of(entry(11, 1))));
      assertThrows(IllegalArgumentException.class, () -> log.append(List.of(entry(3, 9))));
      assertThrows(IllegalArgumentException.class, () -> log.truncateSuffix(3));
      assertThrows(
          IllegalArgumentException.class, () -> log.compact(new SnapshotMetadata(11, 2, MEMBERS)));
      assertThrows(
          IllegalArgumentException.class, () -> log.compact(new SnapshotMetadata(5, 1, MEMBERS)));
      assertThrows(
          IllegalArgumentException.class, () -> log.compact(new SnapshotMetadata(2, 2, MEMBERS)));
      assertThrows(
          IllegalArgumentException.class,
          () -> log.installSnapshot(new SnapshotMetadata(2, 2, MEMBERS)));
      assertEquals(entries(4, 10, 2), all(log));
      assertEquals(4, log.firstIndex());
      assertEquals(filesBefore, segmentFiles(root.resolve("g")));
    }
  }

  @Test
  void hardStateVoteAndTermAreDurableAndCommitHintIsWrittenAtClose() {
    try (FileRaftLog log = open()) {
      log.append(entries(1, 12, 1));
      log.saveHardState(new io.caucus.consensus.HardState(3, "b", 0));
    }
    try (FileRaftLog log = open()) {
      assertEquals(new io.caucus.consensus.HardState(3, "b", 0), log.hardState());
      log.saveHardState(new io.caucus.consensus.HardState(3, "b", 7));
      assertEquals(7, log.hardState().commit());
      // Not yet on disk: only the hint changed.
      assertEquals(0, new HardStateFile(root.resolve("g")).load().commit());
      assertThrows(
          IllegalArgumentException.class,
          () -> log.saveHardState(new io.caucus.consensus.HardState(2, null, 0)));
      log.saveHardState(new io.caucus.consensus.HardState(4, null, 7));
      assertEquals(
          new io.caucus.consensus.HardState(4, null, 7),
          new HardStateFile(root.resolve("g")).load());
      log.saveHardState(new io.caucus.consensus.HardState(4, null, 9));
    }
    try (FileRaftLog log = open()) {
      assertEquals(new io.caucus.consensus.HardState(4, null, 9), log.hardState());
      // A hint beyond the log (a caller persisting the hard state before the entries) is written
      // as the log's end: the entries after it are not on disk yet.
      log.saveHardState(new io.caucus.consensus.HardState(5, null, 40));
      assertEquals(40, log.hardState().commit());
      assertEquals(12, new HardStateFile(root.resolve("g")).load().commit());
    }
  }

  @Test
  void closedLogRefusesUse() {
    FileRaftLog log = open();
    log.close();
    log.close();
    assertThrows(IllegalStateException.class, () -> log.append(List.of(entry(1, 1))));
    assertThrows(IllegalStateException.class, () -> log.term(0));
  }

  @Test
  void readersOnOtherThreadsSeeOnlyWholeDurablePrefixes() throws Exception {
    try (FileRaftLog log = open()) {
      AtomicReference<Throwable> problem = new AtomicReference<>();
      Thread reader =
          new Thread(
              () -> {
                try {
                  long seen = 0;
                  while (seen < 400) {
                    long last = log.lastIndex();
                    if (last > 0) {
                      List<Entry> got =
                          log.entries(Math.max(1, last - 40), last + 1, Long.MAX_VALUE);
                      long want = Math.max(1, last - 40);
                      for (Entry e : got) {
                        if (!e.equals(entry(want++, 1))) {
                          throw new AssertionError(
                              "read " + e + " where " + (want - 1) + " was expected");
                        }
                      }
                      if (log.term(last) != 1) {
                        throw new AssertionError("term of " + last);
                      }
                    }
                    seen = last;
                  }
                } catch (Throwable t) {
                  problem.set(t);
                }
              });
      reader.start();
      for (long i = 1; i <= 400; i += 5) {
        log.append(entries(i, i + 4, 1));
      }
      reader.join(30_000);
      if (problem.get() != null) {
        throw new AssertionError(problem.get());
      }
      assertTrue(!reader.isAlive());
    }
  }

  @Test
  void groupsHaveIndependentDirectoriesAndLogs() {
    try (FileRaftLog a = FileRaftLog.open(LogFixtures.settings(root, SMALL));
        FileRaftLog b =
            FileRaftLog.open(LogSettings.forGroup(root, "other").withSegmentSize(SMALL))) {
      a.append(entries(1, 5, 1));
      b.append(entries(1, 2, 7));
      assertEquals(5, a.lastIndex());
      assertEquals(2, b.lastIndex());
      assertEquals(7, b.term(2));
      assertTrue(Files.isDirectory(root.resolve("other")));
    }
  }

  private static long sizeOf(Path f) {
    try {
      return Files.size(f);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

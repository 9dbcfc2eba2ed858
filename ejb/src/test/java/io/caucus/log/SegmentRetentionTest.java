package io.caucus.log;

import static io.caucus.log.LogFixtures.entries;
import static io.caucus.log.LogFixtures.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.caucus.consensus.Membership;
import io.caucus.consensus.SnapshotMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention deletes old, applied, snapshot-covered segments and nothing else. */
class SegmentRetentionTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path root;
  private Path dir;

  @BeforeEach
  void setUp() {
    dir = root.resolve("g");
  }

  private FileRaftLog open(boolean compaction) {
    return FileRaftLog.open(
        LogFixtures.settings(root, 1024)
            .withCompactionEnabled(compaction)
            .withRetention(Duration.ofHours(1)));
  }

  private void ageAllSegments(Instant when) throws IOException {
    for (Path p : segmentFiles(dir)) {
      Files.setLastModifiedTime(p, FileTime.from(when));
    }
  }

  private static SegmentRetention at(Instant now) {
    return new SegmentRetention(Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void segmentsYoungerThanTheRetentionAreKept() throws IOException {
    try (FileRaftLog log = open(true)) {
      log.append(entries(1, 100, 1));
      log.compact(new SnapshotMetadata(100, 1, Membership.EMPTY));
      ageAllSegments(T0);
      int files = log.segments().size();
      assertEquals(0, at(T0.plus(Duration.ofMinutes(59))).apply(log, 100));
      assertEquals(files, segmentFiles(dir).size());
      assertEquals(files, at(T0.plus(Duration.ofHours(1))).apply(log, 100));
      assertEquals(1, segmentFiles(dir).size());
      assertEquals(101, log.segments().get(0).firstIndex());
    }
  }

  @Test
  void onlyTheOldPrefixGoesWhenNewerSegmentsAreYoung() throws IOException {
    try (FileRaftLog log = open(true)) {
      log.append(entries(1, 100, 1));
      log.compact(new SnapshotMetadata(100, 1, Membership.EMPTY));
      ageAllSegments(T0.plus(Duration.ofHours(5)));
      Files.setLastModifiedTime(segmentFiles(dir).get(0), FileTime.from(T0));
      Files.setLastModifiedTime(segmentFiles(dir).get(2), FileTime.from(T0));
      assertEquals(1, at(T0.plus(Duration.ofHours(2))).apply(log, 100));
      assertEquals(log.segments().get(0).file(), segmentFiles(dir).get(0));
    }
  }

  @Test
  void nothingAboveTheAppliedIndexOrTheSnapshotIsDeleted() throws IOException {
    try (FileRaftLog log = open(true)) {
      log.append(entries(1, 100, 1));
      long secondLast = log.segments().get(1).lastIndex();
      log.compact(new SnapshotMetadata(secondLast, 1, Membership.EMPTY));
      ageAllSegments(T0);
      SegmentRetention later = at(T0.plus(Duration.ofDays(1)));
      assertEquals(1, later.apply(log, secondLast - 1)); // applied stops inside the second
      assertEquals(1, later.apply(log, 100)); // the snapshot stops after the second
      assertEquals(0, later.apply(log, 100));
      assertEquals(secondLast + 1, log.segments().get(0).firstIndex());
      assertEquals(
          entries(secondLast + 1, 100, 1), log.entries(secondLast + 1, 101, Long.MAX_VALUE));
    }
  }

  @Test
  void disabledCompactionDeletesNothing() throws IOException {
    try (FileRaftLog log = open(false)) {
      log.append(entries(1, 100, 1));
      log.compact(new SnapshotMetadata(100, 1, Membership.EMPTY));
      ageAllSegments(T0);
      int files = segmentFiles(dir).size();
      assertEquals(0, at(T0.plus(Duration.ofDays(30))).apply(log, 100));
      assertEquals(files, segmentFiles(dir).size());
    }
  }
}

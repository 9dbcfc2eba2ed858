package io.caucus.log;

import static io.caucus.log.LogFixtures.entries;
import static io.caucus.log.LogFixtures.entry;
import static io.caucus.log.LogFixtures.records;
import static io.caucus.log.LogFixtures.segmentFiles;
import static io.caucus.log.LogFixtures.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.consensus.Entry;
import io.caucus.log.LogFixtures.Rec;
import io.caucus.log.LogRecoveryException.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a log after crashes and damage: what is cut, what is reported, and what is kept. */
class LogRecoveryTest {

  private static final long SMALL = 1024;

  @TempDir Path root;
  private Path dir;
  private final List<String> warnings = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          warnings.add(new java.util.logging.SimpleFormatter().formatMessage(r));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void setUp() {
    dir = root.resolve("g");
    Logger.getLogger(FileRaftLog.class.getName()).addHandler(capture);
  }

  @AfterEach
  void tearDown() {
    Logger.getLogger(FileRaftLog.class.getName()).removeHandler(capture);
  }

  private FileRaftLog open() {
    return FileRaftLog.open(settings(root, SMALL));
  }

  private void write(List<Entry> entries) {
    try (FileRaftLog log = open()) {
      log.append(entries);
    }
  }

  private Path lastFile() {
    List<Path> files = segmentFiles(dir);
    return files.get(files.size() - 1);
  }

  private LogRecoveryException openFails(Problem problem, Path file, long offset)
      throws IOException {
    List<byte[]> before = contents();
    LogRecoveryException e = assertThrows(LogRecoveryException.class, this::open);
    assertEquals(problem, e.problem(), e.getMessage());
    assertEquals(file, e.file());
    assertEquals(offset, e.offset(), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("" + offset));
    List<byte[]> after = contents();
    assertEquals(before.size(), after.size(), "no file may be added or removed");
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i), after.get(i), "no file may change");
    }
    return e;
  }

  private List<byte[]> contents() throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (Path p : segmentFiles(dir)) {
      out.add(Files.readAllBytes(p));
    }
    return out;
  }

  @Test
  void aRecordCutByTheEndOfTheLastFileIsCutAndLogged() throws IOException {
    write(entries(1, 50, 1));
    Rec last = records(lastFile()).get(records(lastFile()).size() - 1);
    LogFixtures.cut(lastFile(), last.offset() + 10);
    try (FileRaftLog log = open()) {
      assertEquals(49, log.lastIndex());
      assertEquals(entries(1, 49, 1), log.entries(1, 50, Long.MAX_VALUE));
      log.append(List.of(entry(50, 2)));
    }
    assertEquals(last.offset() + 42, Files.size(lastFile()));
    assertTrue(
        warnings.stream()
            .anyMatch(w -> w.contains(lastFile().toString()) && w.contains("" + last.offset())),
        warnings.toString());
  }

  @Test
  void zerosAfterTheLastRecordAreATornTail() throws IOException {
    write(entries(1, 10, 1));
    long size = Files.size(lastFile());
    Files.write(lastFile(), new byte[700], StandardOpenOption.APPEND);
    try (FileRaftLog log = open()) {
      assertEquals(entries(1, 10, 1), log.entries(1, 11, Long.MAX_VALUE));
    }
    assertEquals(size, Files.size(lastFile()));
  }

  @Test
  void aLastRecordWithAnUnwrittenSectorIsATornTail() throws IOException {
    try (FileRaftLog log = FileRaftLog.open(settings(root, 1 << 20))) {
      log.append(List.of(entry(1, 1), entry(2, 1, 3000)));
    }
    Rec big = records(lastFile()).get(1);
    byte[] all = Files.readAllBytes(lastFile());
    long sector = (big.offset() / 512 + 2) * 512;
    java.util.Arrays.fill(all, (int) sector, (int) sector + 512, (byte) 0);
    Files.write(lastFile(), all);
    try (FileRaftLog log = FileRaftLog.open(settings(root, 1 << 20))) {
      assertEquals(1, log.lastIndex());
    }
  }

  @Test
  void aFlippedBitInAnEarlierSegmentIsReported() throws IOException {
    write(entries(1, 100, 1));
    Path first = segmentFiles(dir).get(0);
    Rec r = records(first).get(5);
    LogFixtures.flipBit(first, r.offset() + 40, 3);
    openFails(Problem.CORRUPT_RECORD, first, r.offset());
  }

  @Test
  void aFlippedBitBeforeTheLastRecordOfTheLastSegmentIsReported() throws IOException {
    write(entries(1, 100, 1));
    Rec r = records(lastFile()).get(0);
    LogFixtures.flipBit(lastFile(), r.offset() + 2, 0); // the length field
    openFails(Problem.CORRUPT_RECORD, lastFile(), r.offset());
  }

  @Test
  void aFlippedBitInTheLastRecordIsCutLikeATornWrite() throws IOException {
    write(entries(1, 100, 1));
    List<Rec> recs = records(lastFile());
    Rec r = recs.get(recs.size() - 1);
    LogFixtures.flipBit(lastFile(), r.end() - 1, 6);
    try (FileRaftLog log = open()) {
      assertEquals(99, log.lastIndex());
    }
    assertEquals(r.offset(), Files.size(lastFile()));
  }

  @Test
  void garbageAfterTheLastRecordIsATornTail() throws IOException {
    write(entries(1, 30, 1));
    long size = Files.size(lastFile());
    byte[] garbage = new byte[300];
    new java.util.Random(5).nextBytes(garbage);
    Files.write(lastFile(), garbage, StandardOpenOption.APPEND);
    try (FileRaftLog log = open()) {
      assertEquals(entries(1, 30, 1), log.entries(1, 31, Long.MAX_VALUE));
    }
    assertEquals(size, Files.size(lastFile()));
  }

  @Test
  void aDamagedLastRecordCoveredByTheCommitHintIsReported() throws IOException {
    try (FileRaftLog log = open()) {
      log.append(entries(1, 100, 1));
      log.saveHardState(new io.caucus.consensus.HardState(1, "a", 100));
    }
    List<Rec> recs = records(lastFile());
    Rec r = recs.get(recs.size() - 1);
    LogFixtures.flipBit(lastFile(), r.offset() + 2, 4); // the length field
    LogRecoveryException e = openFails(Problem.LOST_COMMITTED_ENTRIES, lastFile(), r.offset());
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void aCleanCutBelowTheCommitHintIsReported() throws IOException {
    try (FileRaftLog log = open()) {
      log.append(entries(1, 100, 1));
      log.saveHardState(new io.caucus.consensus.HardState(1, "a", 99));
    }
    List<Rec> recs = records(lastFile());
    Rec r = recs.get(recs.size() - 2); // record 99
    LogFixtures.cut(lastFile(), r.offset());
    openFails(Problem.LOST_COMMITTED_ENTRIES, lastFile(), r.offset());
  }

  @Test
  void aDamagedRecordFollowedByAnIntactOneIsReportedEvenWithZeros() throws IOException {
    try (FileRaftLog log = FileRaftLog.open(settings(root, 1 << 20))) {
      log.append(List.of(entry(1, 1), entry(2, 1, 2000), entry(3, 1)));
    }
    Rec big = records(lastFile()).get(1);
    byte[] all = Files.readAllBytes(lastFile());
    long sector = (big.offset() / 512 + 2) * 512;
    java.util.Arrays.fill(all, (int) sector, (int) sector + 512, (byte) 0);
    Files.write(lastFile(), all);
    List<byte[]> before = contents();
    LogRecoveryException e =
        assertThrows(LogRecoveryException.class, () -> FileRaftLog.open(settings(root, 1 << 20)));
    assertEquals(Problem.CORRUPT_RECORD, e.problem());
    assertEquals(big.offset(), e.offset());
    assertArrayEquals(before.get(0), contents().get(0));
  }

  @Test
  void damageAfterOpenIsReportedWhenTheRecordIsRead() throws IOException {
    write(entries(1, 100, 1));
    try (FileRaftLog log = open()) {
      Path first = segmentFiles(dir).get(0);
      Rec r = records(first).get(3);
      LogFixtures.flipBit(first, r.end() - 2, 5);
      LogRecoveryException e =
          assertThrows(LogRecoveryException.class, () -> log.entries(1, 10, Long.MAX_VALUE));
      assertEquals(Problem.CORRUPT_RECORD, e.problem());
      assertEquals(first, e.file());
      assertEquals(r.offset(), e.offset());
      assertEquals(entries(1, 3, 1), log.entries(1, 4, Long.MAX_VALUE));
    }
  }

  @Test
  void aMissingSegmentInTheMiddleIsReported() throws IOException {
    write(entries(1, 100, 1));
    List<Path> files = segmentFiles(dir);
    Files.delete(files.get(1));
    openFails(Problem.MISSING_SEGMENT, files.get(2), 0);
  }

  @Test
  void aMissingFirstSegmentIsReported() throws IOException {
    write(entries(1, 100, 1));
    List<Path> files = segmentFiles(dir);
    Files.delete(files.get(0));
    openFails(Problem.MISSING_SEGMENT, files.get(1), 0);
  }

  @Test
  void anUnknownFormatVersionIsReported() throws IOException {
    write(entries(1, 100, 1));
    Path second = segmentFiles(dir).get(1);
    byte[] all = Files.readAllBytes(second);
    ByteBuffer header = ByteBuffer.wrap(all);
    header.putInt(4, 99);
    CRC32C crc = new CRC32C();
    crc.update(all, 0, 20);
    header.putInt(20, (int) crc.getValue());
    Files.write(second, all);
    LogRecoveryException e = openFails(Problem.UNKNOWN_FORMAT_VERSION, second, 4);
    assertTrue(e.getMessage().contains("99"));
  }

  @Test
  void aWrongMagicIsReported() throws IOException {
    write(entries(1, 100, 1));
    Path first = segmentFiles(dir).get(0);
    LogFixtures.flipBit(first, 1, 1);
    openFails(Problem.BAD_FILE_HEADER, first, 0);
  }

  @Test
  void aLastSegmentWhoseHeaderWasNeverWrittenIsRemoved() throws IOException {
    write(entries(1, 100, 1));
    List<Path> files = segmentFiles(dir);
    Path last = files.get(files.size() - 1);
    long lostFrom = Segment.firstIndexOf(last);
    LogFixtures.cut(last, 10);
    try (FileRaftLog log = open()) {
      assertEquals(lostFrom - 1, log.lastIndex());
      log.append(List.of(entry(lostFrom, 2)));
      assertEquals(2, log.term(lostFrom));
    }
    assertTrue(warnings.stream().anyMatch(w -> w.contains(last.toString())), warnings.toString());
  }

  @Test
  void anEmptyLastSegmentWithADamagedHeaderIsRemoved() throws IOException {
    write(entries(1, 100, 1));
    try (FileRaftLog log = open()) {
      log.truncateSuffix(Segment.firstIndexOf(lastFile())); // the last segment is now empty
    }
    Path last = lastFile();
    long first = Segment.firstIndexOf(last);
    LogFixtures.flipBit(last, 21, 2); // the header checksum
    try (FileRaftLog log = open()) {
      assertEquals(first - 1, log.lastIndex());
    }
    assertTrue(warnings.stream().anyMatch(w -> w.contains(last.toString())), warnings.toString());
  }

  @Test
  void aDamagedHeaderOfTheLastSegmentWithRecordsIsReported() throws IOException {
    write(entries(1, 100, 1));
    LogFixtures.flipBit(lastFile(), 21, 2);
    openFails(Problem.BAD_FILE_HEADER, lastFile(), 0);
  }

  @Test
  void anUnknownEntryTypeIsReportedEvenInTheLastRecord() throws IOException {
    write(entries(1, 100, 1));
    List<Rec> recs = records(lastFile());
    Rec r = recs.get(recs.size() - 1);
    byte[] all = Files.readAllBytes(lastFile());
    ByteBuffer buf = ByteBuffer.wrap(all);
    buf.put((int) r.offset() + 20, (byte) 77);
    CRC32C crc = new CRC32C();
    crc.update(all, (int) r.offset(), 28);
    buf.putInt((int) r.offset() + 28, (int) crc.getValue());
    Files.write(lastFile(), all);
    openFails(Problem.UNKNOWN_FORMAT_VERSION, lastFile(), r.offset());
  }

  @Test
  void aCorruptHardStateFileIsReportedAndALeftoverTempFileIgnored() throws IOException {
    try (FileRaftLog log = open()) {
      log.saveHardState(new io.caucus.consensus.HardState(2, "x", 0));
    }
    Files.write(dir.resolve("hardstate.tmp"), new byte[] {1, 2, 3});
    try (FileRaftLog log = open()) {
      assertEquals(2, log.hardState().term());
    }
    assertTrue(Files.notExists(dir.resolve("hardstate.tmp")));
    LogFixtures.flipBit(dir.resolve("hardstate"), 14, 0);
    LogRecoveryException e = assertThrows(LogRecoveryException.class, this::open);
    assertEquals(Problem.BAD_STATE_FILE, e.problem());
    assertEquals(dir.resolve("hardstate"), e.file());
  }
}

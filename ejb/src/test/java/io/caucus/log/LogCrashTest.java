package io.caucus.log;

import static io.caucus.log.LogFixtures.records;
import static io.caucus.log.LogFixtures.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.consensus.Entry;
import io.caucus.consensus.EntryType;
import io.caucus.consensus.HardState;
import io.caucus.consensus.Membership;
import io.caucus.consensus.SnapshotMetadata;
import io.caucus.log.LogFixtures.Rec;
import io.caucus.log.LogRecoveryException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded crash tests: drive a log through random appends (with overlaps and conflicts),
 * truncations, compactions and snapshot installs, each fsynced, then damage the files the way a
 * crash or a bad disk does and reopen. Checks: every record that was durable and not damaged is
 * still there, a torn tail is cut, and damage before the tail is reported naming its file and
 * offset, with nothing on disk changed.
 *
 * <p>{@code -Dcaucus.logcrash.runs=<n>} (default 1000) and {@code -Dcaucus.logcrash.seed=<long>}
 * (default 1) choose the cases; case {@code i} uses seed {@code seed + i}, and a failure prints it.
 */
class LogCrashTest {

  private static final Membership MEMBERS = Membership.EMPTY;

  enum Fault {
    /** The last file ends at a random byte: an append that never completed. */
    CUT,
    /** From a random sector on, the last file reads as zeros (unwritten blocks), maybe longer. */
    ZERO_TAIL,
    /** One bit of one record, in any segment, is flipped (a bad disk or a stray write). */
    FLIP,
    /** One bit of a segment file header is flipped. */
    FLIP_HEADER,
    /** Random bytes follow the last record (stale blocks exposed after a crash). */
    GARBAGE_TAIL
  }

  private static Level savedLevel;

  @BeforeAll
  static void quiet() {
    // Each case logs its repair; thousands of warnings would drown the build output.
    Logger logger = Logger.getLogger(FileRaftLog.class.getName());
    savedLevel = logger.getLevel();
    logger.setLevel(Level.SEVERE);
  }

  @AfterAll
  static void loud() {
    Logger.getLogger(FileRaftLog.class.getName()).setLevel(savedLevel);
  }

  @Test
  void seededCrashes() throws Exception {
    int runs = Integer.getInteger("caucus.logcrash.runs", 1000);
    long first = Long.getLong("caucus.logcrash.seed", 1L);
    Path base =
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "logcrash");
    int[] byFault = new int[Fault.values().length];
    int reported = 0;
    int multiSegment = 0;
    // Cases are independent and each is deterministic in its seed; running a few at once only
    // overlaps their fsync waits, which dominate the time.
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        long seed = first + i;
        futures.add(pool.submit(() -> runAndClean(seed, base.resolve("case-" + seed))));
      }
      for (int i = 0; i < runs; i++) {
        Outcome o;
        try {
          o = futures.get(i).get();
        } catch (ExecutionException e) {
          long seed = first + i;
          throw new AssertionError(
              "log crash case failed with seed "
                  + seed
                  + "; rerun with -Dcaucus.logcrash.seed="
                  + seed
                  + " -Dcaucus.logcrash.runs=1 ("
                  + e.getCause()
                  + ")",
              e.getCause());
        }
        byFault[o.fault.ordinal()]++;
        reported += o.reported ? 1 : 0;
        multiSegment += o.multiSegment ? 1 : 0;
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.println(
        "log crash cases: "
            + runs
            + " from seed "
            + first
            + ", faults "
            + Arrays.toString(Fault.values())
            + " = "
            + Arrays.toString(byFault)
            + ", reported as damage: "
            + reported
            + ", with several segments: "
            + multiSegment);
    deleteTree(base);
  }

  record Outcome(Fault fault, boolean reported, boolean multiSegment) {}

  private Outcome runAndClean(long seed, Path dir) throws IOException {
    Outcome o = runCase(seed, dir);
    deleteTree(dir);
    return o;
  }

  private Outcome runCase(long seed, Path dir) throws IOException {
    Random rnd = new Random(seed);
    LogSettings settings =
        new LogSettings(
            dir,
            rnd.nextInt(3) == 0 ? 512 + rnd.nextInt(1500) : 2048 + rnd.nextInt(6000),
            true,
            java.time.Duration.ZERO);
    Model model = new Model();
    try (FileRaftLog log = FileRaftLog.open(settings)) {
      int ops = 3 + rnd.nextInt(7);
      for (int op = 0; op < ops; op++) {
        model.step(rnd, log);
        model.check(log);
      }
      if (rnd.nextBoolean()) {
        // The commit hint marks entries as acknowledged: recovery must never cut those.
        model.commit = rnd.nextLong(model.last() + 1);
        log.saveHardState(new HardState(model.term, "a", model.commit));
      }
    }
    Fault fault = Fault.values()[rnd.nextInt(Fault.values().length)];
    List<Path> files = segmentFiles(dir);
    Path last = files.get(files.size() - 1);
    long lastBase = Segment.firstIndexOf(last);
    List<Rec> lastRecs = records(last);
    long size = Files.size(last);
    switch (fault) {
      case CUT -> {
        long cutAt = rnd.nextLong(size);
        LogFixtures.cut(last, cutAt);
        return expectSurvivors(settings, model, lastBase, lastRecs, cutAt, fault, files);
      }
      case ZERO_TAIL -> {
        long from = RecordFormat.FILE_HEADER_BYTES + rnd.nextLong(size - 23);
        long zeroFrom = (from + 511) / 512 * 512;
        byte[] all = Files.readAllBytes(last);
        int extra = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(1500);
        byte[] damaged = Arrays.copyOf(all, all.length + extra);
        if (zeroFrom < all.length) {
          Arrays.fill(damaged, (int) zeroFrom, all.length, (byte) 0);
        }
        Files.write(last, damaged);
        return expectSurvivors(
            settings, model, lastBase, lastRecs, Math.min(zeroFrom, size), fault, files);
      }
      case GARBAGE_TAIL -> {
        byte[] garbage = new byte[1 + rnd.nextInt(700)];
        rnd.nextBytes(garbage);
        Files.write(last, garbage, StandardOpenOption.APPEND);
        return expectSurvivors(settings, model, lastBase, lastRecs, size, fault, files);
      }
      case FLIP -> {
        List<Rec> all = new ArrayList<>();
        for (Path f : files) {
          all.addAll(records(f));
        }
        if (all.isEmpty()) {
          return new Outcome(
              fault, false, files.size() > 1); // nothing to damage: the log holds no record
        }
        Rec victim = all.get(rnd.nextInt(all.size()));
        long at = victim.offset() + rnd.nextLong(victim.end() - victim.offset());
        LogFixtures.flipBit(victim.file(), at, rnd.nextInt(8));
        boolean lastRecordOfLog =
            victim.file().equals(last) && victim.equals(lastRecs.get(lastRecs.size() - 1));
        if (lastRecordOfLog) {
          // Indistinguishable from a torn write of the last record: cut, unless committed.
          return expectSurvivors(
              settings, model, lastBase, lastRecs, victim.offset(), fault, files);
        }
        expectReported(settings, dir, Problem.CORRUPT_RECORD, victim.file(), victim.offset());
        return new Outcome(fault, true, files.size() > 1);
      }
      case FLIP_HEADER -> {
        Path victim = files.get(rnd.nextInt(files.size()));
        int at = rnd.nextInt(RecordFormat.FILE_HEADER_BYTES);
        LogFixtures.flipBit(victim, at, rnd.nextInt(8));
        boolean versionField = at >= 4 && at < 8;
        if (victim.equals(last) && lastRecs.isEmpty() && !versionField) {
          // An empty last segment with a bad header: an interrupted creation, removed.
          return expectSurvivors(settings, model, lastBase, lastRecs, 0, fault, files);
        }
        Problem expected =
            at >= 4 && at < 8 ? Problem.UNKNOWN_FORMAT_VERSION : Problem.BAD_FILE_HEADER;
        expectReported(settings, dir, expected, victim, at >= 4 && at < 8 ? 4 : 0);
        return new Outcome(fault, true, files.size() > 1);
      }
      default -> throw new IllegalStateException();
    }
  }

  /**
   * Records of the last file ending at or before {@code intactUpTo} must survive and nothing after
   * them, unless that loses an entry the commit hint covers: then the open must fail instead.
   */
  private Outcome expectSurvivors(
      LogSettings settings,
      Model model,
      long lastBase,
      List<Rec> lastRecs,
      long intactUpTo,
      Fault fault,
      List<Path> files)
      throws IOException {
    long lastSurvivor = lastBase - 1;
    for (Rec r : lastRecs) {
      if (r.end() <= intactUpTo && intactUpTo >= RecordFormat.FILE_HEADER_BYTES) {
        lastSurvivor = r.index();
      }
    }
    long expectedLast = Math.max(model.snapshot.index(), lastSurvivor);
    Path last = files.get(files.size() - 1);
    if (expectedLast < model.commit) {
      List<byte[]> before = snapshotFiles(settings.directory());
      LogRecoveryException e =
          assertThrows(LogRecoveryException.class, () -> FileRaftLog.open(settings));
      assertTrue(
          e.problem() == Problem.CORRUPT_RECORD || e.problem() == Problem.LOST_COMMITTED_ENTRIES,
          e.getMessage());
      assertEquals(last, e.file(), e.getMessage());
      List<byte[]> after = snapshotFiles(settings.directory());
      for (int i = 0; i < before.size(); i++) {
        assertArrayEquals(before.get(i), after.get(i), "recovery changed a file before reporting");
      }
      return new Outcome(fault, true, files.size() > 1);
    }
    try (FileRaftLog log = FileRaftLog.open(settings)) {
      assertEquals(expectedLast, log.lastIndex(), "last index after recovery");
      assertEquals(model.snapshot, log.snapshot());
      List<Entry> want =
          new ArrayList<>(model.log.subMap(model.snapshot.index() + 1, expectedLast + 1).values());
      assertEquals(want, log.entries(log.firstIndex(), expectedLast + 1, Long.MAX_VALUE));
      // The recovered log takes appends and keeps them.
      long term = Math.max(model.term, log.term(expectedLast));
      log.append(List.of(new Entry(expectedLast + 1, term, EntryType.NOOP, new byte[0])));
    }
    try (FileRaftLog log = FileRaftLog.open(settings)) {
      assertEquals(expectedLast + 1, log.lastIndex());
    }
    return new Outcome(fault, false, files.size() > 1);
  }

  private void expectReported(
      LogSettings settings, Path dir, Problem problem, Path file, long offset) throws IOException {
    List<byte[]> before = snapshotFiles(dir);
    LogRecoveryException e =
        assertThrows(LogRecoveryException.class, () -> FileRaftLog.open(settings));
    assertEquals(problem, e.problem(), e.getMessage());
    assertEquals(file, e.file(), e.getMessage());
    assertEquals(offset, e.offset(), e.getMessage());
    List<byte[]> after = snapshotFiles(dir);
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i), after.get(i), "recovery changed a file before reporting");
    }
  }

  private static List<byte[]> snapshotFiles(Path dir) throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (Path p : segmentFiles(dir)) {
      out.add(Files.readAllBytes(p));
    }
    return out;
  }

  /** What the log must hold: entries above the snapshot, the snapshot, the highest term used. */
  private static final class Model {
    final TreeMap<Long, Entry> log = new TreeMap<>();
    SnapshotMetadata snapshot = SnapshotMetadata.NONE;
    long term = 1;
    long commit;

    long last() {
      return log.isEmpty() ? snapshot.index() : log.lastKey();
    }

    long termAt(long index) {
      return index == snapshot.index() ? snapshot.term() : log.get(index).term();
    }

    void step(Random rnd, FileRaftLog target) {
      int kind = rnd.nextInt(20);
      long last = last();
      if (kind < 14 || last == snapshot.index()) {
        long start = Math.max(snapshot.index() + 1, last + 1 - rnd.nextInt(4));
        boolean diverge = start <= last && rnd.nextInt(3) == 0;
        if (diverge || rnd.nextInt(5) == 0) {
          term++;
        }
        int n = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 60 : 8);
        List<Entry> batch = new ArrayList<>();
        for (long i = start; i < start + n; i++) {
          Entry existing = log.get(i);
          if (existing != null && !diverge) {
            batch.add(existing);
          } else {
            byte[] data = new byte[rnd.nextInt(rnd.nextInt(8) == 0 ? 900 : 120)];
            for (int b = 0; b < data.length; b++) {
              data[b] = (byte) (rnd.nextInt(256) | 0x81); // never zero, even after one flip
            }
            batch.add(new Entry(i, term, EntryType.values()[rnd.nextInt(3)], data));
          }
        }
        target.append(batch);
        for (Entry e : batch) {
          Entry existing = log.get(e.index());
          if (existing == null || existing.term() != e.term()) {
            log.tailMap(e.index(), true).clear();
            log.put(e.index(), e);
          }
        }
      } else if (kind < 16) {
        long from = snapshot.index() + 1 + rnd.nextLong(last - snapshot.index() + 1);
        target.truncateSuffix(from);
        log.tailMap(from, true).clear();
      } else if (kind < 19) {
        long at = snapshot.index() + 1 + rnd.nextLong(last - snapshot.index());
        SnapshotMetadata s = new SnapshotMetadata(at, termAt(at), MEMBERS);
        target.compact(s);
        snapshot = s;
        log.headMap(at, true).clear();
        target.deleteSegments(snapshot.index() - rnd.nextInt(20), seg -> rnd.nextBoolean());
      } else {
        long at = snapshot.index() + 1 + rnd.nextLong(last - snapshot.index() + 5);
        boolean keep = at <= last && rnd.nextBoolean();
        if (!keep) {
          term++;
        }
        SnapshotMetadata s = new SnapshotMetadata(at, keep ? termAt(at) : term, MEMBERS);
        target.installSnapshot(s);
        snapshot = s;
        if (keep) {
          log.headMap(at, true).clear();
        } else {
          log.clear();
        }
      }
    }

    void check(FileRaftLog target) {
      assertEquals(last(), target.lastIndex());
      assertEquals(snapshot.index() + 1, target.firstIndex());
      assertEquals(snapshot.term(), target.term(snapshot.index()));
      assertEquals(
          new ArrayList<>(log.values()),
          target.entries(target.firstIndex(), last() + 1, Long.MAX_VALUE));
      for (Map.Entry<Long, Entry> e : log.entrySet()) {
        assertTrue(target.term(e.getKey()) == e.getValue().term());
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.notExists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

package io.caucus.bench;

import io.caucus.consensus.Entry;
import io.caucus.consensus.EntryType;
import io.caucus.log.FileRaftLog;
import io.caucus.log.LogSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Append throughput and latency of {@link FileRaftLog} with one fsync per batch, against the raw
 * fsync rate of the same disk measured in the same run (4 KiB appended + {@code
 * FileChannel.force(false)} in a loop, which is what one durable append of a small batch needs at
 * least).
 *
 * <p>Each round measures the baseline, then every batch size, for {@code --seconds} each, in a
 * fresh directory; rounds interleave so that a noisy neighbour affects all figures alike. Printed
 * per batch size: medians and ranges over rounds of entries/s, MB/s of entry data (256 bytes each),
 * p50/p99 latency of one append call, and the ratio of batches/s to raw fsyncs/s. A last step runs
 * two groups at once at batch size 1, to show that groups do not serialize on a shared lock.
 *
 * <pre>
 * java -cp bench/target/caucus-bench.jar io.caucus.bench.LogAppendBenchmark \
 *     [--dir bench/target/log-bench] [--rounds 5] [--seconds 3] [--batches 1,16,256,4096]
 * </pre>
 */
public final class LogAppendBenchmark {

  private static final int ENTRY_BYTES = 256;
  private static final int RAW_BYTES = 4096;
  private static final int REOPEN_MB = 256;

  private LogAppendBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of("bench/target/log-bench");
    int rounds = 5;
    double seconds = 3;
    int[] batches = {1, 16, 256, 4096};
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dir" -> dir = Path.of(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--batches" ->
            batches = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        default -> {
          System.err.println(
              "usage: LogAppendBenchmark [--dir D] [--rounds N] [--seconds S] [--batches 1,16,...]");
          System.exit(2);
        }
      }
    }
    long nanos = (long) (seconds * 1e9);
    System.out.printf(
        Locale.ROOT,
        "LogAppendBenchmark: dir=%s rounds=%d seconds=%.1f entry=%dB segment=%dB java=%s cpus=%d%n",
        dir.toAbsolutePath(),
        rounds,
        seconds,
        ENTRY_BYTES,
        LogSettings.DEFAULT_SEGMENT_SIZE,
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    List<Result> raw = new ArrayList<>();
    List<List<Result>> logs = new ArrayList<>();
    for (int b = 0; b < batches.length; b++) {
      logs.add(new ArrayList<>());
    }
    List<Double> twoGroups = new ArrayList<>();
    List<Double> oneGroup = new ArrayList<>();
    List<Double> reopenMBps = new ArrayList<>();
    // Warm-up: JIT and file system, not recorded.
    rawFsync(dir.resolve("warm-raw"), nanos / 3);
    for (int batch : batches) {
      logAppend(dir.resolve("warm-" + batch), batch, nanos / 3);
    }
    for (int r = 1; r <= rounds; r++) {
      Result rr = rawFsync(dir.resolve("raw"), nanos);
      raw.add(rr);
      System.out.printf(Locale.ROOT, "round %d raw fsync: %s%n", r, rr);
      for (int b = 0; b < batches.length; b++) {
        Result lr = logAppend(dir.resolve("log-" + batches[b]), batches[b], nanos);
        logs.get(b).add(lr);
        System.out.printf(
            Locale.ROOT,
            "round %d batch %5d: %s ratio to raw %.2f%n",
            r,
            batches[b],
            lr,
            lr.opsPerSec / rr.opsPerSec);
      }
      double[] scan = reopen(dir.resolve("reopen"));
      reopenMBps.add(scan[1]);
      System.out.printf(
          Locale.ROOT,
          "round %d reopen (verify every record) of %.0f MB: %.0f ms, %.0f MB/s%n",
          r,
          scan[0],
          scan[2],
          scan[1]);
      double[] pair = twoGroups(dir, nanos);
      oneGroup.add(pair[0]);
      twoGroups.add(pair[1]);
      System.out.printf(
          Locale.ROOT,
          "round %d batch 1, one group %.0f appends/s, two groups together %.0f appends/s%n",
          r,
          pair[0],
          pair[1]);
    }
    System.out.println();
    System.out.println("Summary: median [min - max] over " + rounds + " rounds");
    System.out.printf(
        Locale.ROOT,
        "raw fsync (4 KiB + force): %s fsyncs/s, p50 %s us, p99 %s us%n",
        summary(raw, x -> x.opsPerSec, 0),
        summary(raw, x -> x.p50Micros, 0),
        summary(raw, x -> x.p99Micros, 0));
    System.out.println(
        "| batch | entries/s | MB/s (entry data) | p50 per batch (us) | p99 per batch (us) | batches/s ÷ raw fsyncs/s |");
    System.out.println("|---|---|---|---|---|---|");
    for (int b = 0; b < batches.length; b++) {
      List<Result> rs = logs.get(b);
      List<Double> ratios = new ArrayList<>();
      for (int r = 0; r < rs.size(); r++) {
        ratios.add(rs.get(r).opsPerSec / raw.get(r).opsPerSec);
      }
      System.out.printf(
          Locale.ROOT,
          "| %d | %s | %s | %s | %s | %s |%n",
          batches[b],
          summary(rs, x -> x.entriesPerSec(), 0),
          summary(rs, x -> x.megabytesPerSec(), 1),
          summary(rs, x -> x.p50Micros, 0),
          summary(rs, x -> x.p99Micros, 0),
          summaryOf(ratios, 2));
    }
    System.out.printf(
        Locale.ROOT,
        "batch 1: one group %s appends/s; two groups at once %s appends/s in total%n",
        summaryOf(oneGroup, 0),
        summaryOf(twoGroups, 0));
    System.out.printf(
        Locale.ROOT, "reopen with full verification: %s MB/s of log%n", summaryOf(reopenMBps, 0));
    deleteTree(dir);
  }

  /**
   * Writes {@value #REOPEN_MB} MB in batches of 4096, closes, and times {@link FileRaftLog#open},
   * which verifies every record's checksums and rebuilds the index. Returns MB, MB/s and ms.
   */
  private static double[] reopen(Path dir) throws IOException {
    deleteTree(dir);
    byte[] data = new byte[ENTRY_BYTES];
    new Random(3).nextBytes(data);
    LogSettings settings = LogSettings.forGroup(dir, "bench");
    long next = 1;
    try (FileRaftLog log = FileRaftLog.open(settings)) {
      List<Entry> buf = new ArrayList<>(4096);
      while ((next - 1) * (ENTRY_BYTES + 32L) < REOPEN_MB * 1_000_000L) {
        buf.clear();
        for (int i = 0; i < 4096; i++) {
          buf.add(new Entry(next++, 1, EntryType.NORMAL, data));
        }
        log.append(buf);
      }
    }
    double mb;
    try (Stream<Path> files = Files.list(dir.resolve("bench"))) {
      mb = files.mapToLong(p -> p.toFile().length()).sum() / 1e6;
    }
    long start = System.nanoTime();
    try (FileRaftLog log = FileRaftLog.open(settings)) {
      if (log.lastIndex() != next - 1) {
        throw new IllegalStateException("reopened log ends at " + log.lastIndex());
      }
    }
    double ms = (System.nanoTime() - start) / 1e6;
    deleteTree(dir);
    return new double[] {mb, mb / (ms / 1e3), ms};
  }

  /** One measurement: operations (fsyncs or batches) per second and latency per operation. */
  record Result(double opsPerSec, int batch, double p50Micros, double p99Micros) {
    double entriesPerSec() {
      return opsPerSec * batch;
    }

    double megabytesPerSec() {
      return entriesPerSec() * ENTRY_BYTES / 1e6;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%.0f ops/s, %.0f entries/s, %.1f MB/s, p50 %.0f us, p99 %.0f us",
          opsPerSec,
          entriesPerSec(),
          megabytesPerSec(),
          p50Micros,
          p99Micros);
    }
  }

  private static Result rawFsync(Path dir, long nanos) throws IOException {
    deleteTree(dir);
    Files.createDirectories(dir);
    Histogram h = new Histogram(3);
    ByteBuffer block = ByteBuffer.allocateDirect(RAW_BYTES);
    new Random(1).ints(RAW_BYTES, 0, 256).forEach(b -> block.put((byte) b));
    long ops = 0;
    long start = System.nanoTime();
    long end = start + nanos;
    try (FileChannel ch =
        FileChannel.open(
            dir.resolve("raw.dat"),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ)) {
      long pos = 0;
      long now = start;
      while (now < end) {
        block.clear();
        while (block.hasRemaining()) {
          pos += ch.write(block, pos);
        }
        ch.force(false);
        long after = System.nanoTime();
        h.recordValue(after - now);
        now = after;
        ops++;
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    deleteTree(dir);
    return new Result(
        ops / elapsed, 1, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3);
  }

  private static Result logAppend(Path dir, int batch, long nanos) throws IOException {
    deleteTree(dir);
    Histogram h = new Histogram(3);
    byte[] data = new byte[ENTRY_BYTES];
    new Random(2).nextBytes(data);
    long batches = 0;
    long next = 1;
    long start;
    try (FileRaftLog log = FileRaftLog.open(LogSettings.forGroup(dir, "bench"))) {
      List<Entry> buf = new ArrayList<>(batch);
      start = System.nanoTime();
      long end = start + nanos;
      long now = start;
      while (now < end) {
        buf.clear();
        for (int i = 0; i < batch; i++) {
          buf.add(new Entry(next++, 1, EntryType.NORMAL, data));
        }
        log.append(buf);
        long after = System.nanoTime();
        h.recordValue(after - now);
        now = after;
        batches++;
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    deleteTree(dir);
    return new Result(
        batches / elapsed,
        batch,
        h.getValueAtPercentile(50) / 1e3,
        h.getValueAtPercentile(99) / 1e3);
  }

  /** Batch-1 appends/s of one group alone, then of two groups on two threads together. */
  private static double[] twoGroups(Path dir, long nanos) throws Exception {
    double one = logAppend(dir.resolve("one"), 1, nanos).opsPerSec;
    double[] rates = new double[2];
    Thread[] threads = new Thread[2];
    Exception[] failure = new Exception[1];
    for (int g = 0; g < 2; g++) {
      int group = g;
      threads[g] =
          new Thread(
              () -> {
                try {
                  rates[group] = logAppend(dir.resolve("pair-" + group), 1, nanos).opsPerSec;
                } catch (Exception e) {
                  failure[0] = e;
                }
              });
      threads[g].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    return new double[] {one, rates[0] + rates[1]};
  }

  private interface Metric {
    double of(Result r);
  }

  private static String summary(List<Result> rs, Metric m, int decimals) {
    List<Double> values = new ArrayList<>();
    for (Result r : rs) {
      values.add(m.of(r));
    }
    return summaryOf(values, decimals);
  }

  private static String summaryOf(List<Double> values, int decimals) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median =
        v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    String f = "%." + decimals + "f";
    return String.format(
        Locale.ROOT, f + " [" + f + " - " + f + "]", median, v[0], v[v.length - 1]);
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

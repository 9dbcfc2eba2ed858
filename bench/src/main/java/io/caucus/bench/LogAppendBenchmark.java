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
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Append throughput and latency of {@link FileRaftLog} with one fsync per batch, against the raw
 * fsync rate of the same disk measured in the same run: 4 KiB appended to a file + {@code
 * FileChannel.force(false)} in a loop, the least one durable append of a small batch needs.
 *
 * <p><b>Pairing.</b> The machine this runs on is shared and its fsync rate swings by an order of
 * magnitude within seconds. So each log measurement is paired with its own baseline: the two run in
 * alternating slices of {@code --seconds}/{@value #SLICES} each, on files kept open, and the ratio
 * is taken within the pair. Rounds repeat every pair; the summary gives medians and [min - max].
 *
 * <p>Printed per batch size: entries/s, MB/s of entry data (256 bytes each), p50/p99 latency of one
 * {@code append} call (including its fsync), and batches/s ÷ raw fsyncs/s. Also: two groups
 * appending at once at batch size 1 against one group alone (groups do not share a lock), and the
 * rate at which {@link FileRaftLog#open} verifies a 256 MB log (page cache warm).
 *
 * <pre>
 * mvn -B -pl bench -am package -DskipTests
 * java -cp bench/target/caucus-bench.jar io.caucus.bench.LogAppendBenchmark \
 *     [--dir bench/target/log-bench] [--rounds 5] [--seconds 2] [--batches 1,16,256,4096]
 * </pre>
 */
public final class LogAppendBenchmark {

  private static final int ENTRY_BYTES = 256;
  private static final int RAW_BYTES = 4096;
  private static final int REOPEN_MB = 256;
  private static final int SLICES = 8;

  private LogAppendBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of("bench/target/log-bench");
    int rounds = 5;
    double seconds = 2;
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
        "LogAppendBenchmark: dir=%s rounds=%d seconds=%.1f (each side, %d slices) entry=%dB"
            + " segment=%dB java=%s cpus=%d%n",
        dir.toAbsolutePath(),
        rounds,
        seconds,
        SLICES,
        ENTRY_BYTES,
        LogSettings.DEFAULT_SEGMENT_SIZE,
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    List<List<Pair>> pairs = new ArrayList<>();
    for (int b = 0; b < batches.length; b++) {
      pairs.add(new ArrayList<>());
    }
    List<Double> oneGroup = new ArrayList<>();
    List<Double> twoGroups = new ArrayList<>();
    List<Double> reopenRates = new ArrayList<>();
    for (int batch : batches) { // warm-up: JIT and file system, not recorded
      pair(dir, batch, nanos / 4);
    }
    for (int r = 1; r <= rounds; r++) {
      for (int b = 0; b < batches.length; b++) {
        Pair p = pair(dir, batches[b], nanos);
        pairs.get(b).add(p);
        System.out.printf(
            Locale.ROOT,
            "round %d batch %4d: raw %s | log %s | ratio %.2f%n",
            r,
            batches[b],
            p.raw,
            p.log,
            p.ratio());
      }
      double[] scan = reopen(dir.resolve("reopen"));
      reopenRates.add(scan[1]);
      double[] groups = twoGroups(dir, nanos);
      oneGroup.add(groups[0]);
      twoGroups.add(groups[1]);
      System.out.printf(
          Locale.ROOT,
          "round %d reopen of %.0f MB: %.0f ms (%.0f MB/s); batch 1: one group %.0f/s, two groups"
              + " together %.0f/s%n",
          r,
          scan[0],
          scan[2],
          scan[1],
          groups[0],
          groups[1]);
    }
    System.out.println();
    System.out.println("Summary: median [min - max] over " + rounds + " rounds");
    System.out.println(
        "| batch | raw fsyncs/s (paired) | log entries/s | log MB/s (entry data) | p50 per batch"
            + " (us) | p99 per batch (us) | batches/s ÷ raw fsyncs/s |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (int b = 0; b < batches.length; b++) {
      List<Pair> ps = pairs.get(b);
      System.out.printf(
          Locale.ROOT,
          "| %d | %s | %s | %s | %s | %s | %s |%n",
          batches[b],
          summary(ps, p -> p.raw.opsPerSec(), 0),
          summary(ps, p -> p.log.entriesPerSec(), 0),
          summary(ps, p -> p.log.megabytesPerSec(), 1),
          summary(ps, p -> p.log.p50Micros, 0),
          summary(ps, p -> p.log.p99Micros, 0),
          summary(ps, Pair::ratio, 2));
    }
    System.out.printf(
        Locale.ROOT,
        "raw fsync latency (all pairs): p50 %s us, p99 %s us%n",
        summary(all(pairs), p -> p.raw.p50Micros, 0),
        summary(all(pairs), p -> p.raw.p99Micros, 0));
    System.out.printf(
        Locale.ROOT,
        "batch 1: one group %s appends/s; two groups at once %s appends/s in total%n",
        summaryOf(oneGroup, 0),
        summaryOf(twoGroups, 0));
    System.out.printf(
        Locale.ROOT, "open with full verification: %s MB/s of log%n", summaryOf(reopenRates, 0));
    BenchFiles.deleteTree(dir);
  }

  private static List<Pair> all(List<List<Pair>> pairs) {
    return pairs.stream().flatMap(List::stream).toList();
  }

  /** Throughput and latency of one side of a pair. */
  static final class Side {
    final int batch;
    final Histogram latency = new Histogram(3);
    long ops;
    long nanos;
    double p50Micros;
    double p99Micros;

    Side(int batch) {
      this.batch = batch;
    }

    void record(long opNanos) {
      latency.recordValue(opNanos);
      ops++;
      nanos += opNanos;
    }

    void finish() {
      p50Micros = latency.getValueAtPercentile(50) / 1e3;
      p99Micros = latency.getValueAtPercentile(99) / 1e3;
    }

    double opsPerSec() {
      return ops / (nanos / 1e9);
    }

    double entriesPerSec() {
      return opsPerSec() * batch;
    }

    double megabytesPerSec() {
      return entriesPerSec() * ENTRY_BYTES / 1e6;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%.0f ops/s %.0f entries/s %.1f MB/s p50 %.0f us p99 %.0f us",
          opsPerSec(),
          entriesPerSec(),
          megabytesPerSec(),
          p50Micros,
          p99Micros);
    }
  }

  record Pair(Side raw, Side log) {
    double ratio() {
      return log.opsPerSec() / raw.opsPerSec();
    }
  }

  /** Raw fsync and log appends of {@code batch}, in alternating slices, each side for nanos. */
  private static Pair pair(Path dir, int batch, long nanos) throws IOException {
    Path rawDir = dir.resolve("raw");
    Path logDir = dir.resolve("log");
    BenchFiles.deleteTree(rawDir);
    BenchFiles.deleteTree(logDir);
    Files.createDirectories(rawDir);
    Side raw = new Side(1);
    Side log = new Side(batch);
    ByteBuffer block = ByteBuffer.allocateDirect(RAW_BYTES);
    new Random(1).ints(RAW_BYTES, 0, 256).forEach(b -> block.put((byte) b));
    byte[] data = new byte[ENTRY_BYTES];
    new Random(2).nextBytes(data);
    List<Entry> buf = new ArrayList<>(batch);
    long next = 1;
    long rawPos = 0;
    try (FileChannel ch =
            FileChannel.open(
                rawDir.resolve("raw.dat"),
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        FileRaftLog target = FileRaftLog.open(LogSettings.forGroup(logDir, "bench"))) {
      for (int s = 0; s < SLICES; s++) {
        long end = System.nanoTime() + nanos / SLICES;
        for (long now = System.nanoTime(); now < end; ) {
          block.clear();
          while (block.hasRemaining()) {
            rawPos += ch.write(block, rawPos);
          }
          ch.force(false);
          long after = System.nanoTime();
          raw.record(after - now);
          now = after;
        }
        end = System.nanoTime() + nanos / SLICES;
        for (long now = System.nanoTime(); now < end; ) {
          buf.clear();
          for (int i = 0; i < batch; i++) {
            buf.add(new Entry(next++, 1, EntryType.NORMAL, data));
          }
          long start = System.nanoTime();
          target.append(buf);
          long after = System.nanoTime();
          // Latency is the append call; throughput counts the batch building too.
          log.latency.recordValue(after - start);
          log.ops++;
          log.nanos += after - now;
          now = after;
        }
      }
    }
    raw.finish();
    log.finish();
    BenchFiles.deleteTree(rawDir);
    BenchFiles.deleteTree(logDir);
    return new Pair(raw, log);
  }

  /**
   * Writes {@value #REOPEN_MB} MB in batches of 4096, closes, and times {@link FileRaftLog#open},
   * which verifies every record's checksums and rebuilds the index. Returns MB, MB/s and ms.
   */
  private static double[] reopen(Path dir) throws IOException {
    BenchFiles.deleteTree(dir);
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
    try (Stream<Path> files = Files.list(settings.directory())) {
      mb = files.mapToLong(p -> p.toFile().length()).sum() / 1e6;
    }
    long start = System.nanoTime();
    try (FileRaftLog log = FileRaftLog.open(settings)) {
      if (log.lastIndex() != next - 1) {
        throw new IllegalStateException("reopened log ends at " + log.lastIndex());
      }
    }
    double ms = (System.nanoTime() - start) / 1e6;
    BenchFiles.deleteTree(dir);
    return new double[] {mb, mb / (ms / 1e3), ms};
  }

  /** Batch-1 appends/s of one group alone, then of two groups on two threads at once. */
  private static double[] twoGroups(Path dir, long nanos) throws Exception {
    double one = appendOnly(dir.resolve("one"), nanos);
    double[] rates = new double[2];
    Exception[] failure = new Exception[1];
    Thread[] threads = new Thread[2];
    for (int g = 0; g < 2; g++) {
      int group = g;
      threads[g] =
          new Thread(
              () -> {
                try {
                  rates[group] = appendOnly(dir.resolve("pair-" + group), nanos);
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

  private static double appendOnly(Path dir, long nanos) throws IOException {
    BenchFiles.deleteTree(dir);
    byte[] data = new byte[ENTRY_BYTES];
    long n = 0;
    long start = System.nanoTime();
    try (FileRaftLog log = FileRaftLog.open(LogSettings.forGroup(dir, "bench"))) {
      while (System.nanoTime() - start < nanos) {
        n++;
        log.append(List.of(new Entry(n, 1, EntryType.NORMAL, data)));
      }
    }
    double rate = n / ((System.nanoTime() - start) / 1e9);
    BenchFiles.deleteTree(dir);
    return rate;
  }

  private static String summary(List<Pair> ps, ToDoubleFunction<Pair> metric, int decimals) {
    return summaryOf(ps.stream().map(p -> metric.applyAsDouble(p)).toList(), decimals);
  }

  private static String summaryOf(List<Double> values, int decimals) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median =
        v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    String f = "%." + decimals + "f";
    return String.format(
        Locale.ROOT, f + " [" + f + " - " + f + "]", median, v[0], v[v.length - 1]);
  }
}

package io.caucus.bench;

import io.caucus.eventstore.CommandCodec;
import io.caucus.eventstore.DefaultEventStore;
import io.caucus.eventstore.Event;
import io.caucus.eventstore.EventStore;
import io.caucus.eventstore.StoredEvent;
import io.caucus.eventstore.infinispan.InfinispanStorageFactory;
import io.caucus.eventstore.infinispan.InfinispanStorageSettings;
import io.caucus.eventstore.storage.InMemoryStoragePort;
import io.caucus.eventstore.storage.StorageFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Event store throughput and latency on one node: apply throughput (256-byte payloads, transactions
 * of 1, 10 and 100 events spread over many aggregates), tracking read throughput from token 0, and
 * aggregate read latency for aggregates of 100 events. Every figure is measured on the Infinispan
 * file store and, as the baseline in the same run, on the in-memory storage port (same event store
 * code, no Infinispan, no disk); the ratio shows what the storage costs. Throughputs are sampled in
 * windows; the medians and ranges (min–max) of the windows are printed.
 *
 * <pre>
 * java -Xmx6g -cp bench/target/caucus-bench.jar io.caucus.bench.EventStoreBenchmark \
 *     [--aggregates=1000000] [--events=1000000] [--dir=target/eventstore-bench] [--sync]
 *     [--max-in-memory=500000]
 * </pre>
 *
 * {@code --events} is the number of events applied in transactions of 100 (transactions of 10 get
 * half, of 1 a tenth). {@code --sync} makes the file store force every write to the device; {@code
 * --max-in-memory} bounds the records Infinispan keeps on the heap per context (0 = all).
 */
public final class EventStoreBenchmark {

  private static final int PAYLOAD = 256;
  private static final int WINDOWS = 10;

  private final int aggregates;
  private final long events;
  private final Path dir;
  private final boolean sync;
  private final long maxInMemory;
  private final byte[] payload = new byte[PAYLOAD];

  private EventStoreBenchmark(
      int aggregates, long events, Path dir, boolean sync, long maxInMemory) {
    this.aggregates = aggregates;
    this.events = events;
    this.dir = dir;
    this.sync = sync;
    this.maxInMemory = maxInMemory;
    new Random(1).nextBytes(payload);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (String a : args) {
      if (a.startsWith("--")) {
        String[] kv = a.substring(2).split("=", 2);
        opts.put(kv[0], kv.length > 1 ? kv[1] : "true");
      }
    }
    EventStoreBenchmark b =
        new EventStoreBenchmark(
            Integer.parseInt(opts.getOrDefault("aggregates", "1000000")),
            Long.parseLong(opts.getOrDefault("events", "1000000")),
            Path.of(opts.getOrDefault("dir", "target/eventstore-bench")),
            opts.containsKey("sync"),
            Long.parseLong(
                opts.getOrDefault(
                    "max-in-memory",
                    Long.toString(InfinispanStorageSettings.DEFAULT.maxEntriesInMemory()))));
    b.run();
  }

  private void run() throws IOException {
    BenchFiles.deleteTree(dir);
    System.out.printf(
        Locale.ROOT,
        "Event store benchmark: %d aggregates, payload %d B, events (tx=100) %d, sync writes %s,"
            + " records on heap per context %s, max heap %d MB, %d cpus%n",
        aggregates,
        PAYLOAD,
        events,
        sync,
        maxInMemory == 0 ? "all" : Long.toString(maxInMemory),
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors());
    try (InfinispanStorageFactory factory =
        new InfinispanStorageFactory(dir, new InfinispanStorageSettings(sync, maxInMemory))) {
      // Warm-up of both paths (JIT), not reported.
      applyRun(
          () -> DefaultEventStore.open("warm", new InMemoryStoragePort()),
          10,
          100_000,
          false,
          false);
      applyRun(
          () -> DefaultEventStore.open("warm", factory.open("warm")), 10, 50_000, false, false);

      EventStore diskBig = null;
      EventStore memBig = null;
      for (boolean single : new boolean[] {false, true}) {
        System.out.println();
        System.out.println(
            (single
                    ? "apply, every transaction for one random aggregate"
                    : "apply, every event for a random aggregate")
                + " (events/s, median [min-max] of "
                + WINDOWS
                + " windows)");
        for (int tx : new int[] {1, 10, 100}) {
          long n = tx == 100 ? events : tx == 10 ? events / 2 : events / 10;
          String name = (single ? "one" : "rnd") + tx;
          Result mem =
              applyRun(
                  () -> DefaultEventStore.open(name, new InMemoryStoragePort()),
                  tx,
                  n,
                  true,
                  single);
          Result disk =
              applyRun(() -> DefaultEventStore.open(name, factory.open(name)), tx, n, true, single);
          System.out.printf(
              Locale.ROOT,
              "  tx=%-3d %,9d events  infinispan %s   in-memory %s   ratio %.3f%n",
              tx,
              n,
              disk.summary(),
              mem.summary(),
              disk.median() / mem.median());
          if (tx == 100 && !single) {
            diskBig = disk.store;
            memBig = mem.store;
          } else {
            disk.store.close();
            mem.store.close();
          }
        }
      }
      System.out.printf(
          Locale.ROOT,
          "  baseline: raw Infinispan put rate, %d-byte values, putAll of 100 keys: %s%n",
          PAYLOAD + 80,
          rawPutRate(factory));

      System.out.println();
      System.out.println("tracking read from token 0, batches of 1000 (events/s per full pass)");
      Result trackDisk = trackRun(diskBig);
      Result trackMem = trackRun(memBig);
      System.out.printf(
          Locale.ROOT,
          "  %,d events  infinispan %s   in-memory %s   ratio %.3f%n",
          diskBig.lastToken() + 1,
          trackDisk.summary(),
          trackMem.summary(),
          trackDisk.median() / trackMem.median());
      diskBig.close();
      memBig.close();

      System.out.println();
      System.out.println("aggregate read, 100-event aggregates, 2000 aggregates, random reads");
      EventStore disk = DefaultEventStore.open("agg", factory.open("agg"));
      EventStore mem = DefaultEventStore.open("agg", new InMemoryStoragePort());
      fillAggregates(disk);
      fillAggregates(mem);
      Histogram hd = aggregateReads(disk);
      Histogram hm = aggregateReads(mem);
      System.out.printf(
          Locale.ROOT,
          "  infinispan p50 %.3f ms p99 %.3f ms max %.3f ms   in-memory p50 %.3f ms p99 %.3f ms"
              + "   ratio p99 %.2f%n",
          hd.getValueAtPercentile(50) / 1e6,
          hd.getValueAtPercentile(99) / 1e6,
          hd.getMaxValue() / 1e6,
          hm.getValueAtPercentile(50) / 1e6,
          hm.getValueAtPercentile(99) / 1e6,
          (double) hd.getValueAtPercentile(99) / hm.getValueAtPercentile(99));
      disk.close();
      mem.close();
      // Cold: after reopening, nothing is on the heap; each aggregate is read once, from disk.
      EventStore reopened = DefaultEventStore.open("agg", factory.open("agg"));
      Histogram cold = new Histogram(3);
      for (int a = 0; a < READ_AGGREGATES; a++) {
        long start = System.nanoTime();
        int n = reopened.aggregateEvents("agg-" + a, 0, false).size();
        cold.recordValue(System.nanoTime() - start);
        if (n != 100) {
          throw new IllegalStateException("agg-" + a + " has " + n + " events");
        }
      }
      System.out.printf(
          Locale.ROOT,
          "  infinispan cold (after reopen, first read of each) p50 %.3f ms p99 %.3f ms max %.3f ms%n",
          cold.getValueAtPercentile(50) / 1e6,
          cold.getValueAtPercentile(99) / 1e6,
          cold.getMaxValue() / 1e6);
      reopened.close();
    }
    BenchFiles.deleteTree(dir);
  }

  private record Result(EventStore store, double[] rates) {
    double median() {
      double[] s = rates.clone();
      Arrays.sort(s);
      return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    String summary() {
      double[] s = rates.clone();
      Arrays.sort(s);
      return String.format(Locale.ROOT, "%,10.0f [%,.0f-%,.0f]", median(), s[0], s[s.length - 1]);
    }
  }

  private Event event(int aggregate, long seq, long time) {
    return new Event(
        "m" + time,
        "agg-" + aggregate,
        "Bench",
        seq,
        time,
        "io.caucus.bench.Happened",
        "",
        payload,
        Map.of());
  }

  /**
   * Applies {@code total} events in transactions of {@code tx}, each event for a random one of the
   * aggregates. Commands are encoded ahead of each window, so only apply is timed.
   */
  private Result applyRun(
      Supplier<EventStore> open, int tx, long total, boolean keep, boolean singleAggregate) {
    EventStore store = open.get();
    Random rnd = new Random(tx);
    int[] next = new int[aggregates];
    long perWindow = Math.max(tx, total / WINDOWS / tx * tx);
    double[] rates = new double[WINDOWS];
    long index = 1;
    long time = 0;
    for (int w = 0; w < WINDOWS; w++) {
      List<byte[]> commands = new ArrayList<>();
      for (long e = 0; e < perWindow; e += tx) {
        List<Event> list = new ArrayList<>(tx);
        Map<Integer, Integer> local = new HashMap<>();
        int one = rnd.nextInt(aggregates);
        for (int i = 0; i < tx; i++) {
          int a = singleAggregate ? one : rnd.nextInt(aggregates);
          int seq = local.getOrDefault(a, next[a]);
          local.put(a, seq + 1);
          list.add(event(a, seq, time++));
        }
        local.forEach((a, s) -> next[a] = s);
        commands.add(CommandCodec.encodeEvents("default", list));
      }
      long start = System.nanoTime();
      for (byte[] c : commands) {
        if (!(store.apply(index++, c) instanceof io.caucus.eventstore.ApplyResult.Accepted)) {
          throw new IllegalStateException("benchmark transaction refused");
        }
      }
      rates[w] = perWindow / ((System.nanoTime() - start) / 1e9);
    }
    if (!keep) {
      store.close();
    }
    return new Result(store, rates);
  }

  /** Raw put rate of the storage: the same stored-record sizes, putAll per 100, no logic. */
  private String rawPutRate(StorageFactory factory) {
    var port = factory.open("raw");
    byte[] value = new byte[PAYLOAD + 80];
    double[] rates = new double[WINDOWS];
    long token = 0;
    for (int w = 0; w < WINDOWS; w++) {
      long start = System.nanoTime();
      for (int t = 0; t < events / WINDOWS / 100; t++) {
        Map<Long, byte[]> batch = new HashMap<>();
        for (int i = 0; i < 100; i++) {
          batch.put(token++, value);
        }
        port.events().putAll(batch);
      }
      rates[w] = (events / WINDOWS / 100 * 100) / ((System.nanoTime() - start) / 1e9);
    }
    port.close();
    return new Result(null, rates).summary() + " keys/s";
  }

  private Result trackRun(EventStore store) {
    double[] rates = new double[3];
    for (int r = 0; r < rates.length; r++) {
      long start = System.nanoTime();
      long token = 0;
      long count = 0;
      long checksum = 0;
      List<StoredEvent> batch;
      while (!(batch = store.readEvents(token, 1000)).isEmpty()) {
        count += batch.size();
        token = batch.get(batch.size() - 1).token() + 1;
        checksum += batch.get(0).event().timestamp();
      }
      rates[r] = count / ((System.nanoTime() - start) / 1e9);
      if (checksum == 42) {
        System.out.print(""); // keeps the reads observable
      }
    }
    return new Result(store, rates);
  }

  private static final int READ_AGGREGATES = 2000;

  private void fillAggregates(EventStore store) {
    long index = 1;
    long time = 0;
    for (int a = 0; a < READ_AGGREGATES; a++) {
      // Interleave: each aggregate gets its 100 events in 10 transactions spread over the run.
      for (int part = 0; part < 10; part++) {
        List<Event> list = new ArrayList<>(10);
        for (int s = 0; s < 10; s++) {
          list.add(event(a, part * 10L + s, time++));
        }
        store.apply(index++, CommandCodec.encodeEvents("default", list));
      }
    }
  }

  private Histogram aggregateReads(EventStore store) {
    Histogram h = new Histogram(3);
    Random rnd = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      String id = "agg-" + rnd.nextInt(READ_AGGREGATES);
      long start = System.nanoTime();
      List<Event> list = store.aggregateEvents(id, 0, false);
      long took = System.nanoTime() - start;
      if (list.size() != 100) {
        throw new IllegalStateException(id + " has " + list.size() + " events");
      }
      if (i >= 2000) {
        h.recordValue(took);
      }
    }
    return h;
  }
}

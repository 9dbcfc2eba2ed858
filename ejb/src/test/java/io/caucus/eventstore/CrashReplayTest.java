package io.caucus.eventstore;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.eventstore.infinispan.InfinispanStorageFactory;
import io.caucus.eventstore.infinispan.InfinispanStorageSettings;
import io.caucus.eventstore.storage.InMemoryStoragePort;
import io.caucus.eventstore.storage.StoragePort;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the store after its n-th single-key write, for every n, reopens the storage and replays the
 * log from the durable applied index: the result must read exactly like an uninterrupted run (the
 * argument is in {@link DefaultEventStore}'s class comment).
 */
class CrashReplayTest {

  @TempDir Path dir;

  private static DefaultEventStore reference(RandomLog log) {
    DefaultEventStore ref = DefaultEventStore.open("ref", new InMemoryStoragePort());
    log.applyAll(ref);
    return ref;
  }

  /** Total writes of an uninterrupted run. */
  private static long countWrites(RandomLog log) {
    CrashingStoragePort counting =
        new CrashingStoragePort(new InMemoryStoragePort(), Long.MAX_VALUE, 0);
    log.applyAll(DefaultEventStore.open("count", counting));
    return counting.writes();
  }

  /**
   * Runs the log against {@code storage} wrapped to crash after {@code n} writes, then reopens the
   * storage (through {@code reopen}) and replays.
   */
  private static void crashAndReplay(
      RandomLog log,
      DefaultEventStore ref,
      long n,
      StoragePort storage,
      Supplier<StoragePort> reopen) {
    CrashingStoragePort crashing = new CrashingStoragePort(storage, n, n);
    DefaultEventStore store;
    try {
      store = DefaultEventStore.open("crash", crashing);
    } catch (CrashingStoragePort.SimulatedCrash duringOpen) {
      store = null; // writing the new store's format record (write 0)
    }
    if (store != null) {
      DefaultEventStore opened = store;
      assertThrows(
          StorageFailureException.class, () -> log.applyAll(opened), "crash at write " + n);
      store.close();
    } else {
      crashing.close();
    }
    assertTrue(crashing.crashed());
    DefaultEventStore reopened = DefaultEventStore.open("crash", reopen.get());
    assertTrue(reopened.lastAppliedIndex() <= ref.lastAppliedIndex());
    log.replay(reopened);
    StoreComparison.assertSameReads(ref, reopened, log.aggregateIds, log.maxTimestamp);
    reopened.close();
  }

  @Test
  void crashAfterEveryWriteInMemoryThenReplayGivesTheSameStore() {
    RandomLog log = new RandomLog(21, 120, 8, 5);
    DefaultEventStore ref = reference(log);
    long total = countWrites(log);
    assertTrue(total > 300, "log too small: " + total);
    for (long n = 0; n < total; n++) {
      InMemoryStoragePort storage = new InMemoryStoragePort();
      crashAndReplay(log, ref, n, storage, () -> storage);
    }
  }

  @Test
  void crashAfterEveryWriteOnRealFilesThenReopenAndReplayGivesTheSameStore() {
    RandomLog log = new RandomLog(3, 14, 3, 3);
    DefaultEventStore ref = reference(log);
    long total = countWrites(log);
    assertTrue(total > 25, "log too small: " + total);
    try (InfinispanStorageFactory factory =
        new InfinispanStorageFactory(dir, new InfinispanStorageSettings(false, 0))) {
      for (long n = 0; n < total; n++) {
        String context = "c" + n;
        crashAndReplay(log, ref, n, factory.open(context), () -> factory.open(context));
      }
    }
  }
}

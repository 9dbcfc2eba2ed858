package io.caucus.eventstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.eventstore.infinispan.InfinispanStorageFactory;
import io.caucus.eventstore.infinispan.InfinispanStorageSettings;
import io.caucus.eventstore.storage.InMemoryStoragePort;
import io.caucus.eventstore.storage.StoragePort;
import io.caucus.testing.TestFiles;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store format record and the two key layouts ({@link StoreFormat}, {@link AggregateIndex}).
 *
 * <p>The fixture {@code fixtures/plain-key-store-a83070a/orders} (one context's Infinispan store,
 * 80 KB) was written by the code of commit a83070a, before format records and hashed keys: a
 * throwaway JUnit test in a detached worktree of that commit opened {@code
 * InfinispanStorageFactory(dir, new InfinispanStorageSettings(false, 100))}, context {@code
 * orders}, and applied {@link #LOG} entries 1-6 below (the same commands), then synced and closed.
 */
class StoreFormatTest {

  private static final InfinispanStorageSettings SETTINGS =
      new InfinispanStorageSettings(false, 100);

  private static final String LONG_ID = "x".repeat(4000);

  /** Entries 1-6 are the fixture's (index i+1 = LOG.get(i)); 7 is appended by the new code. */
  private static final List<byte[]> LOG =
      List.of(
          TestEvents.events("order-1", 0, 39, 1001),
          TestEvents.events("order-2", 0, 2, 1002),
          TestEvents.snapshotCommand("order-1", 39, 1003),
          TestEvents.events("order-2", 5, 5, 1004), // rejected: wrong sequence
          TestEvents.events(LONG_ID, 0, 0, 1005), // the longest id the old layout could key
          CommandCodec.encodeEvents(
              "default",
              List.of(
                  TestEvents.event("order-1", 40, 1006),
                  TestEvents.event("order-1", 41, 1006),
                  TestEvents.event("order-3", 0, 1006))),
          CommandCodec.encodeEvents(
              "default",
              Stream.concat(
                      Stream.of(TestEvents.event("order-2", 3, 1007)),
                      Stream.iterate(0L, s -> s + 1)
                          .limit(33)
                          .map(s -> TestEvents.event("order-4", s, 1007)))
                  .toList()));

  private static final List<String> AGGREGATES =
      List.of("order-1", "order-2", "order-3", "order-4", LONG_ID, "unknown");

  @TempDir Path dir;

  private static DefaultEventStore reference(int entries) {
    DefaultEventStore ref = DefaultEventStore.open("ref", new InMemoryStoragePort());
    for (int i = 0; i < entries; i++) {
      ref.apply(i + 1, LOG.get(i));
    }
    return ref;
  }

  private static int format(StoragePort port) {
    return StoreFormat.decode("test", port.meta().get(StoreFormat.KEY));
  }

  @Test
  void aStoreWrittenBeforeFormatRecordsReadsTheSameKeepsPlainKeysAndTakesAppends()
      throws Exception {
    copyFixture(dir);
    DefaultEventStore ref6 = reference(6);
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, SETTINGS)) {
      StoragePort port = factory.open("orders");
      assertNull(port.meta().get(StoreFormat.KEY), "the fixture predates format records");
      DefaultEventStore store = DefaultEventStore.open("orders", port);
      assertEquals(StoreFormat.PLAIN_KEYS, format(port), "recorded as the plain-key format");
      assertEquals(6, store.lastAppliedIndex());
      assertEquals(47, store.readEvents(0, 1000).size());
      assertEquals(41, store.highestSequence("order-1"));
      assertEquals(42, store.aggregateEvents("order-1", 0, false).size(), "across a full chunk");
      assertEquals(
          39, store.aggregateSnapshots("order-1", 0, 100, 10).get(0).aggregateSequenceNumber());
      assertEquals(0, store.highestSequence(LONG_ID));
      StoreComparison.assertSameReads(ref6, store, AGGREGATES, 0);
      assertEquals(ref6.tokenAt(1004), store.tokenAt(1004));

      ApplyResult next = store.apply(7, LOG.get(6));
      assertInstanceOf(ApplyResult.Accepted.class, next, "the next append works");
      assertNotNull(port.aggregates().get("order-4"), "a new aggregate goes to a plain key");
      assertNotNull(port.aggregateChunks().get("0/order-4"), "and its chunk too");
      assertNull(port.aggregates().get(AggregateIndex.hashKey("order-4")));
      StoreComparison.assertSameReads(reference(7), store, AGGREGATES, 0);
      store.close();
    }
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, SETTINGS)) {
      StoragePort port = factory.open("orders");
      DefaultEventStore store = DefaultEventStore.open("orders", port);
      assertEquals(StoreFormat.PLAIN_KEYS, format(port));
      StoreComparison.assertSameReads(reference(7), store, AGGREGATES, 0);
      assertInstanceOf(
          ApplyResult.Accepted.class, store.apply(8, TestEvents.events("order-3", 1, 1, 1008)));
      store.close();
    }
  }

  @Test
  void aSnapshotInstallMovesAPlainKeyStoreToTheCurrentFormat() throws Exception {
    copyFixture(dir);
    DefaultEventStore ref = reference(7);
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, SETTINGS)) {
      StoragePort port = factory.open("orders");
      DefaultEventStore store = DefaultEventStore.open("orders", port);
      // The old-layout store as a snapshot source: a new store reads like it.
      DefaultEventStore copy = DefaultEventStore.open("copy", new InMemoryStoragePort());
      transfer(store, copy);
      StoreComparison.assertSameReads(reference(6), copy, AGGREGATES, 0);
      // And as a receiver: emptied and rebuilt in hashed keys.
      transfer(ref, store);
      assertEquals(StoreFormat.HASHED_KEYS, format(port));
      assertNull(port.aggregates().get("order-1"));
      assertNotNull(port.aggregates().get(AggregateIndex.hashKey("order-1")));
      StoreComparison.assertSameReads(ref, store, AGGREGATES, 0);
      store.close();
    }
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, SETTINGS)) {
      StoragePort port = factory.open("orders");
      DefaultEventStore store = DefaultEventStore.open("orders", port);
      assertEquals(StoreFormat.HASHED_KEYS, format(port));
      StoreComparison.assertSameReads(ref, store, AGGREGATES, 0);
      store.close();
    }
  }

  private static void transfer(DefaultEventStore from, DefaultEventStore to) {
    List<byte[]> chunks = new ArrayList<>();
    try (StateSnapshotReader reader = from.openStateSnapshot(2048)) {
      for (byte[] c = reader.nextChunk(); c != null; c = reader.nextChunk()) {
        chunks.add(c);
      }
    }
    StateSnapshotInstaller installer = to.beginInstall();
    chunks.forEach(installer::accept);
    installer.finish();
  }

  @Test
  void aNewStoreIsInTheCurrentFormatWithFixedSizeKeysWhateverTheIdentifiersLength() {
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, SETTINGS)) {
      StoragePort port = factory.open("orders");
      DefaultEventStore store = DefaultEventStore.open("orders", port);
      assertEquals(StoreFormat.HASHED_KEYS, format(port));
      for (int i = 0; i < LOG.size(); i++) {
        store.apply(i + 1, LOG.get(i));
      }
      StoreComparison.assertSameReads(reference(7), store, AGGREGATES, 0);
      try (var heads = port.aggregates().entries();
          var chunks = port.aggregateChunks().entries()) {
        assertTrue(heads.allMatch(e -> e.getKey().length() == 22), "hashed head keys");
        assertTrue(chunks.allMatch(e -> e.getKey().length() < 32), "short chunk keys");
      }
      store.close();
    }
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, SETTINGS)) {
      StoragePort port = factory.open("orders");
      DefaultEventStore store = DefaultEventStore.open("orders", port);
      assertEquals(StoreFormat.HASHED_KEYS, format(port), "kept on reopen");
      StoreComparison.assertSameReads(reference(7), store, AGGREGATES, 0);
      store.close();
    }
  }

  @Test
  void anUnknownOrNewerFormatIsRefusedWithWhatToDo() {
    InMemoryStoragePort newer = new InMemoryStoragePort();
    newer.meta().put(StoreFormat.KEY, StoreFormat.encode(3));
    StorageFailureException e =
        assertThrows(StorageFailureException.class, () -> DefaultEventStore.open("c", newer));
    assertTrue(
        e.getMessage().contains("in format 3, this version of Caucus reads formats 1 and 2"),
        e.getMessage());
    assertArrayEquals(StoreFormat.encode(3), newer.meta().get(StoreFormat.KEY), "left as it was");

    InMemoryStoragePort garbage = new InMemoryStoragePort();
    garbage.meta().put(StoreFormat.KEY, new byte[] {1, 2, 3, 4, 5});
    e = assertThrows(StorageFailureException.class, () -> DefaultEventStore.open("c", garbage));
    assertTrue(e.getMessage().contains("format record is not one Caucus writes"), e.getMessage());
  }

  @Test
  void aggregatesWhoseHashesCollideNeverMix() {
    RandomLog log = new RandomLog(7, 300, 12, 40);
    DefaultEventStore ref = DefaultEventStore.open("ref", new InMemoryStoragePort());
    log.applyAll(ref);
    // Every identifier in one bucket, or in one of two: the worst cases of a weak hash.
    for (java.util.function.Function<String, String> hash :
        List.<java.util.function.Function<String, String>>of(
            id -> "same", id -> id.hashCode() % 2 == 0 ? "even" : "odd")) {
      InMemoryStoragePort port = new InMemoryStoragePort();
      DefaultEventStore colliding = DefaultEventStore.open("c", port, hash);
      log.applyAll(colliding);
      StoreComparison.assertSameReads(ref, colliding, log.aggregateIds, log.maxTimestamp);
      try (var heads = port.aggregates().entries()) {
        assertTrue(heads.count() <= 2, "aggregates share buckets");
      }
      // Reopened, and rebuilt from its own snapshot into another colliding store.
      colliding.close();
      DefaultEventStore reopened = DefaultEventStore.open("c", port, hash);
      StoreComparison.assertSameReads(ref, reopened, log.aggregateIds, log.maxTimestamp);
      DefaultEventStore installed = DefaultEventStore.open("d", new InMemoryStoragePort(), hash);
      transfer(reopened, installed);
      StoreComparison.assertSameReads(ref, installed, log.aggregateIds, log.maxTimestamp);
    }
  }

  @Test
  void hashKeysAreFixedSize() {
    assertEquals(22, AggregateIndex.hashKey("").length());
    assertEquals(22, AggregateIndex.hashKey("é".repeat(100_000)).length());
    assertTrue(!AggregateIndex.hashKey("a").equals(AggregateIndex.hashKey("b")));
  }

  private static void copyFixture(Path target) throws IOException, URISyntaxException {
    TestFiles.copyResource("/fixtures/plain-key-store-a83070a", target);
  }
}

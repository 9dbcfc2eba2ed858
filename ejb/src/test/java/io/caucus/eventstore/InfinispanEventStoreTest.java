package io.caucus.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.error.ErrorCode;
import io.caucus.eventstore.infinispan.InfinispanStorageFactory;
import io.caucus.eventstore.infinispan.InfinispanStorageSettings;
import io.caucus.eventstore.storage.InMemoryStorageFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Infinispan storage for real, on disk: restart, the same random log applied to an in-memory
 * and an Infinispan store reads the same, the context registry.
 */
class InfinispanEventStoreTest {

  @TempDir Path dir;

  /** Small heap limits so that reads also go through the file stores, not only the heap. */
  private static final InfinispanStorageSettings SMALL = new InfinispanStorageSettings(false, 100);

  @Test
  void restartOnRealFilesKeepsEverythingAndContinuesFromTheAppliedIndex() {
    RandomLog log = new RandomLog(11, 300, 20, 6);
    int half = 150;
    EventStore reference =
        DefaultEventStore.open("ref", new io.caucus.eventstore.storage.InMemoryStoragePort());
    log.applyTo(reference, 0, half);
    long lastApplied;
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, SMALL);
        EventStores stores = new EventStores(factory)) {
      EventStore store = stores.open("orders");
      log.applyTo(store, 0, half);
      lastApplied = store.lastAppliedIndex();
      assertTrue(lastApplied > 0);
    }
    assertTrue(Files.isDirectory(dir.resolve("orders").resolve("data")));
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, SMALL);
        EventStores stores = new EventStores(factory)) {
      EventStore store = stores.open("orders");
      assertEquals(reference.lastAppliedIndex(), store.lastAppliedIndex());
      StoreComparison.assertSameReads(reference, store, log.aggregateIds, log.maxTimestamp);
      // Entries already applied are ignored; the rest continues with the same tokens.
      assertInstanceOf(
          ApplyResult.AlreadyApplied.class,
          store.apply(log.items.get(0).index(), log.items.get(0).command()));
      assertEquals(
          log.applyTo(reference, half, log.items.size()),
          log.applyTo(store, half, log.items.size()));
      StoreComparison.assertSameReads(reference, store, log.aggregateIds, log.maxTimestamp);
    }
  }

  @Test
  void sameRandomLogOnInMemoryAndInfinispanStoresReadsTheSame() {
    RandomLog log = new RandomLog(5, 600, 40, 12);
    EventStore memory =
        DefaultEventStore.open("mem", new io.caucus.eventstore.storage.InMemoryStoragePort());
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, SMALL)) {
      EventStore disk = DefaultEventStore.open("disk", factory.open("disk"));
      List<ApplyResult> a = log.applyAll(memory);
      List<ApplyResult> b = log.applyAll(disk);
      assertEquals(a, b, "results");
      assertTrue(a.stream().anyMatch(r -> r instanceof ApplyResult.Rejected), "log has refusals");
      assertTrue(memory.lastToken() > 1000, "log has events: " + memory.lastToken());
      StoreComparison.assertSameReads(memory, disk, log.aggregateIds, log.maxTimestamp);
      disk.close();
    }
  }

  @Test
  void registryAnswersContextNotFoundAndRefusesBadNames() {
    try (EventStores stores = new EventStores(new InMemoryStorageFactory())) {
      EventStoreException e = assertThrows(EventStoreException.class, () -> stores.get("nope"));
      assertEquals(ErrorCode.CONTEXT_NOT_FOUND, e.code());
      assertTrue(e.getMessage().contains("nope"));
      assertEquals(
          ErrorCode.CONTEXT_NOT_FOUND,
          assertThrows(EventStoreException.class, () -> stores.close("nope")).code());
      assertEquals(
          ErrorCode.INVALID_REQUEST,
          assertThrows(EventStoreException.class, () -> stores.open("../x")).code());
      assertEquals(
          ErrorCode.INVALID_REQUEST,
          assertThrows(EventStoreException.class, () -> stores.open("")).code());
      EventStore s = stores.open("default");
      assertEquals(s, stores.open("default"));
      assertEquals(s, stores.get("default"));
      stores.close("default");
      assertEquals(
          ErrorCode.CONTEXT_NOT_FOUND,
          assertThrows(EventStoreException.class, () -> stores.get("default")).code());
    }
  }

  @Test
  void deletedContextIsGoneFromDisk() {
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, SMALL);
        EventStores stores = new EventStores(factory)) {
      stores.open("gone").apply(1, TestEvents.events("a", 0, 0, 1));
      assertTrue(Files.isDirectory(dir.resolve("gone")));
      stores.delete("gone");
      assertTrue(Files.notExists(dir.resolve("gone")));
      assertEquals(-1, stores.open("gone").lastToken());
    }
  }
}

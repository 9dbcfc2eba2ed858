package io.caucus.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.error.ErrorCode;
import io.caucus.eventstore.infinispan.InfinispanStorageFactory;
import io.caucus.eventstore.infinispan.InfinispanStorageSettings;
import io.caucus.eventstore.storage.InMemoryStoragePort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole-state-machine snapshots: produced in bounded chunks while appends go on, installed on
 * another store (on real files), which then reads exactly like the original at the snapshot's index
 * and continues from the log.
 */
class StateSnapshotTest {

  @TempDir Path dir;

  @Test
  void storeRebuiltFromSnapshotTakenDuringAppendsReadsLikeTheOriginal() {
    RandomLog log = new RandomLog(42, 900, 30, 40);
    int before = 500;
    DefaultEventStore source = DefaultEventStore.open("src", new InMemoryStoragePort());
    log.applyTo(source, 0, before);
    // The reference: exactly the entries the snapshot covers.
    DefaultEventStore reference = DefaultEventStore.open("ref", new InMemoryStoragePort());
    log.applyTo(reference, 0, before);

    List<byte[]> chunks = new ArrayList<>();
    int maxChunk = 4096;
    long included;
    try (StateSnapshotReader reader = source.openStateSnapshot(maxChunk)) {
      included = reader.lastIncludedIndex();
      int applied = before;
      byte[] chunk;
      while ((chunk = reader.nextChunk()) != null) {
        chunks.add(chunk);
        // Appends go on between chunks, touching the aggregates being streamed.
        if (applied < log.items.size()) {
          log.applyTo(source, applied, applied + 1);
          applied++;
        }
      }
      assertTrue(applied > before + 20, "appends happened during the snapshot: " + applied);
    }
    assertEquals(reference.lastAppliedIndex(), included);
    assertTrue(chunks.size() > 20, "many chunks: " + chunks.size());
    for (byte[] c : chunks) {
      assertTrue(c.length <= maxChunk + 1024, "chunk bounded: " + c.length);
    }

    try (InfinispanStorageFactory factory =
        new InfinispanStorageFactory(dir, new InfinispanStorageSettings(false, 0))) {
      DefaultEventStore target = DefaultEventStore.open("target", factory.open("target"));
      log.applyTo(target, 0, 50); // some stale state the install must replace
      StateSnapshotInstaller installer = target.beginInstall();
      // Nothing was removed, the data is on its way: a retryable 503, not retention's 410.
      EventStoreException whileInstalling =
          assertThrows(EventStoreException.class, () -> target.readEvents(0, 1));
      assertEquals(ErrorCode.STORE_INSTALLING, whileInstalling.code());
      assertEquals(503, whileInstalling.code().httpStatus());
      assertTrue(whileInstalling.getMessage().contains("target"), whileInstalling.getMessage());
      for (byte[] c : chunks) {
        installer.accept(c);
      }
      installer.finish();
      StoreComparison.assertSameReads(reference, target, log.aggregateIds, log.maxTimestamp);

      // The installed store continues from the log like the reference.
      assertEquals(
          log.applyTo(reference, before, log.items.size()),
          log.applyTo(target, before, log.items.size()));
      StoreComparison.assertSameReads(reference, target, log.aggregateIds, log.maxTimestamp);
      target.close();

      // And survives a restart.
      DefaultEventStore reopened = DefaultEventStore.open("target", factory.open("target"));
      StoreComparison.assertSameReads(reference, reopened, log.aggregateIds, log.maxTimestamp);
      reopened.close();
    }
  }

  @Test
  void corruptOrOutOfOrderChunksAreRefused() {
    RandomLog log = new RandomLog(1, 200, 10, 10);
    DefaultEventStore source = DefaultEventStore.open("src", new InMemoryStoragePort());
    log.applyAll(source);
    List<byte[]> chunks = new ArrayList<>();
    try (StateSnapshotReader reader = source.openStateSnapshot(2048)) {
      byte[] c;
      while ((c = reader.nextChunk()) != null) {
        chunks.add(c);
      }
    }
    DefaultEventStore target = DefaultEventStore.open("t", new InMemoryStoragePort());
    StateSnapshotInstaller installer = target.beginInstall();
    byte[] bad = chunks.get(0).clone();
    bad[bad.length / 2] ^= 1;
    assertTrue(
        assertThrows(EncodingException.class, () -> installer.accept(bad))
            .getMessage()
            .contains("checksum"));
    assertTrue(
        assertThrows(EncodingException.class, () -> installer.accept(chunks.get(1)))
            .getMessage()
            .contains("expected 0"));
    installer.accept(chunks.get(0));
    assertThrows(IllegalStateException.class, installer::finish);
    for (byte[] c : chunks.subList(1, chunks.size())) {
      installer.accept(c);
    }
    installer.finish();
    StoreComparison.assertSameReads(source, target, log.aggregateIds, log.maxTimestamp);
  }

  @Test
  void interruptedInstallLeavesAnEmptyStoreAfterReopen() {
    RandomLog log = new RandomLog(2, 100, 10, 10);
    DefaultEventStore source = DefaultEventStore.open("src", new InMemoryStoragePort());
    log.applyAll(source);
    InMemoryStoragePort storage = new InMemoryStoragePort();
    DefaultEventStore target = DefaultEventStore.open("t", storage);
    log.applyTo(target, 0, 30);
    StateSnapshotInstaller installer = target.beginInstall();
    try (StateSnapshotReader reader = source.openStateSnapshot(2048)) {
      installer.accept(reader.nextChunk());
    }
    target.close(); // "crash" before finish
    DefaultEventStore reopened = DefaultEventStore.open("t", storage);
    assertEquals(0, reopened.lastAppliedIndex());
    assertEquals(-1, reopened.lastToken());
    assertEquals(-1, reopened.highestSequence(log.aggregateIds.iterator().next()));
  }
}

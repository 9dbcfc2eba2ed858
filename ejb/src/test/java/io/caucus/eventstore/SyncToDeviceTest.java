package io.caucus.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.eventstore.infinispan.InfinispanStorageFactory;
import io.caucus.eventstore.infinispan.InfinispanStorageSettings;
import io.caucus.eventstore.storage.InMemoryStoragePort;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ContextStateMachine#syncToDevice()}: the index it returns is the one applied before the
 * sync, the call works on a fresh store (no data files yet) and between applies on real files, and
 * what was synced is there after a reopen. (That the bytes reach the platter on power loss cannot
 * be shown on this machine; the sync itself is FileChannel.force on every data file.)
 */
class SyncToDeviceTest {

  @TempDir Path dir;

  @Test
  void returnsTheAppliedIndexOnRealFilesAndOnTheHeap() {
    RandomLog log = new RandomLog(3, 200, 10, 5);
    EventStore memory = DefaultEventStore.open("mem", new InMemoryStoragePort());
    try (InfinispanStorageFactory factory =
        new InfinispanStorageFactory(dir, InfinispanStorageSettings.DEFAULT)) {
      EventStore disk = DefaultEventStore.open("disk", factory.open("disk"));
      assertEquals(0, disk.syncToDevice(), "fresh store: nothing applied, nothing to sync");
      int step = 50;
      for (int from = 0; from < log.items.size(); from += step) {
        int to = Math.min(log.items.size(), from + step);
        log.applyTo(disk, from, to);
        log.applyTo(memory, from, to);
        long applied = disk.lastAppliedIndex();
        assertTrue(applied > 0);
        assertEquals(applied, disk.syncToDevice());
        assertEquals(memory.lastAppliedIndex(), memory.syncToDevice());
      }
      disk.close();
    }
    try (InfinispanStorageFactory factory =
        new InfinispanStorageFactory(dir, InfinispanStorageSettings.DEFAULT)) {
      EventStore reopened = DefaultEventStore.open("disk", factory.open("disk"));
      assertEquals(memory.lastAppliedIndex(), reopened.lastAppliedIndex());
      StoreComparison.assertSameReads(memory, reopened, log.aggregateIds, log.maxTimestamp);
      reopened.close();
    }
  }
}

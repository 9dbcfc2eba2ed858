package io.caucus.eventstore.infinispan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.caucus.eventstore.storage.StoragePort;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Removals reach the file store also for keys that are not in memory: written before a restart, or
 * evicted. (Through a cache with IGNORE_RETURN_VALUES they did not, and the keys came back.)
 */
class InfinispanKeyValueMapTest {

  @TempDir Path dir;

  private StoragePort open(InfinispanStorageFactory factory) {
    return factory.open("c");
  }

  @Test
  void removeAndClearReachTheFileForKeysWrittenBeforeARestartOrEvicted() {
    InfinispanStorageSettings oneInMemory = new InfinispanStorageSettings(false, 1);
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, oneInMemory)) {
      StoragePort port = open(factory);
      for (long k = 0; k < 10; k++) {
        port.events().put(k, new byte[] {(byte) k});
      }
      port.aggregates().put("a", new byte[] {1});
      port.aggregates().put("b", new byte[] {2});
      port.events().remove(0L); // evicted from memory by the later puts
      assertNull(port.events().get(0L));
      port.close();
    }
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, oneInMemory)) {
      StoragePort port = open(factory);
      assertNull(port.events().get(0L), "still removed after a restart");
      port.events().remove(1L);
      assertNull(port.events().get(1L), "a key written before the restart");
      port.aggregates().clear();
      try (var left = port.aggregates().entries()) {
        assertEquals(0, left.count(), "cleared");
      }
      assertNotNull(port.events().get(2L), "other maps untouched");
      port.close();
    }
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, oneInMemory)) {
      StoragePort port = open(factory);
      assertNull(port.events().get(1L));
      assertNull(port.aggregates().get("a"));
      try (var left = port.events().entries()) {
        assertEquals(8, left.count());
      }
      port.close();
    }
  }
}

package io.caucus.eventstore.infinispan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.eventstore.storage.StoragePort;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data file whose last record was cut short (as a write failing on a full disk leaves it) is
 * repaired on open: the torn record goes, everything before it stays, the index is rebuilt. Whole
 * files and files that are not the store's records are left alone. On real Infinispan files.
 */
class TornTailRepairTest {

  private static final InfinispanStorageSettings SETTINGS = new InfinispanStorageSettings(false, 0);

  @TempDir Path dir;

  private static byte[] value(long k) {
    byte[] v = new byte[1000];
    Arrays.fill(v, (byte) k);
    return v;
  }

  private List<Path> dataFiles() throws IOException {
    try (Stream<Path> s = Files.walk(dir.resolve("c/data"))) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void aTornLastRecordIsCutAndEverythingBeforeItStays() throws IOException {
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, SETTINGS)) {
      StoragePort port = factory.open("c");
      for (long k = 0; k < 5; k++) {
        port.events().put(k, value(k));
      }
      port.close();
    }
    assertFalse(
        TornTailRepair.repair(dir.resolve("c/data"), dir.resolve("c/index")),
        "a whole file is not touched");
    assertTrue(Files.isDirectory(dir.resolve("c/index")), "nor its index");
    List<Path> files = dataFiles();
    assertEquals(1, files.size(), "one data file: " + files);
    Path file = files.get(0);
    long whole = Files.size(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(whole - 400); // into the value of the last record, key 4
    }

    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, SETTINGS)) {
      StoragePort port = factory.open("c");
      for (long k = 0; k < 4; k++) {
        assertArrayEquals(value(k), port.events().get(k), "record " + k);
      }
      assertNull(port.events().get(4L), "the torn record is gone");
      port.events().put(4L, value(4));
      port.close();
    }
    assertTrue(Files.size(file) < whole - 400, "cut at the torn record's start");
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, SETTINGS)) {
      StoragePort port = factory.open("c");
      assertArrayEquals(value(4), port.events().get(4L), "written again after the repair");
      try (var all = port.events().entries()) {
        assertEquals(5, all.count());
      }
      port.close();
    }
  }

  @Test
  void aFileThatIsNotRecordsIsLeftAlone() throws IOException {
    Path data = Files.createDirectories(dir.resolve("x/data"));
    Path odd = data.resolve("ispn12.0");
    byte[] bytes = new byte[100];
    Arrays.fill(bytes, (byte) 7);
    Files.write(odd, bytes);
    assertFalse(TornTailRepair.repair(data, dir.resolve("x/index")));
    assertArrayEquals(bytes, Files.readAllBytes(odd));
  }
}

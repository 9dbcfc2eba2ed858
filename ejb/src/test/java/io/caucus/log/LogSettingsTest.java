package io.caucus.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogSettingsTest {

  @Test
  void defaultsAreAxonServers() {
    LogSettings s = LogSettings.forGroup(Path.of(LogSettings.DEFAULT_FOLDER), "default");
    assertEquals(Path.of("./log/default"), s.directory());
    assertEquals(16L * 1024 * 1024, s.segmentSize());
    assertTrue(s.compactionEnabled());
    assertEquals(Duration.ofHours(1), s.retention());
    assertEquals("axoniq.axonserver.replication.log-storage-folder", LogSettings.FOLDER_PROPERTY);
  }

  @Test
  void groupNamesThatCouldEscapeTheFolderAreRefused() {
    Path root = Path.of("log");
    for (String bad : new String[] {"..", "../x", "a/b", "", ".hidden", "a\\b"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> LogSettings.forGroup(root, bad));
      assertTrue(e.getMessage().contains("letters"), e.getMessage());
    }
    assertEquals(root.resolve("_admin"), LogSettings.forGroup(root, "_admin").directory());
  }

  @Test
  void segmentSizeAndRetentionAreChecked() {
    LogSettings s = LogSettings.forGroup(Path.of("log"), "g");
    assertThrows(IllegalArgumentException.class, () -> s.withSegmentSize(100));
    assertThrows(IllegalArgumentException.class, () -> s.withSegmentSize(2L << 30));
    assertThrows(IllegalArgumentException.class, () -> s.withRetention(Duration.ofHours(-1)));
    assertEquals(4096, s.withSegmentSize(4096).segmentSize());
  }
}

package io.caucus.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.caucus.cluster.transport.NodeAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownNodesFileTest {

  @TempDir Path dir;

  private static final NodeAddress CONFIGURED = new NodeAddress("10.0.0.1", 8224);
  private static final NodeAddress SELF = new NodeAddress("10.0.0.9", 8224);

  @Test
  void configuredFirstThenTheFileThenSelfEachOnce() throws Exception {
    Files.writeString(dir.resolve("known-nodes"), "10.0.0.1:8224\n\n10.0.0.2:9000\n10.0.0.3\n");
    assertEquals(
        List.of(
            CONFIGURED, new NodeAddress("10.0.0.2", 9000), new NodeAddress("10.0.0.3", 8224), SELF),
        new KnownNodesFile(dir).addresses(List.of(CONFIGURED), SELF));
  }

  @Test
  void withoutAFileOnlyTheConfiguredAndSelf() {
    assertEquals(
        List.of(CONFIGURED, SELF), new KnownNodesFile(dir).addresses(List.of(CONFIGURED), SELF));
  }

  @Test
  void anUnreadableFileIsIgnored() throws Exception {
    Files.writeString(dir.resolve("known-nodes"), "not an address:port:x\n");
    assertEquals(
        List.of(CONFIGURED, SELF), new KnownNodesFile(dir).addresses(List.of(CONFIGURED), SELF));
  }
}

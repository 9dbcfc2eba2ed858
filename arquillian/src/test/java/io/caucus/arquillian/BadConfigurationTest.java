package io.caucus.arquillian;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A node with a configuration it cannot use stops, and says why: the message names the property or
 * the path. Real Payara Micro processes started with bin/caucus.
 */
class BadConfigurationTest {

  private static final NodeProcess.Layout LAYOUT =
      new NodeProcess.Layout(
          Path.of(System.getProperty("caucus.test.dir"), "bad-config-" + System.nanoTime()),
          TestPorts.port(54),
          TestPorts.port(154),
          TestPorts.port(254));

  @Test
  void anUnparseablePortStopsTheNodeNamingTheProperty() throws Exception {
    try (NodeProcess node = new NodeProcess(LAYOUT, 1)) {
      node.start("-Daxoniq.axonserver.internal-port=82x4");
      int exit = node.awaitExit(Duration.ofSeconds(180));
      String out = node.outputText();
      assertNotEquals(-1, exit, "the node must stop; output:\n" + tail(out));
      assertNotEquals(0, exit, "a failed start must not exit with 0");
      assertTrue(
          out.contains("Caucus cannot start")
              && out.contains("axoniq.axonserver.internal-port")
              && out.contains("82x4"),
          "the message names the property and the value:\n" + tail(out));
    }
  }

  @Test
  void aDataDirectoryThatCannotBeWrittenStopsTheNodeNamingThePath() throws Exception {
    Files.createDirectories(LAYOUT.runDir());
    // Below a regular file no directory can be created, not even by root.
    Path blocker = Files.writeString(LAYOUT.runDir().resolve("not-a-directory"), "x");
    Path data = blocker.resolve("data");
    try (NodeProcess node = new NodeProcess(LAYOUT, 2)) {
      node.start("-Daxoniq.axonserver.event.storage=" + data);
      int exit = node.awaitExit(Duration.ofSeconds(180));
      String out = node.outputText();
      assertNotEquals(-1, exit, "the node must stop; output:\n" + tail(out));
      assertTrue(
          out.contains("Caucus cannot start") && out.contains(data.toString()),
          "the message names the path:\n" + tail(out));
    }
  }

  static String tail(String text) {
    return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
  }
}

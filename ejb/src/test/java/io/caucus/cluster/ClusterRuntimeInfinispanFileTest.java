package io.caucus.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.cluster.admin.NodeInfo;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's runtime builds its event storage from the Infinispan file its settings name: a file that
 * turns JMX on under a domain of its own shows as Infinispan MBeans in that domain while the
 * runtime runs (the built-in file has JMX off).
 */
class ClusterRuntimeInfinispanFileTest {

  private static final String DOMAIN = "caucus-ispn-file-test";

  @TempDir Path dir;

  @Test
  void theRuntimeUsesTheConfiguredInfinispanFile() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("jmx.xml"),
            "<infinispan xmlns=\"urn:infinispan:config:16.1\">"
                + "<cache-container name=\"caucus\"><jmx enabled=\"true\" domain=\""
                + DOMAIN
                + "\"/><local-cache-configuration name=\"caucus-event-store\">"
                + "<persistence><file-store/></persistence></local-cache-configuration>"
                + "</cache-container></infinispan>");
    MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    ObjectName inDomain = new ObjectName(DOMAIN + ":*");
    assertTrue(mbeans.queryNames(inDomain, null).isEmpty(), "nothing there before the start");
    // Node 1 of a free three-node range: its internal port and failure-detection port (+ 100).
    int port = LoopbackPorts.freeBaseForThreeNodes() + 1;
    ClusterSettings settings =
        ClusterSettings.builder(
                new NodeInfo("n1", "127.0.0.1", "127.0.0.1", 1, port, 2),
                dir.resolve("data"),
                dir.resolve("log"))
            .tickMillis(50)
            .requestTimeout(Duration.ofSeconds(5))
            .infinispanConfigFile(file)
            .build();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    try (ClusterRuntime runtime =
        new ClusterRuntime(settings, Executors.defaultThreadFactory(), scheduler)) {
      runtime.start(true);
      assertFalse(
          mbeans.queryNames(inDomain, null).isEmpty(),
          "the file's JMX domain holds Infinispan's MBeans");
    } finally {
      scheduler.shutdownNow();
    }
    assertTrue(mbeans.queryNames(inDomain, null).isEmpty(), "closed with the runtime");
  }
}

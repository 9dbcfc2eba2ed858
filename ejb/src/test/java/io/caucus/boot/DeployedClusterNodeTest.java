package io.caucus.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.cluster.ClusterRuntime;
import io.caucus.cluster.ClusterSettings;
import io.caucus.cluster.ContextNotFoundException;
import io.caucus.cluster.NodeStartingException;
import io.caucus.cluster.admin.NodeInfo;
import io.caucus.eventstore.ApplyResult;
import io.caucus.eventstore.CommandCodec;
import io.caucus.eventstore.Event;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up window as {@code io.caucus.api} sees it through {@link DeployedClusterNode}, over a
 * real {@link ClusterRuntime} (real JGroups channel, Infinispan file store, log files): until the
 * node knows its cluster structure, a context is "starting", never "not found" (issue 8 §3).
 */
class DeployedClusterNodeTest {

  @TempDir Path dir;

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

  /** The start-up bean with the runtime the test starts itself, as ClusterHost does deployed. */
  private static final class TestStartup extends StartupBean {
    volatile ClusterRuntime runtime;
    volatile NodeState state = NodeState.STARTING;
    volatile String detail = "reading the configuration";

    @Override
    public Optional<ClusterRuntime> runtime() {
      return Optional.ofNullable(runtime);
    }

    @Override
    public NodeState state() {
      return state;
    }

    @Override
    public String detail() {
      return detail;
    }
  }

  private final TestStartup startup = new TestStartup();
  private final DeployedClusterNode node = new DeployedClusterNode();

  @AfterEach
  void stop() {
    if (startup.runtime != null) {
      startup.runtime.close();
    }
    scheduler.shutdownNow();
  }

  private ClusterRuntime runtime(String name) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ClusterSettings settings =
        ClusterSettings.builder(
                new NodeInfo(name, "127.0.0.1", "127.0.0.1", 1, port, 2),
                dir.resolve(name + "/data"),
                dir.resolve(name + "/log"))
            .tickMillis(50)
            .requestTimeout(Duration.ofSeconds(5))
            .build();
    return new ClusterRuntime(settings, Executors.defaultThreadFactory(), scheduler);
  }

  private static byte[] oneEvent() {
    return CommandCodec.encodeEvents(
        "default",
        List.of(
            new Event("m1", "order-1", "Order", 0, 1L, "Placed", "", new byte[] {1}, Map.of())));
  }

  @Test
  void beforeTheRuntimeRunsEveryContextOperationSaysTheNodeIsStarting() {
    node.startup = startup;
    NodeStartingException e =
        assertThrows(
            NodeStartingException.class,
            () -> node.append("default", oneEvent(), Duration.ofSeconds(1)));
    assertEquals("reading the configuration", e.getMessage());
    assertThrows(NodeStartingException.class, () -> node.store("default"));
    assertThrows(
        NodeStartingException.class,
        () -> node.highestSequenceFromLeader("default", "order-1", Duration.ofSeconds(1)));
    assertEquals(Optional.of("reading the configuration"), node.notReadyBecause());
    assertEquals("STARTING", node.startupState());
  }

  @Test
  void untilTheStructureIsKnownAContextIsStartingNotUnknown() throws Exception {
    node.startup = startup;
    ClusterRuntime runtime = runtime("n1");
    runtime.start(false); // not bootstrapped, nobody to learn _admin from: no structure, ever
    startup.runtime = runtime;
    startup.state = NodeState.RUNNING;
    startup.detail = "resuming from the state on disk";
    NodeStartingException e =
        assertThrows(NodeStartingException.class, () -> node.store("default"));
    assertTrue(e.getMessage().contains("structure is not known"), e.getMessage());
    assertThrows(
        NodeStartingException.class,
        () -> node.aggregateEventsFromLeader("nope", "order-1", 0, false, Duration.ofSeconds(1)));
    assertThrows(
        NodeStartingException.class,
        () -> node.append("default", oneEvent(), Duration.ofSeconds(1)));
  }

  @Test
  void onceTheStructureIsKnownAnUnknownContextIsNotFoundAndAppendsWork() throws Exception {
    node.startup = startup;
    ClusterRuntime runtime = runtime("n1");
    runtime.start(true);
    runtime.initialise(List.of("default"));
    startup.runtime = runtime;
    startup.state = NodeState.RUNNING;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (node.notReadyBecause().isPresent()) {
      assertTrue(System.nanoTime() < deadline, "not ready: " + node.notReadyBecause());
      Thread.sleep(50);
    }
    assertTrue(node.store("default").isPresent());
    assertThrows(ContextNotFoundException.class, () -> node.store("nope"));
    ApplyResult r = node.append("default", oneEvent(), Duration.ofSeconds(10));
    assertInstanceOf(ApplyResult.Accepted.class, r);
    assertEquals(0, node.highestSequenceFromLeader("default", "order-1", Duration.ofSeconds(10)));
  }
}

package io.caucus.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.cluster.admin.NodeInfo;
import io.caucus.cluster.transport.NodeAddress;
import io.caucus.eventstore.CommandCodec;
import io.caucus.eventstore.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** What the tests that run several {@link ClusterRuntime}s in one JVM share. */
final class RuntimeTestSupport {

  private RuntimeTestSupport() {}

  /** Node n on loopback, its internal port at {@code basePort + n}. */
  static NodeInfo nodeInfo(int n, int basePort) {
    return new NodeInfo("n" + n, "127.0.0.1", "127.0.0.1", 29124 + n, basePort + n, 29024 + n);
  }

  /**
   * Test settings of node n (see {@link #nodeInfo}) with folders under {@code dir}: 50 ms ticks, a
   * 5 s request timeout, and node 1 as the one known node.
   */
  static ClusterSettings.Builder settings(int n, int basePort, Path dir) {
    return ClusterSettings.builder(
            nodeInfo(n, basePort), dir.resolve("n" + n + "/data"), dir.resolve("n" + n + "/log"))
        .tickMillis(50)
        .requestTimeout(Duration.ofSeconds(5))
        .knownNodes(List.of(new NodeAddress("127.0.0.1", basePort + 1)));
  }

  /** Polls {@code condition} until it holds; fails naming {@code what} after {@code timeout}. */
  static void await(BooleanSupplier condition, String what, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within " + timeout.toSeconds() + " s: " + what);
      Thread.sleep(50);
    }
  }

  /** One transaction of {@code count} events of {@code aggregate} from {@code firstSeq} on. */
  static byte[] events(String aggregate, long firstSeq, int count) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(
          new Event(
              aggregate + "-" + (firstSeq + i),
              aggregate,
              "Agg",
              firstSeq + i,
              1L,
              "E",
              "",
              new byte[] {(byte) i},
              Map.of()));
    }
    return CommandCodec.encodeEvents("default", events);
  }

  /**
   * One transaction of one event of {@code aggregate} at {@code seq} with a payload of that size.
   */
  static byte[] event(String aggregate, long seq, byte[] payload) {
    return CommandCodec.encodeEvents(
        "default",
        List.of(
            new Event(
                aggregate + "-" + seq, aggregate, "Agg", seq, 1L, "E", "", payload, Map.of())));
  }
}

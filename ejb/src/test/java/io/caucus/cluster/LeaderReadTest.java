package io.caucus.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.cluster.admin.AdminCommand;
import io.caucus.cluster.admin.AdminResult;
import io.caucus.cluster.transport.NodeAddress;
import io.caucus.consensus.NodeState;
import io.caucus.eventstore.ApplyResult;
import io.caucus.eventstore.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads forced to the leader ("force read from leader") on real runtimes: JGroups on loopback, file
 * logs and Infinispan stores on disk. Shows that such a read sees every acknowledged append at
 * once, that it is served by the leader (a node without a copy of the context answers it), and that
 * a leader that lost its quorum does not answer it.
 */
class LeaderReadTest {

  private static final Logger LOG = Logger.getLogger(LeaderReadTest.class.getName());

  /** Internal ports are BASE_PORT + n, failure detection BASE_PORT + n + 100: all free. */
  private static final int BASE_PORT = LoopbackPorts.freeBaseForThreeNodes();

  @TempDir Path dir;

  private final List<ClusterRuntime> runtimes = new ArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

  @AfterEach
  void stop() {
    runtimes.forEach(ClusterRuntime::close);
    scheduler.shutdownNow();
  }

  private ClusterRuntime runtime(int n) {
    ClusterSettings settings =
        RuntimeTestSupport.settings(n, BASE_PORT, dir)
            // A leader that loses its quorum steps down only after the max election timeout; 3 s
            // leaves room to stop its followers and time a forced read out while it still leads.
            .electionMillis(1000, 3000)
            .build();
    ClusterRuntime r = new ClusterRuntime(settings, Executors.defaultThreadFactory(), scheduler);
    runtimes.add(r);
    return r;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    RuntimeTestSupport.await(condition, what, Duration.ofSeconds(60));
  }

  private static byte[] event(String aggregate, long seq) {
    return RuntimeTestSupport.event(aggregate, seq, new byte[] {(byte) seq});
  }

  private List<ClusterRuntime> threeNodes() throws InterruptedException {
    ClusterRuntime first = runtime(1);
    first.start(true);
    first.initialise(List.of("default"));
    for (int n = 2; n <= 3; n++) {
      ClusterRuntime r = runtime(n);
      r.start(false);
      r.joinAutocluster(new NodeAddress("127.0.0.1", BASE_PORT + 1), List.of("default"));
    }
    for (ClusterRuntime r : runtimes) {
      await(() -> r.notReadyBecause().isEmpty(), r.name() + " ready: " + r.notReadyBecause());
    }
    await(
        () ->
            runtimes.stream()
                .allMatch(r -> r.group("default").orElseThrow().membership().roles().size() == 3),
        "default has three members in RAFT on every node");
    return List.copyOf(runtimes);
  }

  private static ClusterRuntime leaderOf(List<ClusterRuntime> nodes) {
    return nodes.stream()
        .filter(r -> r.group("default").orElseThrow().state() == NodeState.LEADER)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aForcedReadThroughAFollowerSeesEveryAcknowledgedAppendAndNeedsALeaderWithAQuorum()
      throws Exception {
    List<ClusterRuntime> nodes = threeNodes();
    ClusterRuntime leader = leaderOf(nodes);
    List<ClusterRuntime> followers = nodes.stream().filter(r -> r != leader).toList();
    ClusterRuntime follower = followers.get(0);
    Duration timeout = Duration.ofSeconds(5);

    int iterations = 60;
    int localCopyBehind = 0;
    for (int i = 0; i < iterations; i++) {
      assertInstanceOf(
          ApplyResult.Accepted.class, leader.append("default", event("a", i), timeout));
      // What the follower's own copy shows right now; the forced read must not depend on it.
      long local = follower.store("default").orElseThrow().highestSequence("a");
      if (local < i) {
        localCopyBehind++;
      }
      assertEquals(i, follower.highestSequenceFromLeader("default", "a", timeout), "after " + i);
      List<Event> events = follower.aggregateEventsFromLeader("default", "a", 0, false, timeout);
      assertEquals(i + 1, events.size(), "events after append " + i);
      for (int s = 0; s <= i; s++) {
        assertEquals(s, events.get(s).aggregateSequenceNumber());
        assertEquals("a-" + s, events.get(s).messageId());
      }
    }
    int behind = localCopyBehind;
    LOG.info(
        () ->
            "the follower's own copy lagged behind an acknowledged append in "
                + behind
                + " of "
                + iterations
                + " iterations; every forced read was complete");
    // On the leader itself the forced read is served locally after the barrier.
    assertEquals(iterations - 1, leader.highestSequenceFromLeader("default", "a", timeout));
    assertEquals(-1, follower.highestSequenceFromLeader("default", "nobody", timeout));
    assertThrows(
        ContextNotFoundException.class,
        () -> follower.highestSequenceFromLeader("nowhere", "a", timeout));

    // The leader loses both followers: until check-quorum makes it step down it still believes it
    // leads and its own copy is complete, but it cannot confirm that with a quorum, so it must not
    // answer; a read forced to the leader fails within the timeout.
    long closing = System.nanoTime();
    followers.parallelStream().forEach(ClusterRuntime::close);
    long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
    LOG.info(() -> "followers stopped in " + closeMillis + " ms");
    assertEquals(
        NodeState.LEADER,
        leader.group("default").orElseThrow().state(),
        "still leader " + closeMillis + " ms after its followers stopped");
    Duration short_ = Duration.ofMillis(1500);
    long started = System.nanoTime();
    NotLeaderException e =
        assertThrows(
            NotLeaderException.class,
            () -> leader.aggregateEventsFromLeader("default", "a", 0, false, short_));
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertTrue(took < 3500, "failed after " + took + " ms, the timeout was 1500 ms");
    assertTrue(e.retryable(), e.getMessage());
    // The default (local) read still answers from this node's copy.
    assertEquals(
        iterations - 1, leader.store("default").orElseThrow().highestSequence("a"), "local read");
  }

  @Test
  void aNodeWithoutACopyOfTheContextGetsTheForcedReadFromTheLeader() throws Exception {
    ClusterRuntime first = runtime(1);
    first.start(true);
    first.initialise(List.of("default"));
    await(() -> first.notReadyBecause().isEmpty(), "first ready: " + first.notReadyBecause());
    await(() -> first.structure().context("default").isPresent(), "context default created");
    ClusterRuntime other = runtime(2);
    other.start(false);
    AdminResult registered =
        other
            .admin(new AdminCommand.RegisterNode(RuntimeTestSupport.nodeInfo(2, BASE_PORT)), "n1")
            .get(20, TimeUnit.SECONDS);
    assertTrue(registered.isOk(), registered.toString());
    await(() -> other.notReadyBecause().isEmpty(), "n2 knows the structure");
    assertTrue(other.store("default").isEmpty(), "n2 stores no events of default");

    Duration timeout = Duration.ofSeconds(5);
    for (int i = 0; i < 5; i++) {
      assertInstanceOf(ApplyResult.Accepted.class, first.append("default", event("b", i), timeout));
    }
    List<Event> events = other.aggregateEventsFromLeader("default", "b", 2, false, timeout);
    assertEquals(List.of(2L, 3L, 4L), events.stream().map(Event::aggregateSequenceNumber).toList());
    assertEquals(4, other.highestSequenceFromLeader("default", "b", timeout));
    // Only the leader answers: n2 does not lead default, so asking it directly is refused.
    assertThrows(NotLeaderException.class, () -> other.awaitLeaderRead("default", timeout));
    assertTrue(first.awaitLeaderRead("default", timeout) > 0);
  }
}

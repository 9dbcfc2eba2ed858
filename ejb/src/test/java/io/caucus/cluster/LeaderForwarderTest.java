package io.caucus.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.cluster.admin.AdminCommand;
import io.caucus.cluster.admin.AdminCommandCodec;
import io.caucus.cluster.admin.AdminStateMachine;
import io.caucus.cluster.admin.ClusterStructure;
import io.caucus.cluster.admin.NodeInfo;
import io.caucus.cluster.rpc.AppendReply;
import io.caucus.cluster.rpc.LeaderRead;
import io.caucus.cluster.rpc.LeaderRequest;
import io.caucus.cluster.rpc.NotLeaderReply;
import io.caucus.cluster.rpc.RpcCodec;
import io.caucus.cluster.rpc.Services;
import io.caucus.cluster.transport.JGroupsTransport;
import io.caucus.cluster.transport.NodeAddress;
import io.caucus.cluster.transport.TransportConfig;
import io.caucus.cluster.transport.TransportException;
import io.caucus.consensus.Role;
import io.caucus.eventstore.ApplyResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retry rules of {@link LeaderForwarder} over two real JGroups transports on loopback: node "a"
 * forwards, node "b" plays the leader of group {@code g} with handlers that answer as the test says
 * (no runner runs on "a", so every request goes over the wire).
 */
class LeaderForwarderTest {

  private static final int BASE = LoopbackPorts.freeBaseForThreeNodes();

  private final List<JGroupsTransport> transports = new ArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final AtomicInteger calls = new AtomicInteger();
  private JGroupsTransport a;
  private JGroupsTransport b;
  private LeaderForwarder forwarder;

  private static NodeInfo node(String name, int port) {
    return new NodeInfo(name, "127.0.0.1", "127.0.0.1", 1, port, 2);
  }

  /** g led by b; g2 with its only primary "ghost", registered but never started. */
  private static ClusterStructure structure() {
    AdminStateMachine sm = new AdminStateMachine();
    long index = 0;
    for (AdminCommand c :
        List.of(
            new AdminCommand.InitCluster(node("a", BASE + 1)),
            new AdminCommand.RegisterNode(node("b", BASE + 2)),
            new AdminCommand.RegisterNode(node("ghost", BASE + 3)),
            new AdminCommand.CreateReplicationGroup("g", Map.of("b", Role.PRIMARY)),
            new AdminCommand.CreateReplicationGroup("g2", Map.of("ghost", Role.PRIMARY)))) {
      assertTrue(sm.apply(++index, AdminCommandCodec.encode(c)).isOk(), c.toString());
    }
    return sm.structure();
  }

  private JGroupsTransport start(String name, int port) {
    JGroupsTransport t =
        new JGroupsTransport(
            TransportConfig.builder(name)
                .clusterName("forwarder-" + BASE)
                .bindHost("127.0.0.1")
                .bindPort(port)
                .initialHost(new NodeAddress("127.0.0.1", BASE + 1))
                .initialHost(new NodeAddress("127.0.0.1", BASE + 2))
                .joinTimeout(Duration.ofMillis(500))
                .mergeMaxInterval(Duration.ofSeconds(2))
                .build());
    transports.add(t);
    t.start();
    return t;
  }

  @BeforeEach
  void startTwoNodes() throws InterruptedException {
    a = start("a", BASE + 1);
    b = start("b", BASE + 2);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!a.reachableNodes().equals(Set.of("a", "b"))
        || !b.reachableNodes().equals(Set.of("a", "b"))) {
      assertTrue(System.nanoTime() < deadline, "no view of a and b");
      Thread.sleep(50);
    }
    ClusterStructure structure = structure();
    forwarder =
        new LeaderForwarder(
            "a",
            a,
            group -> null,
            () -> structure,
            context -> Optional.empty(),
            scheduler,
            Duration.ofMillis(300),
            LeaderForwarder.RetryPolicy.DEFAULT,
            System::nanoTime);
  }

  @AfterEach
  void stop() {
    transports.forEach(JGroupsTransport::close);
    scheduler.shutdownNow();
  }

  private static LeaderRequest.Append append(String group) {
    return new LeaderRequest.Append(group, new byte[] {1, 2, 3});
  }

  @Test
  void notLeaderAnswersAreAskedAgainUntilTheLeaderServes() throws Exception {
    b.registerService(
        Services.APPEND,
        (from, payload) -> {
          assertEquals("g", RpcCodec.decodeAppend(payload).group());
          AppendReply reply =
              calls.incrementAndGet() < 3
                  ? new NotLeaderReply("g", null, "election in progress", true)
                  : new AppendReply.Applied(new ApplyResult.Accepted(7, 40, 1));
          return CompletableFuture.completedFuture(RpcCodec.encodeAppendReply(reply));
        });
    ApplyResult result = forwarder.call(append("g"), Duration.ofSeconds(5));
    assertEquals(new ApplyResult.Accepted(7, 40, 1), result);
    assertEquals(3, calls.get());
  }

  @Test
  void aRefusalThatMayHaveTakenEffectIsNotSentAgain() {
    b.registerService(
        Services.APPEND,
        (from, payload) -> {
          calls.incrementAndGet();
          return CompletableFuture.completedFuture(
              RpcCodec.encodeAppendReply(new NotLeaderReply("g", "b", "lost leadership", false)));
        });
    NotLeaderException e =
        assertThrows(
            NotLeaderException.class, () -> forwarder.call(append("g"), Duration.ofSeconds(5)));
    assertFalse(e.retryable());
    assertEquals(1, calls.get());
  }

  @Test
  void anAppendWhoseAnswerIsLostIsNotSentAgain() {
    b.registerService(
        Services.APPEND,
        (from, payload) -> {
          calls.incrementAndGet();
          return new CompletableFuture<>(); // never answers: the request times out at "a"
        });
    assertThrows(
        TransportException.class, () -> forwarder.call(append("g"), Duration.ofSeconds(5)));
    assertEquals(1, calls.get());
  }

  @Test
  void aReadWhoseAnswerIsLostIsAskedAgainUntilTheDeadline() {
    b.registerService(
        Services.READ,
        (from, payload) -> {
          calls.incrementAndGet();
          return new CompletableFuture<>();
        });
    LeaderRequest.Read read =
        new LeaderRequest.Read("g", new LeaderRead.HighestSequence("c", "order-1"));
    NotLeaderException e =
        assertThrows(NotLeaderException.class, () -> forwarder.call(read, Duration.ofSeconds(2)));
    assertTrue(e.retryable());
    assertTrue(calls.get() >= 2, "asked " + calls.get() + " times");
  }

  @Test
  void aGroupWithoutAReachablePrimaryIsWaitedForUntilTheDeadline() {
    long started = System.nanoTime();
    NotLeaderException e =
        assertThrows(
            NotLeaderException.class, () -> forwarder.call(append("g2"), Duration.ofSeconds(1)));
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(e.retryable());
    assertTrue(elapsedMillis >= 500, "gave up after " + elapsedMillis + " ms");
  }

  @Test
  void aHintTowardsANodeOutsideTheViewIsNotSentToButTheGroupIsAskedAgain() {
    b.registerService(
        Services.APPEND,
        (from, payload) -> {
          calls.incrementAndGet();
          return CompletableFuture.completedFuture(
              RpcCodec.encodeAppendReply(new NotLeaderReply("g", "ghost", "moved", true)));
        });
    NotLeaderException e =
        assertThrows(
            NotLeaderException.class, () -> forwarder.call(append("g"), Duration.ofSeconds(1)));
    assertTrue(e.retryable());
    // b, then the hint "ghost" (not in the view: refused here, never sent), then b again, ...
    assertTrue(calls.get() >= 2, "b asked " + calls.get() + " times");
  }
}

package io.caucus.cluster.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real JGroups channels on 127.0.0.1, on free ports, in this JVM. */
class JGroupsTransportTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<JGroupsTransport> transports = new ArrayList<>();

  @AfterEach
  void closeAll() {
    transports.forEach(JGroupsTransport::close);
  }

  @Test
  void twoNodesExchangeMessagesOfSeveralGroupsInSenderOrder() throws Exception {
    int[] ports = freePorts(2);
    JGroupsTransport a = start("a", ports[0], ports);
    JGroupsTransport b = start("b", ports[1], ports);
    awaitView(Set.of("a", "b"), a, b);

    Received onB1 = new Received();
    Received onB2 = new Received();
    Received onA1 = new Received();
    b.register("g1", onB1);
    b.register("g2", onB2);
    a.register("g1", onA1);

    int n = 2000;
    for (int i = 0; i < n; i++) {
      assertTrue(a.send("g1", "b", seq(i)));
      assertTrue(a.send("g2", "b", seq(-i)));
    }
    assertTrue(b.send("g1", "a", seq(42)));

    await(() -> onB1.count() == n && onB2.count() == n && onA1.count() == 1);
    assertEquals(range(0, n, 1), onB1.sequenceFrom("a"));
    assertEquals(range(0, n, -1), onB2.sequenceFrom("a"));
    assertEquals(List.of(42), onA1.sequenceFrom("b"));
    await(() -> b.stats().delivered() == 2L * n); // counted after the handler returns
  }

  @Test
  void threeNodesKeepEachSendersOrderTowardsOneReceiver() throws Exception {
    int[] ports = freePorts(3);
    JGroupsTransport a = start("a", ports[0], ports);
    JGroupsTransport b = start("b", ports[1], ports);
    JGroupsTransport c = start("c", ports[2], ports);
    awaitView(Set.of("a", "b", "c"), a, b, c);

    Received onC = new Received();
    Received onA = new Received();
    c.register("g", onC);
    a.register("g", onA);
    int n = 1000;
    Thread fromA = new Thread(() -> sendAll(a, "c", n));
    Thread fromB = new Thread(() -> sendAll(b, "c", n));
    fromA.start();
    fromB.start();
    fromA.join();
    fromB.join();
    c.send("g", "a", seq(7));

    await(() -> onC.count() == 2 * n && onA.count() == 1);
    assertEquals(range(0, n, 1), onC.sequenceFrom("a"));
    assertEquals(range(0, n, 1), onC.sequenceFrom("b"));
    assertEquals(List.of(7), onA.sequenceFrom("c"));
  }

  @Test
  void messageForUnknownGroupIsCountedAndLaterMessagesStillArrive() throws Exception {
    int[] ports = freePorts(2);
    JGroupsTransport a = start("a", ports[0], ports);
    JGroupsTransport b = start("b", ports[1], ports);
    awaitView(Set.of("a", "b"), a, b);
    Received onB = new Received();
    b.register("known", onB);

    assertTrue(a.send("nobody-here", "b", seq(1)));
    assertTrue(a.send("known", "b", seq(2)));

    await(() -> onB.count() == 1);
    assertEquals(List.of(2), onB.sequenceFrom("a"));
    assertEquals(1, b.stats().droppedUnknownGroup());

    b.unregister("known");
    a.send("known", "b", seq(3));
    await(() -> b.stats().droppedUnknownGroup() == 2);
    assertEquals(1, onB.count());
  }

  @Test
  void handlerThatThrowsIsCountedAndDoesNotStopDelivery() throws Exception {
    int[] ports = freePorts(2);
    JGroupsTransport a = start("a", ports[0], ports);
    JGroupsTransport b = start("b", ports[1], ports);
    awaitView(Set.of("a", "b"), a, b);
    Received onB = new Received();
    b.register(
        "g",
        (from, payload) -> {
          if (ByteBuffer.wrap(payload).getInt() == 1) {
            throw new IllegalStateException("boom");
          }
          onB.onMessage(from, payload);
        });
    a.send("g", "b", seq(1));
    a.send("g", "b", seq(2));
    await(() -> onB.count() == 1);
    assertEquals(1, b.stats().handlerFailures());
  }

  @Test
  void sendToUnknownNodeIsDroppedAndCounted() throws Exception {
    int[] ports = freePorts(1);
    JGroupsTransport a = start("a", ports[0], ports);
    assertFalse(a.send("g", "ghost", seq(1)));
    assertEquals(1, a.stats().droppedUnknownNode());
    assertEquals(0, a.stats().sent());
  }

  @Test
  void requestIsAnsweredByRemoteServiceAndByThisNodeItself() throws Exception {
    int[] ports = freePorts(2);
    JGroupsTransport a = start("a", ports[0], ports);
    JGroupsTransport b = start("b", ports[1], ports);
    awaitView(Set.of("a", "b"), a, b);
    RequestHandler echo =
        (from, payload) ->
            CompletableFuture.supplyAsync(
                () -> (from + ":" + new String(payload, StandardCharsets.UTF_8)).getBytes());
    a.registerService("echo", echo);
    b.registerService("echo", echo);

    byte[] remote = a.request("b", "echo", "hi".getBytes(), Duration.ofSeconds(5)).get();
    assertEquals("a:hi", new String(remote, StandardCharsets.UTF_8));
    byte[] local = a.request("a", "echo", "me".getBytes(), Duration.ofSeconds(5)).get();
    assertEquals("a:me", new String(local, StandardCharsets.UTF_8));

    List<CompletableFuture<byte[]>> many = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      many.add(b.request("a", "echo", Integer.toString(i).getBytes(), Duration.ofSeconds(10)));
    }
    for (int i = 0; i < 200; i++) {
      assertEquals("b:" + i, new String(many.get(i).get(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void requestFailsWithTheRemoteMessageWhenHandlerFailsOrServiceIsUnknown() throws Exception {
    int[] ports = freePorts(2);
    JGroupsTransport a = start("a", ports[0], ports);
    JGroupsTransport b = start("b", ports[1], ports);
    awaitView(Set.of("a", "b"), a, b);
    b.registerService(
        "fails",
        (from, payload) -> CompletableFuture.failedFuture(new IllegalStateException("not leader")));
    b.registerService(
        "throws",
        (from, payload) -> {
          throw new IllegalArgumentException("bad request");
        });

    RemoteRequestException failed =
        failure(
            a.request("b", "fails", new byte[0], Duration.ofSeconds(5)),
            RemoteRequestException.class);
    assertTrue(failed.getMessage().contains("not leader"), failed.getMessage());
    RemoteRequestException thrown =
        failure(
            a.request("b", "throws", new byte[0], Duration.ofSeconds(5)),
            RemoteRequestException.class);
    assertTrue(thrown.getMessage().contains("bad request"), thrown.getMessage());
    RemoteRequestException unknown =
        failure(
            a.request("b", "nope", new byte[0], Duration.ofSeconds(5)),
            RemoteRequestException.class);
    assertTrue(unknown.getMessage().contains("no service 'nope'"), unknown.getMessage());
  }

  @Test
  void requestTimesOutWhenNoReplyComesAndLateReplyIsIgnored() throws Exception {
    int[] ports = freePorts(2);
    JGroupsTransport a = start("a", ports[0], ports);
    JGroupsTransport b = start("b", ports[1], ports);
    awaitView(Set.of("a", "b"), a, b);
    CompletableFuture<byte[]> never = new CompletableFuture<>();
    b.registerService("slow", (from, payload) -> never);

    long t0 = System.nanoTime();
    RequestTimeoutException timeout =
        failure(
            a.request("b", "slow", new byte[0], Duration.ofMillis(300)),
            RequestTimeoutException.class);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms >= 250 && ms < 5000, "timed out after " + ms + " ms");
    assertTrue(timeout.getMessage().contains("within 300 ms"), timeout.getMessage());
    assertEquals(1, a.stats().requestsTimedOut());

    // The late reply reaches a, which has forgotten the request; it must be dropped quietly and
    // later requests still work.
    never.complete("late".getBytes());
    b.registerService("echo", (from, payload) -> CompletableFuture.completedFuture(payload));
    assertEquals(
        "ok", new String(a.request("b", "echo", "ok".getBytes(), Duration.ofSeconds(5)).get()));
    assertEquals(1, a.stats().requestsTimedOut());
    assertEquals(0, a.stats().malformed());
  }

  @Test
  void requestToUnknownNodeFailsAtOnce() throws Exception {
    int[] ports = freePorts(1);
    JGroupsTransport a = start("a", ports[0], ports);
    NodeUnreachableException e =
        failure(
            a.request("ghost", "echo", new byte[0], Duration.ofSeconds(30)),
            NodeUnreachableException.class);
    assertEquals("ghost", e.node());
  }

  @Test
  void nodeThatLeavesFailsPendingRequestsAndIsReachedAgainAfterRestart() throws Exception {
    int[] ports = freePorts(2);
    JGroupsTransport a = start("a", ports[0], ports);
    JGroupsTransport b = start("b", ports[1], ports);
    awaitView(Set.of("a", "b"), a, b);
    List<ClusterView> views = new CopyOnWriteArrayList<>();
    a.addViewListener(views::add);
    b.registerService("slow", (from, payload) -> new CompletableFuture<>());

    CompletableFuture<byte[]> pending = a.request("b", "slow", new byte[0], Duration.ofSeconds(60));
    Thread.sleep(200);
    b.close();
    b.close(); // idempotent
    failure(pending, NodeUnreachableException.class);
    await(() -> a.reachableNodes().equals(Set.of("a")));
    // listeners run right after the view is published, on JGroups' thread
    await(() -> views.stream().anyMatch(v -> v.left().contains("b")));
    assertFalse(a.send("g", "b", seq(1)));
    assertFalse(b.send("g", "a", seq(1)));

    JGroupsTransport b2 = start("b", ports[1], ports);
    Received onB2 = new Received();
    b2.register("g", onB2);
    awaitView(Set.of("a", "b"), a, b2);
    await(() -> views.stream().anyMatch(v -> v.joined().contains("b")));
    assertTrue(a.send("g", "b", seq(5)));
    await(() -> onB2.count() == 1);
    assertEquals(List.of(5), onB2.sequenceFrom("a"));
  }

  @Test
  void crashedNodeIsSuspectedItsRequestsFailAndItsRestartIsReached() throws Exception {
    int[] ports = freePorts(3);
    JGroupsTransport a = start("a", ports[0], ports);
    JGroupsTransport b = start("b", ports[1], ports);
    JGroupsTransport c = start("c", ports[2], ports);
    awaitView(Set.of("a", "b", "c"), a, b, c);
    c.registerService("slow", (from, payload) -> new CompletableFuture<>());
    CompletableFuture<byte[]> pending = a.request("c", "slow", new byte[0], Duration.ofSeconds(60));
    Thread.sleep(200);

    org.jgroups.util.Util.shutdown(c.channel()); // no LEAVE: like kill -9
    failure(pending, NodeUnreachableException.class);
    awaitView(Set.of("a", "b"), a, b);

    JGroupsTransport c2 = start("c", ports[2], ports);
    Received onC2 = new Received();
    c2.register("g", onC2);
    awaitView(Set.of("a", "b", "c"), a, b, c2);
    a.send("g", "c", seq(1));
    b.send("g", "c", seq(2));
    await(() -> onC2.count() == 2);
  }

  @Test
  void frozenMemberDoesNotDelayMessagesToOthers() throws Exception {
    int[] ports = freePorts(3);
    Process frozen =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StandaloneNode.class.getName(),
                "c",
                Integer.toString(ports[2]),
                Integer.toString(ports[0]))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      java.io.BufferedReader out =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(frozen.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("READY", out.readLine());
      JGroupsTransport a = start("a", ports[0], ports, Duration.ofSeconds(60));
      JGroupsTransport b = start("b", ports[1], ports, Duration.ofSeconds(60));
      awaitView(Set.of("a", "b", "c"), a, b);
      Received onB = new Received();
      b.register("g", onB);

      signal(frozen, "STOP"); // like a long GC pause: connected, but reads nothing
      byte[] chunk = new byte[64 * 1024];
      long t0 = System.nanoTime();
      for (int i = 0; i < 1024; i++) { // 64 MiB: far more than the socket buffers hold
        a.send("g", "c", chunk);
      }
      long sendMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(sendMillis < 10_000, "sends to a frozen member blocked for " + sendMillis + " ms");
      Thread.sleep(500); // let c's sender fill the socket and block in write()
      for (int i = 0; i < 100; i++) {
        assertTrue(a.send("g", "b", seq(i)));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (onB.count() < 100 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(100, onB.count(), "b starved behind frozen c: a single sender thread?");
      assertEquals(range(0, 100, 1), onB.sequenceFrom("a"));
    } finally {
      frozen.destroyForcibly(); // SIGKILL also ends a stopped process
      frozen.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void signal(Process p, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
    assertEquals(0, kill.waitFor(), "kill -" + signal + " failed");
  }

  @Test
  void nodeStartedLaterJoinsTheNodeItLists() throws Exception {
    int[] ports = freePorts(2);
    JGroupsTransport a = start("a", ports[0], ports); // lists b, which is not up yet
    assertEquals(Set.of("a"), a.reachableNodes());
    JGroupsTransport b = start("b", ports[1], ports[0]);
    awaitView(Set.of("a", "b"), a, b);
  }

  @Test
  void nodeIsFoundByItsInternalAddressUnderAnySpellingOfTheHost() throws Exception {
    int[] ports = freePorts(2);
    JGroupsTransport a = start("a", ports[0], ports);
    JGroupsTransport b = start("b", ports[1], ports);
    awaitView(Set.of("a", "b"), a, b);
    assertEquals(Optional.of("b"), a.nodeAt(new NodeAddress("127.0.0.1", ports[1])));
    assertEquals(Optional.of("b"), a.nodeAt(new NodeAddress("localhost", ports[1])));
    assertEquals(Optional.of("a"), a.nodeAt(new NodeAddress("127.0.0.1", ports[0])));
    assertEquals(Optional.empty(), a.nodeAt(new NodeAddress("127.0.0.1", 1)));
    assertEquals(Optional.empty(), a.nodeAt(new NodeAddress("no-such-host.invalid", ports[1])));
  }

  @Test
  void nodesThatStartedAloneMergeWhenTheyFindEachOther() throws Exception {
    int[] ports = freePorts(2);
    // b lists a, which starts later and lists only itself: each forms its own view first.
    JGroupsTransport b = start("b", ports[1], ports[0]);
    assertEquals(Set.of("b"), b.reachableNodes());
    JGroupsTransport a = start("a", ports[0]);
    Received onA = new Received();
    a.register("g", onA);
    awaitView(Set.of("a", "b"), a, b);
    assertTrue(b.send("g", "a", seq(9)));
    await(() -> onA.count() == 1);
  }

  @Test
  void largePayloadsArriveWholeAndInOrder() throws Exception {
    int[] ports = freePorts(2);
    JGroupsTransport a = start("a", ports[0], ports);
    JGroupsTransport b = start("b", ports[1], ports);
    awaitView(Set.of("a", "b"), a, b);
    List<byte[]> got = new CopyOnWriteArrayList<>();
    b.register("g", (from, payload) -> got.add(payload));
    b.registerService("echo", (from, payload) -> CompletableFuture.completedFuture(payload));
    java.util.Random r = new java.util.Random(5);
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      byte[] big = new byte[(1 << 20) + i]; // far above FRAG2's fragment size
      r.nextBytes(big);
      sent.add(big);
      assertTrue(a.send("g", "b", big));
    }
    await(() -> got.size() == 4);
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(sent.get(i), got.get(i));
    }
    assertArrayEquals(
        sent.get(0), a.request("b", "echo", sent.get(0), Duration.ofSeconds(20)).get());
  }

  @Test
  void closingFailsThePendingRequestsAtOnce() throws Exception {
    int[] ports = freePorts(2);
    JGroupsTransport a = start("a", ports[0], ports);
    JGroupsTransport b = start("b", ports[1], ports);
    awaitView(Set.of("a", "b"), a, b);
    b.registerService("slow", (from, payload) -> new CompletableFuture<>());
    CompletableFuture<byte[]> pending = a.request("b", "slow", new byte[0], Duration.ofSeconds(60));
    a.close();
    TransportException e = failure(pending, TransportException.class);
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void closedTransportDropsSendsAndFailsRequests() throws Exception {
    int[] ports = freePorts(1);
    JGroupsTransport a = start("a", ports[0], ports);
    a.close();
    assertFalse(a.send("g", "a", seq(1)));
    failure(a.request("a", "x", new byte[0], Duration.ofSeconds(1)), TransportException.class);
    assertThrows(IllegalStateException.class, a::start);
    assertEquals(Set.of(), a.reachableNodes());
  }

  @Test
  void startFailsWithAMessageNamingThePortWhenItIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      JGroupsTransport a = new JGroupsTransport(config("a", port));
      transports.add(a);
      TransportException e = assertThrows(TransportException.class, a::start);
      assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }
  }

  @Test
  void secondHandlerForTheSameGroupIsRefused() {
    JGroupsTransport a = new JGroupsTransport(config("a", 1));
    a.register("g", (f, p) -> {});
    assertThrows(IllegalStateException.class, () -> a.register("g", (f, p) -> {}));
    a.registerService("s", (f, p) -> CompletableFuture.completedFuture(p));
    assertThrows(
        IllegalStateException.class,
        () -> a.registerService("s", (f, p) -> CompletableFuture.completedFuture(p)));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static void sendAll(JGroupsTransport from, String to, int n) {
    for (int i = 0; i < n; i++) {
      if (!from.send("g", to, seq(i))) {
        throw new AssertionError("send " + i + " was dropped");
      }
    }
  }

  private JGroupsTransport start(String name, int port, int... known) {
    return start(name, port, known, Duration.ofSeconds(6));
  }

  private JGroupsTransport start(String name, int port, int[] known, Duration suspectAfter) {
    TransportConfig c = config(name, port, known);
    JGroupsTransport t =
        new JGroupsTransport(
            TransportConfig.builder(name)
                .clusterName(c.clusterName())
                .bindPort(port)
                .initialHosts(c.initialHosts())
                .failureDetectionTimeout(suspectAfter)
                .joinTimeout(c.joinTimeout())
                .mergeMaxInterval(c.mergeMaxInterval())
                .build());
    transports.add(t);
    t.start();
    return t;
  }

  private static TransportConfig config(String name, int port, int... known) {
    TransportConfig.Builder b =
        TransportConfig.builder(name)
            .clusterName("caucus-test")
            .bindHost("127.0.0.1")
            .bindPort(port)
            .failureDetectionTimeout(Duration.ofSeconds(6))
            .joinTimeout(Duration.ofMillis(500))
            .mergeMaxInterval(Duration.ofSeconds(2));
    for (int k : known) {
      b.initialHost(new NodeAddress("127.0.0.1", k));
    }
    return b.build();
  }

  /** Free ports chosen by the OS (ephemeral range: never JGroups' or Caucus' defaults). */
  static int[] freePorts(int n) throws IOException {
    int[] ports = new int[n];
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        held.add(s);
        ports[i] = s.getLocalPort();
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    return ports;
  }

  private static void awaitView(Set<String> expected, Transport... nodes) {
    await(
        () -> {
          for (Transport t : nodes) {
            if (!t.reachableNodes().equals(expected)) {
              return false;
            }
          }
          return true;
        });
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("condition not met within " + WAIT);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static <T extends Throwable> T failure(CompletableFuture<?> f, Class<T> type)
      throws InterruptedException {
    try {
      Object v = f.get(30, TimeUnit.SECONDS);
      throw new AssertionError("expected " + type.getSimpleName() + " but got " + v);
    } catch (ExecutionException e) {
      return assertInstanceOf(type, e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("future neither completed nor failed within 30 s");
    }
  }

  private static byte[] seq(int i) {
    return ByteBuffer.allocate(4).putInt(i).array();
  }

  private static List<Integer> range(int from, int to, int sign) {
    List<Integer> l = new ArrayList<>();
    for (int i = from; i < to; i++) {
      l.add(sign * i);
    }
    return l;
  }

  /** Collects what a group handler receives, per sender, in arrival order. */
  private static final class Received implements GroupMessageHandler {
    private final Map<String, List<Integer>> bySender = new ConcurrentHashMap<>();

    @Override
    public void onMessage(String fromNode, byte[] payload) {
      bySender
          .computeIfAbsent(fromNode, k -> new CopyOnWriteArrayList<>())
          .add(ByteBuffer.wrap(payload).getInt());
    }

    int count() {
      return bySender.values().stream().mapToInt(List::size).sum();
    }

    List<Integer> sequenceFrom(String node) {
      return List.copyOf(bySender.getOrDefault(node, List.of()));
    }
  }
}

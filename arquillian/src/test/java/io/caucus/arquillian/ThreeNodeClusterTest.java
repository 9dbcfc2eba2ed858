package io.caucus.arquillian;

import static io.caucus.arquillian.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three real Payara Micro processes on 127.0.0.1, started with bin/caucus (autocluster creating
 * {@code default}), through the scenarios of a cluster's life: formation while the first node is
 * not up yet, replication, the loss of the leader, a follower that falls behind the compacted log,
 * and a restart of everything. One class, so the cluster starts once; the tests run in order and
 * each leaves all three nodes running and ready.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeNodeClusterTest {

  private static final Duration READY = Duration.ofSeconds(300);

  /** Small enough that 100 transactions compact the log several times. */
  private static final String COMPACTION = "-Dcaucus.replication.compaction-threshold=40";

  private static final NodeProcess.Layout LAYOUT =
      new NodeProcess.Layout(
          Path.of(System.getProperty("caucus.test.dir"), "three-" + System.nanoTime()),
          TestPorts.port(24),
          TestPorts.port(124),
          TestPorts.port(224));

  private static final List<NodeProcess> NODES = new ArrayList<>();

  @BeforeAll
  static void layout() {
    for (int n = 1; n <= 3; n++) {
      NODES.add(new NodeProcess(LAYOUT, n));
    }
  }

  @AfterAll
  static void stopAll() throws InterruptedException {
    for (NodeProcess node : NODES) {
      node.close();
    }
  }

  private static NodeProcess node(int n) {
    return NODES.get(n - 1);
  }

  // ------------------------------------------------------------------ scenarios

  @Test
  @Order(1)
  void joiningNodesRetryUntilTheFirstNodeIsUpThenTheClusterForms() throws Exception {
    node(2).start(COMPACTION);
    node(3).start(COMPACTION);
    for (int n = 2; n <= 3; n++) {
      NodeProcess joining = node(n);
      Await.until(
          READY,
          () -> output(joining).contains("is not reachable yet; retrying"),
          () -> joining.name() + " did not say it retries:\n" + tail(joining));
      assertFalse(joining.ready(), joining.name() + " cannot be ready without the first node");
    }
    node(1).start(COMPACTION);
    awaitAllReady();

    for (NodeProcess n : NODES) {
      JsonArray nodes = Http.get(n.baseUrl() + "/v1/public").json().asJsonArray();
      assertEquals(3, nodes.size(), n.name() + " knows " + nodes);
      for (JsonValue v : nodes) {
        assertTrue(v.asJsonObject().getBoolean("connected"), n.name() + ": " + v);
      }
    }
    Await.until(
        Duration.ofSeconds(60),
        () -> leaders().size() == 1 && !leaders().contains(null),
        () -> "every node names the same leader of default: " + leaders());
    JsonObject context =
        Http.get(node(1).baseUrl() + "/v1/public/context").json().asJsonArray().getJsonObject(0);
    assertEquals("default", context.getString("context"));
    assertEquals("default", context.getString("replicationGroup"));
    assertEquals(3, context.getJsonArray("roles").size());
    for (JsonValue r : context.getJsonArray("roles")) {
      assertEquals("PRIMARY", r.asJsonObject().getString("role"));
    }
  }

  @Test
  @Order(2)
  void eventsAppendedViaOneNodeAreReadableOnAllThreeInTheSameTokenOrder() throws Exception {
    NodeProcess entry = node(2);
    for (int tx = 0; tx < 10; tx++) {
      StringBuilder b = new StringBuilder("{\"messages\":[");
      for (int i = 0; i < 3; i++) {
        b.append(i == 0 ? "" : ",").append(event("order-" + tx + "-" + i, "order-" + tx, i));
      }
      b.append("]}");
      Http.Answer a = Http.post(entry.baseUrl() + "/v1/events", b.toString());
      assertEquals(200, a.status(), a.body());
    }
    Http.Answer conflict =
        Http.post(
            entry.baseUrl() + "/v1/events", "{\"messages\":[" + event("dup", "order-0", 1) + "]}");
    assertEquals(409, conflict.status(), conflict.body());
    assertEquals("AXONIQ-2000", conflict.json().asJsonObject().getString("code"));

    // Forced to the leader, an aggregate read on any node sees the last append at once (no wait
    // for that node's copy); by query parameter (Axon's name) or by header.
    for (NodeProcess n : NODES) {
      Http.Answer forced =
          Http.get(
              n.baseUrl() + "/v1/events?aggregateId=order-9&forceReadFromLeader=true",
              Map.of("Accept", "application/json"));
      assertEquals(200, forced.status(), n.name() + ": " + forced.body());
      assertEquals(3, forced.json().asJsonArray().size(), n.name() + ": " + forced.body());
      Http.Answer byHeader =
          Http.get(
              n.baseUrl() + "/v1/events?aggregateId=order-9",
              Map.of("Accept", "application/json", "AxonIQ-ForceReadFromLeader", "true"));
      assertEquals(3, byHeader.json().asJsonArray().size(), n.name() + ": " + byHeader.body());
    }

    List<String> reference = awaitSameEventsEverywhere(NODES, 30);
    assertEquals("0:order-0-0", reference.get(0));
  }

  @Test
  @Order(3)
  void killingTheLeaderDuringAppendsLosesAndDuplicatesNoAcknowledgedEvent() throws Exception {
    String leaderName = leaders().iterator().next();
    NodeProcess leader = byName(leaderName);
    List<NodeProcess> survivors = NODES.stream().filter(n -> n != leader).toList();
    NodeProcess entry = survivors.get(0);
    int before = events(entry).size();

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger ackedAfterKill = new AtomicInteger();
    AtomicBoolean killed = new AtomicBoolean();
    Thread appender =
        new Thread(
            () -> {
              for (int i = 0; !stop.get(); i++) {
                String id = "k-" + i;
                try {
                  Http.Answer a =
                      Http.post(
                          entry.baseUrl() + "/v1/events",
                          "{\"messages\":[" + event(id, "agg-" + id, 0) + "]}");
                  if (a.status() == 200) {
                    acknowledged.add(id);
                    if (killed.get()) {
                      ackedAfterKill.incrementAndGet();
                    }
                  }
                } catch (Exception e) {
                  // Not acknowledged: it may or may not be stored, and is not checked.
                }
              }
            });
    appender.start();
    Await.until(Duration.ofSeconds(60), () -> acknowledged.size() >= 20, acknowledged::toString);
    leader.kill9();
    killed.set(true);
    Await.until(
        Duration.ofSeconds(120),
        () -> ackedAfterKill.get() >= 20,
        () -> "appends did not resume after the leader was killed; acked " + acknowledged.size());
    stop.set(true);
    appender.join();

    List<String> survivorEvents = awaitSameEventsEverywhere(survivors, 30);
    Map<String, Integer> count = new HashMap<>();
    for (String e : survivorEvents) {
      count.merge(e.substring(e.indexOf(':') + 1), 1, Integer::sum);
    }
    for (String id : acknowledged) {
      assertEquals(1, count.getOrDefault(id, 0), "acknowledged event " + id + " exactly once");
    }
    count.forEach((id, c) -> assertEquals(1, c, "event " + id + " stored once"));
    assertTrue(survivorEvents.size() >= before + acknowledged.size());
    String newLeader = leaders(survivors).iterator().next();
    assertNotNull(newLeader);
    assertTrue(!newLeader.equals(leaderName), "a new leader took over: " + newLeader);

    leader.start(COMPACTION);
    Await.until(READY, leader::ready, () -> tail(leader));
    awaitSameEventsEverywhere(NODES, 60);
  }

  @Test
  @Order(4)
  void aFollowerBehindTheCompactedLogCatchesUpBySnapshotAndLog() throws Exception {
    ensureAllRunning();
    String leaderName = leaders().iterator().next();
    NodeProcess leader = byName(leaderName);
    NodeProcess follower = NODES.stream().filter(n -> n != leader).findFirst().orElseThrow();
    int outputBefore = output(follower).length();
    follower.close();

    // 10,000 events in transactions of 100, through the leader's node.
    for (int tx = 0; tx < 100; tx++) {
      StringBuilder b = new StringBuilder("{\"messages\":[");
      for (int i = 0; i < 100; i++) {
        b.append(i == 0 ? "" : ",").append(event("bulk-" + tx + "-" + i, "bulk-" + tx, i));
      }
      b.append("]}");
      Http.Answer a = Http.post(leader.baseUrl() + "/v1/events", b.toString());
      assertEquals(200, a.status(), a.body());
    }
    Await.until(
        Duration.ofSeconds(60),
        () -> output(leader).contains("Group default on " + leaderName + ": log compacted"),
        () -> "the leader did not compact its log:\n" + tail(leader));

    follower.start(COMPACTION);
    Await.until(READY, follower::ready, () -> tail(follower));
    List<String> all = awaitSameEventsEverywhere(NODES, 120);
    assertTrue(all.size() >= 10_000, "all events, was " + all.size());
    assertTrue(
        output(follower).substring(outputBefore).contains("Group default installed a snapshot"),
        "the follower caught up through a snapshot:\n" + tail(follower));
  }

  @Test
  @Order(5)
  void restartingAllThreeKeepsTheEventsAndDoesNotRunAutoclusterAgain() throws Exception {
    ensureAllRunning();
    List<String> before = awaitSameEventsEverywhere(NODES, 60);
    Map<NodeProcess, Integer> outputBefore = new HashMap<>();
    for (NodeProcess n : NODES) {
      outputBefore.put(n, output(n).length());
    }
    for (NodeProcess n : NODES) {
      n.close();
    }
    for (NodeProcess n : NODES) {
      n.start(COMPACTION);
    }
    awaitAllReady();
    for (NodeProcess n : NODES) {
      String restarted = output(n).substring(outputBefore.get(n));
      assertTrue(
          restarted.contains("Autocluster properties ignored: this node already holds state"),
          n.name() + " says autocluster was ignored:\n" + tail(n));
      assertFalse(
          restarted.contains("Autocluster: this node is the first")
              || restarted.contains("Autocluster: registering"),
          n.name() + " ran autocluster again");
    }
    assertEquals(before, awaitSameEventsEverywhere(NODES, 60));
    JsonArray nodes = Http.get(node(1).baseUrl() + "/v1/public").json().asJsonArray();
    assertEquals(3, nodes.size(), "no node registered twice: " + nodes);
  }

  // ------------------------------------------------------------------ helpers

  /** Restarts nodes an earlier failed scenario left stopped, so that each scenario stands alone. */
  private static void ensureAllRunning() throws Exception {
    for (NodeProcess n : NODES) {
      if (!n.isAlive()) {
        n.start(COMPACTION);
      }
    }
    awaitAllReady();
  }

  private static void awaitAllReady() throws InterruptedException {
    for (NodeProcess n : NODES) {
      Await.until(READY, n::ready, () -> n.name() + " not ready:\n" + tail(n));
    }
  }

  /** "token:messageIdentifier" of every event the node serves, in token order. */
  static List<String> events(NodeProcess n) throws Exception {
    Http.Answer a =
        Http.get(
            n.baseUrl() + "/v1/events?trackingToken=0&maxEvents=100000",
            Map.of("Accept", "application/json"));
    assertEquals(200, a.status(), n.name() + ": " + a.body());
    List<String> result = new ArrayList<>();
    for (JsonValue v : a.json().asJsonArray()) {
      JsonObject o = v.asJsonObject();
      result.add(o.getJsonNumber("token").longValue() + ":" + o.getString("messageIdentifier"));
    }
    return result;
  }

  /** Waits until every node serves the same events (at least as many as at the first look). */
  static List<String> awaitSameEventsEverywhere(List<NodeProcess> nodes, int seconds)
      throws Exception {
    List<List<String>> seen = new ArrayList<>();
    Await.until(
        Duration.ofSeconds(seconds),
        () -> {
          seen.clear();
          try {
            for (NodeProcess n : nodes) {
              seen.add(events(n));
            }
          } catch (Exception | AssertionError e) {
            return false;
          }
          return seen.stream().distinct().count() == 1;
        },
        () -> "nodes disagree: " + seen.stream().map(l -> l.size() + " events").toList());
    return seen.get(0);
  }

  private static Set<String> leaders() {
    return leaders(NODES);
  }

  /** The leader of default as each node names it (a set: one element when they agree). */
  static Set<String> leaders(List<NodeProcess> nodes) {
    Set<String> result = new java.util.HashSet<>();
    for (NodeProcess n : nodes) {
      Http.Answer a = Http.tryGet(n.baseUrl() + "/v1/public/context");
      if (a.status() != 200) {
        result.add(null);
        continue;
      }
      JsonArray contexts = a.json().asJsonArray();
      JsonObject c = contexts.isEmpty() ? null : contexts.getJsonObject(0);
      boolean known = c != null && c.containsKey("leader") && !c.isNull("leader");
      result.add(known ? c.getString("leader") : null);
    }
    return result;
  }

  private static NodeProcess byName(String name) {
    return NODES.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  private static String output(NodeProcess n) {
    try {
      return n.outputText();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static String tail(NodeProcess n) {
    return BadConfigurationTest.tail(output(n));
  }
}

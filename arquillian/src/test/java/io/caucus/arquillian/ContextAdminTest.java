package io.caucus.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The context admin API on three real nodes: a second context created over REST in the running
 * group {@code default} (several contexts per group), appended to beside {@code default} at the
 * same time and read back on every node with no event of one in the other, then deleted; and the
 * refusals, each a JSON {@code {code, message}} that changes nothing. Every change is made on one
 * node and checked on another.
 */
class ContextAdminTest {

  private static final Duration READY = Duration.ofSeconds(300);
  private static final int EVENTS = 30;

  private static final NodeProcess.Layout LAYOUT =
      new NodeProcess.Layout(
          Path.of(System.getProperty("caucus.test.dir"), "ctxadmin-" + System.nanoTime()),
          TestPorts.port(24),
          TestPorts.port(124),
          TestPorts.port(224));

  private static final List<NodeProcess> NODES = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    for (int n = 1; n <= 3; n++) {
      NODES.add(new NodeProcess(LAYOUT, n).start());
    }
    for (NodeProcess n : NODES) {
      Await.until(READY, n::ready, () -> n.name() + " not ready");
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

  private static Optional<JsonObject> context(NodeProcess on, String name) {
    JsonArray all = Http.tryGet(on.baseUrl() + "/v1/public/context").json().asJsonArray();
    return all.stream()
        .map(JsonValue::asJsonObject)
        .filter(c -> c.getString("context").equals(name))
        .findFirst();
  }

  private static void assertRefused(Http.Answer a, int status, String code) {
    assertEquals(status, a.status(), a.body());
    JsonObject body = a.json().asJsonObject();
    assertEquals(code, body.getString("code"), a.body());
    assertTrue(body.getString("message").length() > 10, a.body());
  }

  private static void append(String context, String prefix) throws Exception {
    for (int i = 0; i < EVENTS; i++) {
      Http.Answer a =
          Http.post(
              node(1 + i % 3).baseUrl() + "/v1/events",
              "{\"messages\":[" + Events.event(prefix + i, prefix + "agg", i) + "]}",
              Map.of("AxonIQ-Context", context));
      assertEquals(200, a.status(), context + " append " + i + ": " + a.body());
    }
  }

  private static List<String> aggregatesIn(NodeProcess on, String context) throws Exception {
    Http.Answer a =
        Http.get(
            on.baseUrl() + "/v1/events?trackingToken=0&maxEvents=1000&timeout=1",
            Map.of("Accept", "application/json", "AxonIQ-Context", context));
    assertEquals(200, a.status(), on.name() + " " + context + ": " + a.body());
    return a.json().asJsonArray().stream()
        .map(v -> v.asJsonObject().getString("aggregateIdentifier"))
        .toList();
  }

  @Test
  void aSecondContextInTheRunningGroupIsServedApartThenDeleted() throws Exception {
    Http.Answer created =
        Http.post(
            node(2).baseUrl() + "/v1/context",
            "{\"context\":\"billing\",\"replicationGroup\":\"default\"}");
    assertEquals(200, created.status(), created.body());
    Await.until(
        Duration.ofSeconds(60),
        () -> context(node(3), "billing").filter(c -> !c.isNull("leader")).isPresent(),
        () -> "billing has no leader on " + node(3).name());
    assertEquals(
        "default", context(node(3), "billing").orElseThrow().getString("replicationGroup"));

    ExecutorService writers = Executors.newFixedThreadPool(2);
    try {
      Future<?> d =
          writers.submit(
              () -> {
                append("default", "d-");
                return null;
              });
      Future<?> b =
          writers.submit(
              () -> {
                append("billing", "b-");
                return null;
              });
      d.get(120, TimeUnit.SECONDS);
      b.get(120, TimeUnit.SECONDS);
    } finally {
      writers.shutdownNow();
    }
    for (NodeProcess n : NODES) {
      Await.until(
          Duration.ofSeconds(30),
          () -> {
            try {
              return aggregatesIn(n, "billing").size() == EVENTS;
            } catch (Exception e) {
              return false;
            }
          },
          () -> n.name() + " did not get all billing events");
      assertTrue(aggregatesIn(n, "billing").stream().allMatch("b-agg"::equals), n.name());
      List<String> inDefault = aggregatesIn(n, "default");
      assertTrue(inDefault.contains("d-agg"), n.name());
      assertTrue(inDefault.stream().noneMatch("b-agg"::equals), n.name() + ": billing in default");
    }

    // Refusals change nothing.
    assertRefused(
        Http.post(
            node(1).baseUrl() + "/v1/context",
            "{\"context\":\"billing\",\"replicationGroup\":\"default\"}"),
        409,
        "AXONIQ-1304");
    assertRefused(
        Http.post(node(1).baseUrl() + "/v1/context", "{\"context\":\"9 bad name\"}"),
        400,
        "AXONIQ-2308");
    assertRefused(
        Http.post(
            node(1).baseUrl() + "/v1/context",
            "{\"context\":\"other\",\"replicationGroup\":\"nosuchgroup\"}"),
        404,
        "CAUCUS-1303");
    assertRefused(Http.post(node(1).baseUrl() + "/v1/context", "[1]"), 400, "CAUCUS-1200");
    assertRefused(Http.post(node(2).baseUrl() + "/v1/context/init", ""), 409, "AXONIQ-2306");
    assertEquals(EVENTS, aggregatesIn(node(2), "billing").size(), "billing unchanged");

    Http.Answer deleted = Http.delete(node(3).baseUrl() + "/v1/context/billing");
    assertEquals(200, deleted.status(), deleted.body());
    Await.until(
        Duration.ofSeconds(60),
        () -> context(node(1), "billing").isEmpty(),
        () -> "billing still listed on " + node(1).name());
    assertRefused(Http.delete(node(1).baseUrl() + "/v1/context/billing"), 404, "AXONIQ-1302");
    assertTrue(aggregatesIn(node(1), "default").contains("d-agg"), "default still served");
  }
}

package io.caucus.arquillian;

import static io.caucus.arquillian.Events.event;
import static io.caucus.arquillian.ThreeNodeClusterTest.awaitSameEventsEverywhere;
import static io.caucus.arquillian.ThreeNodeClusterTest.events;
import static io.caucus.arquillian.ThreeNodeClusterTest.leaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8's poison case on three real Payara Micro processes: an aggregate identifier of 4,100
 * characters is refused at the door of every node (400 JSON, nothing stored); the same append
 * forced past the door into the log (the test-only path: nodes started with {@code
 * -Dcaucus.test.unchecked-appends=true}, request header {@code X-Caucus-Test-Unchecked: true}) is
 * committed and then rejected at apply on every member with a 4xx JSON answer to the client, while
 * the group stays up; the next append commits and is readable on all three; a restart of all three
 * replays the entry to the same verdict (same events, same tokens on every node).
 */
class PoisonClusterTest {

  private static final Duration READY = Duration.ofSeconds(300);

  private static final String UNCHECKED = "-Dcaucus.test.unchecked-appends=true";

  private static final NodeProcess.Layout LAYOUT =
      new NodeProcess.Layout(
          Path.of(System.getProperty("caucus.test.dir"), "poison-" + System.nanoTime()),
          TestPorts.port(24),
          TestPorts.port(124),
          TestPorts.port(224));

  private static final List<NodeProcess> NODES = new ArrayList<>();

  @AfterAll
  static void stopAll() throws InterruptedException {
    for (NodeProcess node : NODES) {
      node.close();
    }
  }

  @Test
  void aPoisonEntryIsRefusedAtTheDoorAndForcedPastItIsRejectedByEveryMember() throws Exception {
    for (int n = 1; n <= 3; n++) {
      NODES.add(new NodeProcess(LAYOUT, n).start(UNCHECKED));
    }
    awaitAllReady();
    for (NodeProcess n : NODES) {
      assertTrue(
          n.outputText().contains("TEST ONLY: caucus.test.unchecked-appends=true"),
          n.name() + " warns that the test-only path is on");
    }
    Http.Answer first = append(NODES.get(0), event("good-0", "order-a", 0), Map.of());
    assertEquals(200, first.status(), first.body());
    List<String> before = awaitSameEventsEverywhere(NODES, 60);

    String poison = event("poison", "p".repeat(4100), 0);
    for (NodeProcess n : NODES) {
      Http.Answer refused = append(n, poison, Map.of());
      assertEquals(400, refused.status(), n.name() + ": " + refused.body());
      assertTrue(
          assertErrorJson(refused).getString("message").contains("at most 1024"),
          "refused by the door's limit: " + refused.body());
      assertEquals(before, events(n), n.name() + ": nothing stored, head token unchanged");
    }

    Http.Answer forced = append(NODES.get(1), poison, Map.of("X-Caucus-Test-Unchecked", "true"));
    assertEquals(400, forced.status(), "rejected at apply: " + forced.body());
    assertEquals("CAUCUS-1200", assertErrorJson(forced).getString("code"), forced.body());
    // The store's limit, not the door's: the entry went through the log and the apply step.
    assertTrue(
        forced.json().asJsonObject().getString("message").contains("at most 4000"),
        "rejected at apply: " + forced.body());

    awaitAllReady(); // the group stayed up on every member
    Http.Answer next = append(NODES.get(2), event("good-1", "order-a", 1), Map.of());
    assertEquals(200, next.status(), "the append after the poison commits: " + next.body());
    assertEquals(before.size(), next.json().asJsonObject().getInt("firstToken"), next.body());
    List<String> after = awaitSameEventsEverywhere(NODES, 60);
    assertEquals(before.size() + 1, after.size(), "only the good append was stored: " + after);

    for (NodeProcess n : NODES) {
      n.close();
    }
    for (NodeProcess n : NODES) {
      n.start(UNCHECKED);
    }
    awaitAllReady();
    assertEquals(
        after, awaitSameEventsEverywhere(NODES, 120), "the replay reaches the same verdict");
    Await.until(
        Duration.ofSeconds(60),
        () -> leaders(NODES).size() == 1 && !leaders(NODES).contains(null),
        () -> "a leader of default after the restart: " + leaders(NODES));
    Http.Answer later = append(NODES.get(0), event("good-2", "order-a", 2), Map.of());
    assertEquals(200, later.status(), later.body());
    assertEquals(after.size(), later.json().asJsonObject().getInt("firstToken"), later.body());
  }

  private static Http.Answer append(NodeProcess n, String event, Map<String, String> headers)
      throws Exception {
    return Http.post(n.baseUrl() + "/v1/events", "{\"messages\":[" + event + "]}", headers);
  }

  /** A rejection is JSON {code, message}. */
  private static JsonObject assertErrorJson(Http.Answer a) {
    JsonObject o = a.json().asJsonObject();
    assertTrue(o.containsKey("code") && o.containsKey("message"), a.body());
    return o;
  }

  private static void awaitAllReady() throws InterruptedException {
    for (NodeProcess n : NODES) {
      Await.until(
          READY, n::ready, () -> n.name() + " not ready:\n" + BadConfigurationTest.tail(out(n)));
    }
  }

  private static String out(NodeProcess n) {
    try {
      return n.outputText();
    } catch (java.io.IOException e) {
      return "";
    }
  }
}

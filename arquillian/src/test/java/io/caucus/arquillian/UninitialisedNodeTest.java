package io.caucus.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A clean node without autocluster properties starts, and waits to be initialised: it says so in
 * its log and on /health/ready, and is not ready. A real Payara Micro process started with
 * bin/caucus, with the launcher's autocluster properties blanked.
 */
class UninitialisedNodeTest {

  private static final NodeProcess.Layout LAYOUT =
      new NodeProcess.Layout(
          Path.of(System.getProperty("caucus.test.dir"), "uninitialised-" + System.nanoTime()),
          TestPorts.port(64),
          TestPorts.port(164),
          TestPorts.port(264));

  @Test
  void aCleanNodeWithoutAutoclusterWaitsToBeInitialised() throws Exception {
    try (NodeProcess node = new NodeProcess(LAYOUT, 1)) {
      node.start(
          "-Daxoniq.axonserver.autocluster.first=", "-Daxoniq.axonserver.autocluster.contexts=");
      // Payara Micro may answer a transient HTML 503 while the application settles: keep the
      // first answer that carries Caucus's own check, and judge that one.
      AtomicReference<Http.Answer> answer = new AtomicReference<>();
      Await.until(
          Duration.ofSeconds(180),
          () -> {
            Http.Answer a = node.readiness();
            answer.set(a);
            return a.body().contains("\"caucus\"");
          },
          () -> "no readiness answer:\n" + BadConfigurationTest.tail(outputOf(node)));
      Http.Answer ready = answer.get();
      assertEquals(503, ready.status(), ready.body());
      assertTrue(ready.body().contains("WAITING_FOR_INITIALISATION"), ready.body());
      assertTrue(ready.body().contains("waiting to be initialised"), ready.body());
      assertTrue(
          outputOf(node).contains("Node node-1 is waiting to be initialised"),
          BadConfigurationTest.tail(outputOf(node)));
      assertFalse(outputOf(node).contains("Autocluster:"), "autocluster must not run");
      AtomicReference<Http.Answer> meAnswer = new AtomicReference<>();
      Await.until(
          Duration.ofSeconds(30),
          () -> {
            meAnswer.set(Http.tryGet(node.baseUrl() + "/v1/public/me"));
            return meAnswer.get().status() == 200;
          },
          () -> "GET /v1/public/me: " + meAnswer.get().body());
      Http.Answer me = meAnswer.get();
      assertEquals("node-1", me.json().asJsonObject().getString("name"));
    }
  }

  private static String outputOf(NodeProcess node) {
    try {
      return node.outputText();
    } catch (java.io.IOException e) {
      return "";
    }
  }
}

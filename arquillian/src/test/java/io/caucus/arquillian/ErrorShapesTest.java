package io.caucus.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every error answer of a node is JSON {@code {code, message}} with a 4xx status, also for the
 * requests the container or the JAX-RS runtime used to answer with HTML or a 500, and none of them
 * stores anything. One real node process started with bin/caucus (context root {@code /}, as users
 * run it), requests over raw sockets so that nothing normalises the malformed parts on the way.
 */
class ErrorShapesTest {

  private static final NodeProcess.Layout LAYOUT =
      new NodeProcess.Layout(
          Path.of(System.getProperty("caucus.test.dir"), "error-shapes-" + System.nanoTime()),
          TestPorts.port(74),
          TestPorts.port(174),
          TestPorts.port(274));

  private static final String EVENT =
      "{\"messages\":[{\"messageIdentifier\":\"m\",\"aggregateIdentifier\":\"a\","
          + "\"aggregateSequenceNumber\":0,\"aggregateType\":\"T\"}]}";

  private static NodeProcess node;

  @BeforeAll
  static void startNode() throws Exception {
    node = new NodeProcess(LAYOUT, 1).start();
    Await.until(
        Duration.ofSeconds(240),
        node::ready,
        () -> node.readiness().body() + "\n" + BadConfigurationTest.tail(output()));
  }

  @AfterAll
  static void stopNode() throws InterruptedException {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aBodyNestedTenThousandLevelsIsRefusedWithOneLogLine() throws Exception {
    long before = storedEvents();
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    String body =
        "{\"messages\":[{\"aggregateIdentifier\":\"a\",\"payload\":{\"data\":" + deep + "}}]}";
    RawHttp.Answer a = post("/v1/events", body, "Content-Type: application/json");
    assertJsonError(a, 400, "CAUCUS-1200");
    assertTrue(a.json().getString("message").contains("64 levels"), a.body());
    assertEquals(before, storedEvents());
    String out = output();
    assertFalse(out.contains("StackOverflowError"), "a client error logs no stack trace");
    assertTrue(out.contains("HTTP 400 CAUCUS-1200: Invalid request: the request body nests"), out);
  }

  @Test
  void anUnknownCharsetIs415() throws Exception {
    long before = storedEvents();
    for (String type :
        new String[] {
          "application/json; charset=x-nope",
          "application/json; charset=\"???\"",
          "text/plain;charset=x"
        }) {
      RawHttp.Answer a = post("/v1/events", EVENT, "Content-Type: " + type);
      assertJsonError(a, 415, "CAUCUS-1215");
    }
    assertEquals(before, storedEvents());
  }

  @Test
  void aMalformedContentTypeIs400() throws Exception {
    long before = storedEvents();
    for (String type :
        new String[] {";;;", "application/", "/json", "application/json; =x", "a b/c"}) {
      RawHttp.Answer a = post("/v1/events", EVENT, "Content-Type: " + type);
      assertJsonError(a, 400, "CAUCUS-1200");
    }
    assertEquals(before, storedEvents());
  }

  @Test
  void pathsOutsideV1Are404AndTraversalPathsAre400() throws Exception {
    long before = storedEvents();
    for (String path : new String[] {"/", "/nope", "/v2/events", "/v1x", "/caucus/v1/events"}) {
      assertJsonError(get(path), 404, "CAUCUS-1210");
      assertJsonError(post(path, EVENT, "Content-Type: application/json"), 404, "CAUCUS-1210");
    }
    assertJsonError(get("/v1/nope"), 404, "CAUCUS-1210");
    for (String path :
        new String[] {
          "/v1/../etc/passwd",
          "/v1/%2e%2e/x",
          "/v1/%2E%2E/%2E%2E/etc/passwd",
          "//v1//events",
          "/v1%2fevents",
          "/v1/events%2f..",
          "/v1/./events",
          "/v1/events;jsessionid=x",
          "/v1/events;x=1",
          "/v1/%5c..%5cevents"
        }) {
      for (RawHttp.Answer a :
          new RawHttp.Answer[] {get(path), post(path, EVENT, "Content-Type: application/json")}) {
        assertTrue(a.status() == 400 || a.status() == 404, path + " -> " + a.status());
        // Payara's connector refuses some of these itself, before any application filter runs,
        // with an empty 400 (no HTML). Whatever reaches the application is answered as JSON.
        if (!a.body().isEmpty()) {
          assertJsonError(a, a.status(), a.status() == 400 ? "CAUCUS-1200" : "CAUCUS-1210");
        } else {
          assertEquals(400, a.status(), path);
          System.out.println("container refused " + path + " with an empty 400");
        }
      }
    }
    assertEquals(before, storedEvents());
    assertTrue(node.ready(), "/health/ready keeps answering");
  }

  @Test
  void aTrackingTokenFarPastTheHeadReadsNothingAndANegativeOneIs400() throws Exception {
    RawHttp.Answer stream =
        get("/v1/events?trackingToken=9223372036854775807&timeout=0", "Accept: text/event-stream");
    assertEquals(200, stream.status(), stream.body());
    assertEquals("", stream.body().trim());
    RawHttp.Answer json =
        get("/v1/events?trackingToken=9223372036854775807&timeout=0", "Accept: application/json");
    assertEquals(200, json.status(), json.body());
    assertEquals("[]", json.body().trim());
    assertJsonError(get("/v1/events?trackingToken=-1"), 400, "CAUCUS-1200");
    assertJsonError(get("/v1/events?trackingToken=9223372036854775808"), 400, "CAUCUS-1200");
  }

  /** Status, a JSON content type, the code and a non-empty message. */
  private static void assertJsonError(RawHttp.Answer a, int status, String code) {
    String what = a.status() + " " + a.headers() + "\n" + a.body();
    assertEquals(status, a.status(), what);
    assertTrue(a.contentType().startsWith("application/json"), what);
    assertEquals(code, a.json().getString("code"), what);
    assertFalse(a.json().getString("message").isBlank(), what);
  }

  /** How many events the default context holds (the head token + 1). */
  private static long storedEvents() throws IOException {
    RawHttp.Answer a =
        get("/v1/events?trackingToken=0&maxEvents=100000&timeout=0", "Accept: application/json");
    assertEquals(200, a.status(), a.body());
    try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(a.body()))) {
      return reader.readArray().size();
    }
  }

  private static RawHttp.Answer get(String target, String... headers) throws IOException {
    return RawHttp.send(LAYOUT.httpPort(1), "GET", target, null, headers);
  }

  private static RawHttp.Answer post(String target, String body, String... headers)
      throws IOException {
    return RawHttp.send(LAYOUT.httpPort(1), "POST", target, body, headers);
  }

  private static String output() {
    try {
      return node.outputText();
    } catch (IOException e) {
      return "";
    }
  }
}

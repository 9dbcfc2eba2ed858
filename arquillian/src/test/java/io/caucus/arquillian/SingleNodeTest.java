package io.caucus.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One node in Arquillian's Payara Micro managed container, deploying the WAR the build produced
 * (the same one bin/caucus runs). Black box: every check goes through HTTP.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SingleNodeTest {

  static {
    // Payara Micro unpacks into java.io.tmpdir, which must exist before the container starts.
    try {
      Files.createDirectories(Path.of(System.getProperty("caucus.arquillian.dir"), "tmp"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ArquillianResource URL base;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ShrinkWrap.createFromZipFile(
        WebArchive.class, new File(System.getProperty("caucus.war")));
  }

  private String root() {
    return base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();
  }

  private String app(String path) {
    String b = base.toString();
    return (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path;
  }

  @Test
  void autoclusterCreatesDefaultAndEventsAreAppendedAndReadBack() throws Exception {
    awaitReady();
    Http.Answer contexts = Http.get(app("/v1/public/context"));
    assertEquals(200, contexts.status(), app("/v1/public/context") + " -> " + contexts.body());
    JsonObject context = contexts.json().asJsonArray().getJsonObject(0);
    assertEquals("default", context.getString("context"));
    assertEquals("arquillian-node", context.getString("leader"));

    String body =
        "{\"messages\":["
            + "{\"messageIdentifier\":\"a\",\"aggregateIdentifier\":\"cart-1\","
            + "\"aggregateSequenceNumber\":0,\"aggregateType\":\"Cart\",\"timestamp\":5,"
            + "\"payload\":{\"type\":\"CartCreated\",\"revision\":\"2\",\"data\":\"<x/>\"},"
            + "\"metaData\":{\"user\":\"u1\"}},"
            + "{\"messageIdentifier\":\"b\",\"aggregateIdentifier\":\"cart-1\","
            + "\"aggregateSequenceNumber\":1,\"aggregateType\":\"Cart\",\"timestamp\":6,"
            + "\"payload\":{\"type\":\"ItemAdded\",\"data\":\"i\"}}]}";
    Http.Answer appended = Http.post(app("/v1/events"), body);
    assertEquals(200, appended.status(), appended.body());
    assertEquals(0, appended.json().asJsonObject().getInt("firstToken"));

    Http.Answer stale =
        Http.post(
            app("/v1/events"),
            "{\"messages\":[{\"messageIdentifier\":\"c\",\"aggregateIdentifier\":\"cart-1\","
                + "\"aggregateSequenceNumber\":1,\"aggregateType\":\"Cart\"}]}");
    assertEquals(409, stale.status(), stale.body());
    assertEquals("AXONIQ-2000", stale.json().asJsonObject().getString("code"));

    JsonArray aggregate =
        Http.get(
                app("/v1/events?aggregateId=cart-1&initialSequence=0&allowSnapshots=false"),
                Map.of("Accept", "application/json"))
            .json()
            .asJsonArray();
    assertEquals(2, aggregate.size());
    JsonObject first = aggregate.getJsonObject(0);
    assertEquals("a", first.getString("messageIdentifier"));
    assertEquals("CartCreated", first.getJsonObject("payload").getString("type"));
    assertEquals("2", first.getJsonObject("payload").getString("revision"));
    assertEquals("<x/>", first.getJsonObject("payload").getString("data"));
    assertEquals("u1", first.getJsonObject("metaData").getString("user"));
    assertEquals(5, first.getJsonNumber("timestamp").longValue());

    Http.Answer stream =
        Http.get(
            app("/v1/events?trackingToken=1&maxEvents=10&timeout=0"),
            Map.of("Accept", "text/event-stream"));
    assertEquals(200, stream.status());
    assertTrue(stream.body().startsWith("id: 1\ndata: {"), stream.body());
    assertTrue(stream.body().contains("\"messageIdentifier\":\"b\""), stream.body());
    assertFalse(stream.body().contains("\"messageIdentifier\":\"a\""), stream.body());

    Http.Answer snapshot =
        Http.post(
            app("/v1/snapshots"),
            "{\"messageIdentifier\":\"s\",\"aggregateIdentifier\":\"cart-1\","
                + "\"aggregateSequenceNumber\":1,\"aggregateType\":\"Cart\","
                + "\"payload\":{\"type\":\"CartSnapshot\",\"data\":\"S\"}}");
    assertEquals(200, snapshot.status(), snapshot.body());
    JsonArray fromSnapshot =
        Http.get(
                app("/v1/events?aggregateId=cart-1&allowSnapshots=true"),
                Map.of("Accept", "application/json"))
            .json()
            .asJsonArray();
    assertEquals(1, fromSnapshot.size(), fromSnapshot.toString());
    assertEquals(
        "CartSnapshot", fromSnapshot.getJsonObject(0).getJsonObject("payload").getString("type"));
  }

  private void awaitReady() throws Exception {
    Await.until(
        Duration.ofSeconds(120),
        () -> {
          Http.Answer a = Http.tryGet(root() + "/health/ready");
          return a.status() == 200 && a.body().contains("\"caucus\"");
        },
        () -> Http.tryGet(root() + "/health/ready").body());
  }

  /**
   * A 4,100-character aggregate identifier used to be committed and then fail every member's store
   * write, taking the context down for good. It is refused before anything is proposed.
   */
  @Test
  void anOversizedIdentifierIsRefusedAtTheDoorAndTheContextKeepsAppending() throws Exception {
    awaitReady();
    String event =
        "{\"messages\":[{\"messageIdentifier\":\"door\",\"aggregateIdentifier\":\"%s\","
            + "\"aggregateSequenceNumber\":0,\"aggregateType\":\"Door\"}]}";
    Http.Answer refused = Http.post(app("/v1/events"), String.format(event, "d".repeat(2000)));
    assertEquals(400, refused.status(), refused.body());
    assertEquals("CAUCUS-1200", refused.json().asJsonObject().getString("code"), refused.body());
    assertTrue(
        refused.json().asJsonObject().getString("message").contains("aggregateIdentifier"),
        refused.body());
    // Nothing was proposed and the node is still ready (an append here would shift the tokens
    // the other test expects; that the next append commits is PoisonEntryTest's job).
    Http.Answer ready = Http.get(root() + "/health/ready");
    assertEquals(200, ready.status(), ready.body());
  }

  @Test
  void tooManyEventsAndTooLargeTransactionsAreRefusedWithAxonsCodes() throws Exception {
    awaitReady();
    String event =
        "{\"messageIdentifier\":\"%s\",\"aggregateIdentifier\":\"%s\","
            + "\"aggregateSequenceNumber\":0,\"aggregateType\":\"Limit\","
            + "\"payload\":{\"type\":\"T\",\"data\":\"%s\"}}";
    StringBuilder many = new StringBuilder("{\"messages\":[");
    for (int i = 0; i <= 10_000; i++) {
      many.append(i == 0 ? "" : ",").append(String.format(event, "many-" + i, "many-" + i, ""));
    }
    Http.Answer tooMany = Http.post(app("/v1/events"), many.append("]}").toString());
    assertEquals(400, tooMany.status(), tooMany.body());
    assertEquals("AXONIQ-2002", tooMany.json().asJsonObject().getString("code"), tooMany.body());

    // Axon's default max-message-size is 4 MB; one event of 4.5 MB exceeds it once encoded.
    String large =
        "{\"messages\":[" + String.format(event, "large", "large-1", "x".repeat(4_500_000)) + "]}";
    Http.Answer tooLarge = Http.post(app("/v1/events"), large);
    assertEquals(413, tooLarge.status(), tooLarge.body());
    assertEquals("AXONIQ-2001", tooLarge.json().asJsonObject().getString("code"), tooLarge.body());
    assertTrue(
        tooLarge.json().asJsonObject().getString("message").contains("max-message-size"),
        tooLarge.body());

    // Neither was proposed: no event of theirs is readable, and the node is still ready.
    for (String id : new String[] {"many-0", "large-1"}) {
      Http.Answer read =
          Http.get(app("/v1/events?aggregateId=" + id), Map.of("Accept", "application/json"));
      assertEquals(200, read.status(), read.body());
      assertEquals(0, read.json().asJsonArray().size(), read.body());
    }
    Http.Answer ready = Http.get(root() + "/health/ready");
    assertEquals(200, ready.status(), ready.body());
  }

  @Test
  void malformedRequestsAreAnsweredWithJsonErrorsNeverA500() throws Exception {
    String[][] cases = {
      {"/v1/events", "{\"messages\":["},
      {"/v1/events", "[]"},
      {"/v1/events", ""},
      {"/v1/events", "{\"messages\":{}}"},
      {"/v1/events", "{\"messages\":[]}"},
      {"/v1/events", "{\"messages\":[{\"aggregateSequenceNumber\":\"one\"}]}"},
      {"/v1/events", "{\"messages\":[{\"aggregateSequenceNumber\":-1}]}"},
      {"/v1/events", "{\"messages\":[{\"payload\":\"x\"}]}"},
      {"/v1/snapshots", "{\"aggregateSequenceNumber\":1}"},
    };
    for (String[] c : cases) {
      Http.Answer a = Http.post(app(c[0]), c[1]);
      assertEquals(400, a.status(), c[1] + " -> " + a.body());
      assertEquals("CAUCUS-1200", a.json().asJsonObject().getString("code"), a.body());
    }
    Http.Answer badToken = Http.get(app("/v1/events?trackingToken=x"));
    assertEquals(400, badToken.status(), badToken.body());
    Http.Answer unknown =
        Http.get(app("/v1/events?aggregateId=a"), Map.of("AxonIQ-Context", "nowhere"));
    assertEquals(404, unknown.status(), unknown.body());
    assertEquals("AXONIQ-1302", unknown.json().asJsonObject().getString("code"));
  }

  @Test
  void meDescribesTheConfiguredNode() throws Exception {
    Http.Answer me = Http.get(app("/v1/public/me"));
    assertEquals(200, me.status(), me.body());
    JsonObject json = me.json().asJsonObject();
    assertEquals("arquillian-node", json.getString("name"));
    assertEquals(TestPorts.port(190), json.getInt("grpcPort"));
    assertEquals(TestPorts.port(290), json.getInt("internalGrpcPort"));
    assertEquals("127.0.0.1", json.getString("internalHostName"));
  }
}

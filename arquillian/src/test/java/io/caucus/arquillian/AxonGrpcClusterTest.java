package io.caucus.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.axoniq.axonserver.connector.AxonServerConnection;
import io.axoniq.axonserver.connector.AxonServerConnectionFactory;
import io.axoniq.axonserver.connector.AxonServerException;
import io.axoniq.axonserver.connector.event.AggregateEventStream;
import io.axoniq.axonserver.connector.event.AppendEventsTransaction;
import io.axoniq.axonserver.connector.event.EventChannel;
import io.axoniq.axonserver.connector.event.EventStream;
import io.axoniq.axonserver.connector.impl.ServerAddress;
import io.axoniq.axonserver.grpc.SerializedObject;
import io.axoniq.axonserver.grpc.event.Event;
import io.axoniq.axonserver.grpc.event.EventStoreGrpc;
import io.axoniq.axonserver.grpc.event.EventWithToken;
import io.axoniq.axonserver.grpc.event.GetEventsRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * AxonIQ's own client library ({@code axonserver-connector-java}) against three real Payara Micro
 * nodes started as bin/caucus starts them, every node given as a routing server, as an Axon
 * application would be configured ({@code axon.axonserver.servers}). One class, so the cluster
 * starts once; the tests run in order on one connection.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AxonGrpcClusterTest {

  private static final Duration READY = Duration.ofSeconds(300);
  private static final int AGGREGATES = 50;
  private static final int EVENTS_PER_AGGREGATE = 10;

  private static final NodeProcess.Layout LAYOUT =
      new NodeProcess.Layout(
          Path.of(System.getProperty("caucus.test.dir"), "grpc-" + System.nanoTime()),
          TestPorts.port(24),
          TestPorts.port(124),
          TestPorts.port(224));

  private static final List<NodeProcess> NODES = new ArrayList<>();
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  private static AxonServerConnectionFactory factory;
  private static AxonServerConnection connection;

  @BeforeAll
  static void startCluster() throws Exception {
    for (int n = 1; n <= 3; n++) {
      NODES.add(new NodeProcess(LAYOUT, n).start());
    }
    for (NodeProcess n : NODES) {
      Await.until(READY, n::ready, () -> n.name() + " not ready");
    }
    factory =
        AxonServerConnectionFactory.forClient("caucus-test", "client-" + RUN)
            .routingServers(
                new ServerAddress("localhost", TestPorts.port(124)),
                new ServerAddress("localhost", TestPorts.port(125)),
                new ServerAddress("localhost", TestPorts.port(126)))
            .build();
    connection = factory.connect("default");
  }

  @AfterAll
  static void stopAll() throws InterruptedException {
    if (factory != null) {
      factory.shutdown();
    }
    for (NodeProcess node : NODES) {
      node.close();
    }
  }

  private static String aggregate(int a) {
    return "order-" + RUN + "-" + a;
  }

  private static Event event(String aggregateId, long sequence) {
    return Event.newBuilder()
        .setMessageIdentifier(UUID.randomUUID().toString())
        .setAggregateIdentifier(aggregateId)
        .setAggregateType("Order")
        .setAggregateSequenceNumber(sequence)
        .setTimestamp(System.currentTimeMillis())
        .setPayload(
            SerializedObject.newBuilder()
                .setType("OrderLine")
                .setData(ByteString.copyFrom(aggregateId + "#" + sequence, StandardCharsets.UTF_8)))
        .build();
  }

  @Test
  @Order(1)
  void theConnectorConnectsAndAppendsFromSeveralThreadsAndReadsEveryAggregateBack()
      throws Exception {
    // connect() returns at once; the connector asks a routing server for its node, then connects
    Await.until(Duration.ofSeconds(30), connection::isConnected, () -> "connected to the cluster");
    EventChannel events = connection.eventChannel();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int a = 0; a < AGGREGATES; a++) {
        String id = aggregate(a);
        work.add(
            threads.submit(
                () -> {
                  // two transactions per aggregate: a multi-event one and single-event ones
                  AppendEventsTransaction tx = events.startAppendEventsTransaction();
                  for (int s = 0; s < EVENTS_PER_AGGREGATE / 2; s++) {
                    tx.appendEvent(event(id, s));
                  }
                  tx.commit().get(30, TimeUnit.SECONDS);
                  for (int s = EVENTS_PER_AGGREGATE / 2; s < EVENTS_PER_AGGREGATE; s++) {
                    events.appendEvents(event(id, s)).get(30, TimeUnit.SECONDS);
                  }
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    for (int a = 0; a < AGGREGATES; a++) {
      String id = aggregate(a);
      AggregateEventStream stream = events.openAggregateStream(id);
      List<Long> sequences = new ArrayList<>();
      while (stream.hasNext()) {
        Event e = stream.next();
        assertEquals(id, e.getAggregateIdentifier());
        assertEquals(
            id + "#" + e.getAggregateSequenceNumber(),
            e.getPayload().getData().toStringUtf8(),
            "payload of " + id);
        sequences.add(e.getAggregateSequenceNumber());
      }
      List<Long> expected = new ArrayList<>();
      for (long s = 0; s < EVENTS_PER_AGGREGATE; s++) {
        expected.add(s);
      }
      assertEquals(expected, sequences, "sequences of " + id);
      assertEquals(
          EVENTS_PER_AGGREGATE - 1, events.findHighestSequence(id).get(10, TimeUnit.SECONDS));
    }
    assertEquals(-1L, events.findHighestSequence("no-such-" + RUN).get(10, TimeUnit.SECONDS));
    assertEquals(
        AGGREGATES * EVENTS_PER_AGGREGATE - 1, events.getLastToken().get(10, TimeUnit.SECONDS));
  }

  @Test
  @Order(2)
  void aSequenceConflictCarriesAxonsConcurrencyCodeAndStoresNothing() throws Exception {
    EventChannel events = connection.eventChannel();
    long last = events.getLastToken().get(10, TimeUnit.SECONDS);
    AppendEventsTransaction tx = events.startAppendEventsTransaction();
    tx.appendEvent(event(aggregate(0), EVENTS_PER_AGGREGATE)); // fine on its own
    tx.appendEvent(event(aggregate(1), 3)); // taken
    ExecutionException failure =
        assertThrows(ExecutionException.class, () -> tx.commit().get(30, TimeUnit.SECONDS));
    assertEquals("AXONIQ-2000", errorCode(failure), "error code of " + failure);
    assertEquals(last, events.getLastToken().get(10, TimeUnit.SECONDS), "nothing stored");
    assertEquals(
        EVENTS_PER_AGGREGATE - 1,
        events.findHighestSequence(aggregate(0)).get(10, TimeUnit.SECONDS));
  }

  @Test
  @Order(2)
  void aTransactionLargerThanTheMaxMessageSizeFailsWithAxonsCodeAndStoresNothing()
      throws Exception {
    EventChannel events = connection.eventChannel();
    long last = events.getLastToken().get(10, TimeUnit.SECONDS);
    AppendEventsTransaction tx = events.startAppendEventsTransaction();
    byte[] payload = new byte[256 * 1024];
    String id = "big-" + RUN;
    for (int s = 0; s < 20; s++) { // 5 MB in all, each message well under the 4 MB default
      tx.appendEvent(
          event(id, s).toBuilder()
              .setPayload(
                  SerializedObject.newBuilder()
                      .setType("Blob")
                      .setData(ByteString.copyFrom(payload)))
              .build());
    }
    ExecutionException failure =
        assertThrows(ExecutionException.class, () -> tx.commit().get(30, TimeUnit.SECONDS));
    assertEquals("AXONIQ-2001", errorCode(failure), "error code of " + failure);
    assertEquals(last, events.getLastToken().get(10, TimeUnit.SECONDS), "nothing stored");
    assertEquals(-1L, events.findHighestSequence(id).get(10, TimeUnit.SECONDS));
  }

  /** The AXONIQ-nnnn code of a failure, as the connector or the gRPC trailer carries it. */
  private static String errorCode(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof AxonServerException a && a.getErrorCategory() != null) {
        String code = a.getErrorCategory().errorCode();
        if (!code.equals("AXONIQ-0001")) {
          return code;
        }
      }
      Metadata trailers = Status.trailersFromThrowable(t);
      if (trailers != null) {
        String code =
            trailers.get(Metadata.Key.of("AxonIQ-ErrorCode", Metadata.ASCII_STRING_MARSHALLER));
        if (code != null) {
          return code;
        }
      }
    }
    return "none";
  }

  @Test
  @Order(3)
  void theTrackingStreamFromTokenZeroDeliversEveryEventInTokenOrderThenNewOnes() throws Exception {
    EventChannel events = connection.eventChannel();
    int total = AGGREGATES * EVENTS_PER_AGGREGATE;
    // openStream(token, ...) asks for the events after token: -1 is "from 0". A small buffer makes
    // the client grant permits many times.
    EventStream stream = events.openStream(-1, 16);
    try {
      for (long expected = 0; expected < total; expected++) {
        EventWithToken e = stream.nextIfAvailable(30, TimeUnit.SECONDS);
        assertNotNull(e, "event " + expected + " within 30 s");
        assertEquals(expected, e.getToken());
      }
      events.appendEvents(event(aggregate(0), EVENTS_PER_AGGREGATE)).get(30, TimeUnit.SECONDS);
      EventWithToken pushed = stream.nextIfAvailable(30, TimeUnit.SECONDS);
      assertNotNull(pushed, "a new event is pushed to the open stream");
      assertEquals(total, pushed.getToken());
      assertEquals(aggregate(0), pushed.getEvent().getAggregateIdentifier());
    } finally {
      stream.close();
    }
  }

  /**
   * The raw protocol (no connector buffering): the server sends exactly the permits granted, and
   * more after the client grants more.
   */
  @Test
  @Order(4)
  void theTrackingStreamNeverSendsMoreThanThePermitsGranted() throws Exception {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("localhost", TestPorts.port(124)).usePlaintext().build();
    try {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("AxonIQ-Context", Metadata.ASCII_STRING_MARSHALLER), "default");
      EventStoreGrpc.EventStoreStub store =
          EventStoreGrpc.newStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
      BlockingQueue<EventWithToken> received = new LinkedBlockingQueue<>();
      StreamObserver<GetEventsRequest> requests =
          store.listEvents(
              new StreamObserver<>() {
                @Override
                public void onNext(EventWithToken e) {
                  received.add(e);
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {}
              });
      requests.onNext(
          GetEventsRequest.newBuilder().setTrackingToken(0).setNumberOfPermits(5).build());
      Await.until(Duration.ofSeconds(30), () -> received.size() >= 5, () -> "5 events");
      Thread.sleep(1000); // time for a sixth to arrive if the server ignored the permits
      assertEquals(5, received.size(), "no more than the 5 permits granted");
      requests.onNext(GetEventsRequest.newBuilder().setNumberOfPermits(3).build());
      Await.until(Duration.ofSeconds(30), () -> received.size() >= 8, () -> "8 events");
      Thread.sleep(1000);
      assertEquals(8, received.size(), "no more than the 8 permits granted");
      List<Long> tokens = received.stream().map(EventWithToken::getToken).toList();
      assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), tokens);
      requests.onCompleted();
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(5)
  void aSnapshotIsUsedWhenSourcingAndListedAmongTheAggregatesSnapshots() throws Exception {
    EventChannel events = connection.eventChannel();
    String id = aggregate(3);
    Event snapshot =
        event(id, 6).toBuilder()
            .setSnapshot(true)
            .setPayload(
                SerializedObject.newBuilder()
                    .setType("OrderSnapshot")
                    .setData(ByteString.copyFromUtf8("state at 6")))
            .build();
    events.appendSnapshot(snapshot).get(30, TimeUnit.SECONDS);
    // the snapshot is replicated like events: read on whichever node the client is on
    List<Event> sourced = new ArrayList<>();
    Await.until(
        Duration.ofSeconds(30),
        () -> {
          sourced.clear();
          AggregateEventStream stream = events.openAggregateStream(id, true);
          while (stream.hasNext()) {
            try {
              sourced.add(stream.next());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return false;
            }
          }
          return !sourced.isEmpty() && sourced.get(0).getSnapshot();
        },
        () -> "sourcing " + id + " starts with the snapshot: " + sourced);
    assertEquals("OrderSnapshot", sourced.get(0).getPayload().getType());
    assertEquals(6, sourced.get(0).getAggregateSequenceNumber());
    List<Long> after = sourced.stream().skip(1).map(Event::getAggregateSequenceNumber).toList();
    assertEquals(List.of(7L, 8L, 9L), after, "events after the snapshot");
    Event listed = events.loadSnapshot(id).next();
    assertTrue(listed.getSnapshot());
    assertEquals(6, listed.getAggregateSequenceNumber());
  }

  @Test
  @Order(6)
  void aServiceCaucusDoesNotServeAnswersUnimplementedNamingIt() {
    ExecutionException failure =
        assertThrows(
            ExecutionException.class,
            () ->
                connection
                    .eventChannel()
                    .scheduleEvent(Duration.ofMinutes(1), event("x-" + RUN, 0))
                    .get(10, TimeUnit.SECONDS));
    StringBuilder chain = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      chain.append(t).append('\n');
    }
    assertTrue(chain.toString().contains("Caucus does not serve"), chain.toString());
    assertTrue(chain.toString().contains("ScheduleEvent"), chain.toString());
  }

  /**
   * kill -9 of the node the client is on: the connector finds another node through the routing
   * servers by itself, and an append retried until it is acknowledged is stored exactly once. The
   * client's node is found the way {@code GetPlatformServer} picks it (documented in
   * io.caucus.grpc.PlatformService): the client id's hash over the serving members sorted by name;
   * that node's log must show the client's registration.
   */
  @Test
  @Order(7)
  void afterKill9OfItsNodeTheClientReconnectsToAnotherNodeAndItsRetriedAppendIsStoredOnce()
      throws Exception {
    String clientId = "client-" + RUN;
    NodeProcess victim = NODES.get(Math.floorMod(clientId.hashCode(), NODES.size()));
    assertTrue(
        victim.outputText().contains("Axon client " + clientId + " "),
        clientId + " is on " + victim.name() + " (it logs the client's registration)");
    EventChannel before = connection.eventChannel();
    String id = aggregate(2);
    long next = before.findHighestSequence(id).get(10, TimeUnit.SECONDS) + 1;
    victim.kill9();
    long killedAt = System.nanoTime();
    long deadline = killedAt + TimeUnit.SECONDS.toNanos(60);
    Throwable lastFailure = null;
    boolean stored = false;
    while (!stored && System.nanoTime() < deadline) {
      try {
        connection.eventChannel().appendEvents(event(id, next)).get(5, TimeUnit.SECONDS);
        stored = true;
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        lastFailure = e;
        // an attempt that timed out here may still have committed: then the retry conflicts
        if (e instanceof ExecutionException && "AXONIQ-2000".equals(errorCode(e))) {
          stored = true;
        } else {
          Thread.sleep(250);
        }
      }
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killedAt);
    assertTrue(stored, victim.name() + " killed; no acknowledged append in 60 s: " + lastFailure);
    System.out.println(
        "AxonGrpcClusterTest: first acknowledged append "
            + seconds
            + " s after kill -9 of "
            + victim.name());
    assertTrue(connection.isConnected(), "reconnected");
    EventChannel after = connection.eventChannel();
    assertEquals(next, after.findHighestSequence(id).get(10, TimeUnit.SECONDS));
    AggregateEventStream stream = after.openAggregateStream(id);
    long count = 0;
    while (stream.hasNext()) {
      assertEquals(count, stream.next().getAggregateSequenceNumber(), "sequence of " + id);
      count++;
    }
    assertEquals(next + 1, count, "every event of " + id + " once");
  }
}

package io.caucus.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.cluster.rpc.SnapshotChunk;
import io.caucus.cluster.transport.Transport;
import io.caucus.consensus.Membership;
import io.caucus.consensus.NodeState;
import io.caucus.consensus.RaftConfig;
import io.caucus.consensus.Role;
import io.caucus.error.ErrorCode;
import io.caucus.eventstore.ApplyResult;
import io.caucus.eventstore.CommandCodec;
import io.caucus.eventstore.Event;
import io.caucus.eventstore.EventCommand;
import io.caucus.eventstore.EventStore;
import io.caucus.eventstore.EventStores;
import io.caucus.eventstore.StoredEvent;
import io.caucus.eventstore.storage.InMemoryStorageFactory;
import io.caucus.log.FileRaftLog;
import io.caucus.log.LogSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One replication group serving two contexts ({@code orders} and {@code billing}): three {@link
 * GroupRunner}s on an {@link InMemoryNetwork}, each on the real {@link FileRaftLog} in a temporary
 * folder, with an {@link EventStoreStateMachine} over real event stores (in-memory storage, so that
 * a test can also start a member over empty stores). Every test checks every member's stores.
 */
class MultiContextGroupTest {

  private static final String GROUP = "g";
  private static final List<String> NAMES = List.of("a", "b", "c");

  @TempDir Path dir;

  private final InMemoryNetwork network = new InMemoryNetwork();
  private final Map<String, GroupRunner> runners = new LinkedHashMap<>();
  private final Map<String, EventStores> stores = new ConcurrentHashMap<>();
  private final Map<String, EventStoreStateMachine> machines = new ConcurrentHashMap<>();
  private final Map<String, Transport> transports = new ConcurrentHashMap<>();

  /** Contexts a member opens when an entry names one it does not serve yet. */
  private final Set<String> openable = ConcurrentHashMap.newKeySet();

  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopAll() {
    ticker.shutdownNow();
    runners.values().forEach(GroupRunner::stop);
    network.close();
    stores.values().forEach(EventStores::close);
  }

  @Test
  void eventsOfOneContextNeverAppearInTheOtherUnderConcurrentAppends() throws Exception {
    startGroup(NAMES, List.of("orders", "billing"), 0);
    GroupRunner leader = awaitLeader();
    ExecutorService writers = Executors.newFixedThreadPool(2);
    try {
      Future<?> orders = writers.submit(() -> appendMany(leader, "orders", 40));
      Future<?> billing = writers.submit(() -> appendMany(leader, "billing", 40));
      orders.get(60, TimeUnit.SECONDS);
      billing.get(60, TimeUnit.SECONDS);
    } finally {
      writers.shutdownNow();
    }
    for (String n : NAMES) {
      await(() -> count(n, "orders") == 80 && count(n, "billing") == 80, n + " applied all");
      assertOnlyOwnEvents(n, "orders", 80);
      assertOnlyOwnEvents(n, "billing", 80);
    }
  }

  @Test
  void aMemberRestoredFromASnapshotGetsBothContexts() throws Exception {
    startGroup(NAMES, List.of("orders", "billing"), 10);
    GroupRunner leader = awaitLeader();
    String leaderName = nameOf(leader);
    String lagging = NAMES.stream().filter(n -> !n.equals(leaderName)).findFirst().orElseThrow();
    network.freeze(lagging);
    appendMany(leader, "orders", 30);
    appendMany(leader, "billing", 30);
    // The leader's log no longer holds what the frozen member misses: it needs a snapshot.
    await(
        () -> runners.get(leaderName).status().applied() > 60 && leaderCompacted(leaderName),
        "the leader compacted its log past the lagging member");
    network.thaw(lagging);
    await(
        () -> count(lagging, "orders") == 60 && count(lagging, "billing") == 60,
        lagging + " caught up in both contexts");
    // The stores are restored before the log records the snapshot it came from: wait for both.
    await(
        () -> snapshotIndex.get(lagging).getAsLong() > 1,
        "the lagging member's log starts after a snapshot: it was restored from one");
    assertOnlyOwnEvents(lagging, "orders", 60);
    assertOnlyOwnEvents(lagging, "billing", 60);
    assertEquals(
        read(leaderName, "billing"), read(lagging, "billing"), "billing equal to the leader's");
    assertEquals(read(leaderName, "orders"), read(lagging, "orders"), "orders equal too");
  }

  @Test
  void aContextCreatedAndDeletedWhileTheGroupRuns() throws Exception {
    startGroup(NAMES, List.of("orders"), 0);
    GroupRunner leader = awaitLeader();
    appendMany(leader, "orders", 3);

    // Created: every member opens its store when the first entry naming it arrives.
    openable.add("billing");
    appendMany(leader, "billing", 5);
    for (String n : NAMES) {
      await(() -> count(n, "billing") == 10, n + " serves the new context");
      assertOnlyOwnEvents(n, "billing", 10);
      assertOnlyOwnEvents(n, "orders", 6);
    }

    // Deleted (as the Reconciler does on each member): its store goes, orders runs on.
    openable.remove("billing");
    for (String n : NAMES) {
      assertTrue(machines.get(n).removeContext("billing"));
      stores.get(n).delete("billing");
    }
    ApplyResult late =
        leader.propose(commandOf("billing", 99), ApplyResult.class).get(10, TimeUnit.SECONDS);
    assertEquals(
        ErrorCode.CONTEXT_NOT_FOUND, assertInstanceOf(ApplyResult.Rejected.class, late).code());
    appendMany(leader, "orders", 2);
    for (String n : NAMES) {
      await(() -> count(n, "orders") == 10, n + " applied orders after the delete");
      assertEquals(Set.of("orders"), machines.get(n).contexts(), n + " serves only orders");
      assertTrue(stores.get(n).find("billing").isEmpty(), n + " closed billing's store");
    }
  }

  @Test
  void entriesWrittenInTheOldFormatReplayIntoTheFirstContext() throws Exception {
    List<String> one = List.of("a");
    startGroup(one, List.of("orders", "billing"), 0);
    GroupRunner leader = awaitLeader();
    // What a node wrote before entries named their context: version 1 commands.
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(
          ApplyResult.Accepted.class,
          leader
              .propose(
                  CommandCodec.encodeVersion1(
                      new EventCommand.AppendEvents(List.of(event("orders", i)))),
                  ApplyResult.class)
              .get(10, TimeUnit.SECONDS));
    }
    appendMany(leader, "billing", 2);
    assertOnlyOwnEvents("a", "orders", 3);
    assertOnlyOwnEvents("a", "billing", 4);

    // Restarted over empty stores, the member replays its whole log, old entries included.
    leader.stop();
    assertTrue(leader.awaitStopped(10_000));
    runners.clear();
    stores.remove("a").close();
    startGroup(one, List.of("orders", "billing"), 0);
    await(() -> count("a", "orders") == 3 && count("a", "billing") == 4, "the log was replayed");
    assertOnlyOwnEvents("a", "orders", 3);
    assertOnlyOwnEvents("a", "billing", 4);
  }

  // ------------------------------------------------------------------ appends and checks

  /** {@code transactions} appends of two events each to {@code context}, each accepted. */
  private void appendMany(GroupRunner leader, String context, int transactions) {
    try {
      for (int i = 0; i < transactions; i++) {
        ApplyResult r =
            leader.propose(commandOf(context, i), ApplyResult.class).get(20, TimeUnit.SECONDS);
        assertInstanceOf(ApplyResult.Accepted.class, r, context + " transaction " + i);
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private final java.util.concurrent.atomic.AtomicInteger aggregates =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Two events of a new aggregate {@code context-N-i}, each naming its context. */
  private byte[] commandOf(String context, int n) {
    String i = aggregates.incrementAndGet() + "-" + n;
    return CommandCodec.encodeEvents(
        context,
        List.of(event(context + "-" + i, 0, context), event(context + "-" + i, 1, context)));
  }

  private Event event(String context, long seq) {
    return event(context + "-old-" + seq, 0, context);
  }

  private static Event event(String aggregate, long seq, String context) {
    return new Event(
        aggregate + "/" + seq,
        aggregate,
        "Agg",
        seq,
        1L,
        "E",
        "",
        context.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        Map.of("context", context));
  }

  /** Events in a member's store of a context; -1 while a snapshot is installed there. */
  private int count(String member, String context) {
    try {
      return store(member, context).map(s -> s.readEvents(0, 10_000).size()).orElse(0);
    } catch (io.caucus.eventstore.EventStoreException e) {
      return -1;
    }
  }

  private List<String> read(String member, String context) {
    List<String> ids = new ArrayList<>();
    for (StoredEvent e : store(member, context).orElseThrow().readEvents(0, 10_000)) {
      ids.add(e.token() + ":" + e.event().messageId());
    }
    return ids;
  }

  private Optional<EventStore> store(String member, String context) {
    EventStoreStateMachine sm = machines.get(member);
    return sm == null ? Optional.empty() : sm.store(context);
  }

  private void assertOnlyOwnEvents(String member, String context, int expected) {
    List<StoredEvent> events = store(member, context).orElseThrow().readEvents(0, 10_000);
    assertEquals(expected, events.size(), member + "/" + context + " event count");
    for (StoredEvent e : events) {
      assertEquals(context, e.event().metadata().get("context"), member + "/" + context + ": " + e);
      assertTrue(e.event().aggregateId().startsWith(context + "-"), member + ": " + e);
    }
  }

  private boolean leaderCompacted(String leader) {
    return runners.get(leader).status().applied() > 0 && firstLogIndex.get(leader).getAsLong() > 1;
  }

  // ------------------------------------------------------------------ fixture

  private final Map<String, java.util.function.LongSupplier> firstLogIndex =
      new ConcurrentHashMap<>();
  private final Map<String, java.util.function.LongSupplier> snapshotIndex =
      new ConcurrentHashMap<>();

  private void startGroup(List<String> names, List<String> contexts, long compactionThreshold) {
    Map<String, Role> roles = new LinkedHashMap<>();
    names.forEach(n -> roles.put(n, Role.PRIMARY));
    Membership members = Membership.of(roles);
    for (String n : names) {
      Transport t = transports.computeIfAbsent(n, network::node);
      ReplicationLog log =
          new FileReplicationLog(FileRaftLog.open(LogSettings.forGroup(dir.resolve(n), GROUP)));
      firstLogIndex.put(n, log::firstIndex);
      snapshotIndex.put(n, () -> log.snapshot() == null ? 0 : log.snapshot().index());
      EventStores es =
          stores.computeIfAbsent(n, x -> new EventStores(new InMemoryStorageFactory()));
      Map<String, EventStore> initial = new LinkedHashMap<>();
      contexts.forEach(c -> initial.put(c, es.open(c)));
      EventStoreStateMachine sm =
          new EventStoreStateMachine(
              GROUP,
              contexts.get(0),
              initial,
              (c, index) -> openable.contains(c) ? Optional.of(es.open(c)) : Optional.empty());
      machines.put(n, sm);
      RaftConfig config =
          RaftConfig.defaults(n).withTimeouts(30, 150, 300, 10).withBootstrap(members);
      GroupRunner r =
          new GroupRunner(
              GROUP,
              config,
              log,
              sm,
              new RunnerEnvironment(
                  t, Executors.defaultThreadFactory(), System::nanoTime, 42 + names.indexOf(n)),
              new GroupListener() {
                @Override
                public void leaderChanged(String group, String leader) {}

                @Override
                public void membershipChanged(String group, Membership membership) {}
              },
              compactionThreshold);
      t.registerService(
          GroupRunner.SNAPSHOT_SERVICE,
          (from, payload) ->
              r.receiveChunk(SnapshotChunk.decode(payload)).thenApply(x -> new byte[0]));
      runners.put(n, r);
      r.start();
    }
    if (!ticking) {
      ticking = true;
      ticker.scheduleAtFixedRate(
          () -> runners.values().forEach(GroupRunner::tick), 10, 10, TimeUnit.MILLISECONDS);
    }
  }

  private volatile boolean ticking;

  private GroupRunner awaitLeader() throws InterruptedException {
    await(
        () -> runners.values().stream().anyMatch(r -> r.status().state() == NodeState.LEADER),
        "a leader is elected");
    GroupRunner leader =
        runners.values().stream()
            .filter(r -> r.status().state() == NodeState.LEADER)
            .findFirst()
            .orElseThrow();
    await(() -> leader.status().applied() > 0, "the leader committed an entry of its term");
    return leader;
  }

  private String nameOf(GroupRunner r) {
    return runners.entrySet().stream()
        .filter(e -> e.getValue() == r)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    RuntimeTestSupport.await(condition, what, Duration.ofSeconds(30));
  }
}

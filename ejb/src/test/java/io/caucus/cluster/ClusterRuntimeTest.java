package io.caucus.cluster;

import static io.caucus.cluster.RuntimeTestSupport.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.cluster.transport.NodeAddress;
import io.caucus.consensus.Role;
import io.caucus.error.ErrorCode;
import io.caucus.eventstore.ApplyResult;
import io.caucus.eventstore.StoredEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three cluster runtimes in one JVM, each with its own JGroups channel on loopback, its own file
 * logs and Infinispan stores on disk: autocluster, replication through the leader, forwarding from
 * a follower, and a new leader after the old one stops.
 */
class ClusterRuntimeTest {

  /** Internal ports are BASE_PORT + n, failure detection BASE_PORT + n + 100: all free. */
  private static final int BASE_PORT = LoopbackPorts.freeBaseForThreeNodes();

  @TempDir Path dir;

  private final List<ClusterRuntime> runtimes = new ArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

  @AfterEach
  void stop() {
    runtimes.forEach(ClusterRuntime::close);
    scheduler.shutdownNow();
  }

  private ClusterRuntime runtime(int n) {
    return runtime(n, 1 << 20, false, Duration.ofHours(1), 0);
  }

  private ClusterRuntime runtime(
      int n, long segmentSize, boolean logCompaction, Duration retention, long threshold) {
    ClusterSettings settings =
        RuntimeTestSupport.settings(n, BASE_PORT, dir)
            .segmentSize(segmentSize)
            .logCompaction(logCompaction, retention)
            .compactionThreshold(threshold)
            .build();
    ClusterRuntime r = new ClusterRuntime(settings, Executors.defaultThreadFactory(), scheduler);
    runtimes.add(r);
    return r;
  }

  @Test
  void autoclusterReplicatesForwardsAndSurvivesTheLossOfTheLeader() throws Exception {
    ClusterRuntime first = runtime(1);
    first.start(true);
    first.initialise(List.of("default"));
    ClusterRuntime second = runtime(2);
    second.start(false);
    second.joinAutocluster(new NodeAddress("127.0.0.1", BASE_PORT + 1), List.of("default"));
    ClusterRuntime third = runtime(3);
    third.start(false);
    third.joinAutocluster(new NodeAddress("127.0.0.1", BASE_PORT + 1), List.of("default"));

    for (ClusterRuntime r : runtimes) {
      await(() -> r.notReadyBecause().isEmpty(), r.name() + " ready: " + r.notReadyBecause());
    }
    await(
        () ->
            first.structure().group("default").orElseThrow().members().withRole(Role.PRIMARY).size()
                    == 3
                && runtimes.stream()
                    .allMatch(
                        // A group starts only after _admin replayed its start-up index: absent yet
                        // is "not yet", not a failure.
                        r ->
                            r.group("default")
                                .map(g -> g.membership().roles().size() == 3)
                                .orElse(false)),
        "default has three primaries in the structure and in RAFT");

    // Appended through a node that may or may not lead: forwarded once when it does not.
    for (ClusterRuntime r : runtimes) {
      String agg = "via-" + r.name();
      ApplyResult result = r.append("default", events(agg, 0, 5), Duration.ofSeconds(10));
      assertInstanceOf(ApplyResult.Accepted.class, result);
      ApplyResult stale = r.append("default", events(agg, 3, 1), Duration.ofSeconds(10));
      assertInstanceOf(ApplyResult.Rejected.class, stale);
      assertEquals(ErrorCode.INVALID_SEQUENCE, ((ApplyResult.Rejected) stale).code());
    }
    await(
        () -> runtimes.stream().allMatch(r -> r.store("default").orElseThrow().lastToken() == 14),
        "15 events everywhere");
    List<StoredEvent> reference = first.store("default").orElseThrow().readEvents(0, 100);
    for (ClusterRuntime r : runtimes) {
      assertEquals(reference, r.store("default").orElseThrow().readEvents(0, 100), r.name());
    }
    assertThrows(
        ContextNotFoundException.class,
        () -> second.append("nowhere", events("x", 0, 1), Duration.ofSeconds(1)));

    String leader = first.group("default").orElseThrow().leader();
    ClusterRuntime old = runtimes.stream().filter(r -> r.name().equals(leader)).findFirst().get();
    old.close();
    List<ClusterRuntime> survivors = runtimes.stream().filter(r -> r != old).toList();
    await(
        () ->
            survivors.stream()
                .allMatch(
                    r -> {
                      String l = r.group("default").orElseThrow().leader();
                      return l != null && !l.equals(leader);
                    }),
        "a new leader among the survivors");
    ApplyResult after =
        survivors.get(0).append("default", events("after", 0, 2), Duration.ofSeconds(15));
    assertInstanceOf(ApplyResult.Accepted.class, after);
    assertEquals(15, ((ApplyResult.Accepted) after).firstToken());
  }

  @Test
  void aRegisteredNodeFollowsAdminWithoutVotingAndForwardsAppendsToAContextItDoesNotStore()
      throws Exception {
    ClusterRuntime first = runtime(1);
    first.start(true);
    first.initialise(List.of("default"));
    await(() -> first.notReadyBecause().isEmpty(), "first ready: " + first.notReadyBecause());
    ClusterRuntime follower = runtime(2);
    follower.start(false);
    io.caucus.cluster.admin.AdminResult registered =
        follower
            .admin(
                new io.caucus.cluster.admin.AdminCommand.RegisterNode(
                    RuntimeTestSupport.nodeInfo(2, BASE_PORT)),
                "n1")
            .get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(registered.isOk(), registered.toString());

    await(
        () -> follower.notReadyBecause().isEmpty(),
        "the registered node learns the structure: " + follower.notReadyBecause());
    assertEquals(
        Role.PASSIVE_BACKUP,
        follower.structure().group(ClusterRuntime.ADMIN).orElseThrow().members().roleOf("n2"));
    await(
        () ->
            first.group(ClusterRuntime.ADMIN).orElseThrow().membership().roleOf("n2")
                == Role.PASSIVE_BACKUP,
        "the _admin leader made n2 a non-voting member of the group's RAFT");
    assertEquals("n1", follower.group(ClusterRuntime.ADMIN).orElseThrow().leader());
    assertTrue(follower.group("default").isEmpty(), "n2 is not a member of default");
    assertTrue(follower.store("default").isEmpty(), "n2 stores no events of default");

    ApplyResult forwarded =
        follower.append("default", events("from-n2", 0, 3), Duration.ofSeconds(10));
    assertInstanceOf(ApplyResult.Accepted.class, forwarded);
    assertEquals(3, first.store("default").orElseThrow().readEvents(0, 10).size());
  }

  @Test
  void compactionDropsOnlySyncedEntriesAndDeletesRetiredSegmentFiles() throws Exception {
    Path groupLog = dir.resolve("n1/log/default");
    ClusterRuntime first = runtime(1, 1024, true, Duration.ZERO, 40);
    first.start(true);
    first.initialise(List.of("default"));
    await(() -> first.notReadyBecause().isEmpty(), "first ready: " + first.notReadyBecause());
    // Ready means the autocluster contexts exist: a client told "ready" must find them.
    assertTrue(first.structure().context("default").isPresent(), "context default exists");
    for (int i = 0; i < 60; i++) {
      assertInstanceOf(
          ApplyResult.Accepted.class,
          first.append("default", events("c", i * 5L, 5), Duration.ofSeconds(10)));
    }
    long applied = first.store("default").orElseThrow().lastAppliedIndex();
    long segments;
    try (var files = java.nio.file.Files.list(groupLog)) {
      segments = files.filter(f -> f.toString().endsWith(".seg")).count();
    }
    // 60 appends of ~300-byte entries in 1 KiB segments would be dozens of files without deletion.
    assertTrue(segments < 15, "retired segment files are deleted, " + segments + " left");
    first.close();
    runtimes.clear();

    ClusterRuntime again = runtime(1, 1024, true, Duration.ZERO, 40);
    again.start(false);
    await(() -> again.notReadyBecause().isEmpty(), "restarted: " + again.notReadyBecause());
    assertEquals(applied, again.store("default").orElseThrow().lastAppliedIndex());
    assertEquals(300, again.store("default").orElseThrow().readEvents(0, 1000).size());
    assertInstanceOf(
        ApplyResult.Accepted.class,
        again.append("default", events("c", 300, 1), Duration.ofSeconds(10)));
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    RuntimeTestSupport.await(condition, what, Duration.ofSeconds(60));
  }
}

package io.caucus.cluster;

import static io.caucus.cluster.RuntimeTestSupport.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.cluster.admin.AdminCommand;
import io.caucus.cluster.admin.AdminResult;
import io.caucus.cluster.transport.NodeAddress;
import io.caucus.eventstore.ApplyResult;
import io.caucus.eventstore.StoredEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * A second context in a running replication group, through the runtime's own paths: three cluster
 * runtimes in one JVM on loopback JGroups, with file logs and Infinispan stores on disk. The
 * context is created with an admin command, appended to concurrently with the first, read on every
 * node, deleted with its data while the group runs on, and not brought back by a restart.
 */
class MultiContextRuntimeTest {

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
    ClusterSettings settings = RuntimeTestSupport.settings(n, BASE_PORT, dir).build();
    ClusterRuntime r = new ClusterRuntime(settings, Executors.defaultThreadFactory(), scheduler);
    runtimes.add(r);
    return r;
  }

  @Test
  void aSecondContextInARunningGroupIsServedApartAndDeletedWhileTheGroupRunsOn() throws Exception {
    ClusterRuntime first = runtime(1);
    first.start(true);
    first.initialise(List.of("default"));
    for (int n = 2; n <= 3; n++) {
      ClusterRuntime r = runtime(n);
      r.start(false);
      r.joinAutocluster(new NodeAddress("127.0.0.1", BASE_PORT + 1), List.of("default"));
    }
    for (ClusterRuntime r : runtimes) {
      await(() -> r.notReadyBecause().isEmpty(), r.name() + " ready: " + r.notReadyBecause());
    }
    append(first, "default", "ord-0", 0, 5);

    // Created in the existing group through a node that is not the _admin leader.
    admin(runtimes.get(2), new AdminCommand.CreateContext("billing", "default", Map.of()));
    assertEquals("default", first.groupOf("billing"));
    for (ClusterRuntime r : runtimes) {
      await(() -> r.store("billing").isPresent(), r.name() + " opened the store of billing");
    }

    ExecutorService writers = Executors.newFixedThreadPool(2);
    try {
      Future<?> orders =
          writers.submit(
              () -> {
                for (int i = 1; i <= 20; i++) {
                  append(runtimes.get(1), "default", "ord-" + i, 0, 3);
                }
                return null;
              });
      Future<?> billing =
          writers.submit(
              () -> {
                for (int i = 1; i <= 20; i++) {
                  append(runtimes.get(2), "billing", "bil-" + i, 0, 2);
                }
                return null;
              });
      orders.get(120, TimeUnit.SECONDS);
      billing.get(120, TimeUnit.SECONDS);
    } finally {
      writers.shutdownNow();
    }
    for (ClusterRuntime r : runtimes) {
      await(
          () -> read(r, "default").size() == 65 && read(r, "billing").size() == 40,
          r.name() + " has every event of both contexts");
      assertOnly(r, "default", "ord-");
      assertOnly(r, "billing", "bil-");
      assertEquals(read(first, "billing"), read(r, "billing"), r.name() + ": billing as on n1");
    }
    assertTrue(
        Files.isDirectory(dir.resolve(first.name() + "/data/billing")),
        "billing has its own folder");

    // Deleted with its data: each member closes and deletes that store; default runs on.
    admin(first, new AdminCommand.DeleteContext("billing", true));
    for (ClusterRuntime r : runtimes) {
      Path folder = dir.resolve(r.name() + "/data/billing");
      await(
          () -> r.store("billing").isEmpty() && !Files.exists(folder),
          r.name() + " closed and deleted the store of billing");
      assertTrue(r.group("default").isPresent(), r.name() + " still runs default");
    }
    append(first, "default", "ord-after", 0, 1);
    for (ClusterRuntime r : runtimes) {
      await(() -> read(r, "default").size() == 66, r.name() + " applied default after the delete");
    }

    // A restart replays the group's log, billing's entries included: they do not bring it back.
    ClusterRuntime last = runtimes.get(2);
    last.close();
    runtimes.remove(last);
    ClusterRuntime again = runtime(3);
    again.start(false);
    await(() -> again.notReadyBecause().isEmpty(), "restarted: " + again.notReadyBecause());
    await(() -> again.store("default").map(s -> s.lastToken() == 65).orElse(false), "replayed");
    assertTrue(again.store("billing").isEmpty(), "billing is not served after the restart");
    assertFalse(
        Files.exists(dir.resolve(again.name() + "/data/billing")), "nor has it a folder again");
    assertOnly(again, "default", "ord-");
  }

  private static void append(
      ClusterRuntime via, String context, String aggregate, long firstSeq, int count)
      throws Exception {
    assertInstanceOf(
        ApplyResult.Accepted.class,
        via.append(context, events(aggregate, firstSeq, count), Duration.ofSeconds(20)),
        context + "/" + aggregate);
  }

  private static void admin(ClusterRuntime via, AdminCommand command) throws Exception {
    AdminResult r = via.admin(command).get(20, TimeUnit.SECONDS);
    assertTrue(r.isOk() && r.changed(), command + " -> " + r);
  }

  private static List<StoredEvent> read(ClusterRuntime r, String context) {
    return r.store(context).map(s -> s.readEvents(0, 1000)).orElse(List.of());
  }

  private static void assertOnly(ClusterRuntime r, String context, String aggregatePrefix) {
    for (StoredEvent e : read(r, context)) {
      assertTrue(
          e.event().aggregateId().startsWith(aggregatePrefix),
          r.name() + "/" + context + " holds an event of another context: " + e);
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    RuntimeTestSupport.await(condition, what, Duration.ofSeconds(30));
  }
}

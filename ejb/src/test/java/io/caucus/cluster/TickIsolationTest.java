package io.caucus.cluster;

import static io.caucus.cluster.RuntimeTestSupport.await;
import static io.caucus.cluster.RuntimeTestSupport.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.cluster.admin.AdminCommand;
import io.caucus.cluster.admin.AdminResult;
import io.caucus.cluster.transport.NodeAddress;
import io.caucus.eventstore.ApplyResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group stop that takes long does not delay the ticks of the node's other groups (issue 9 §7):
 * three runtimes in one JVM on loopback JGroups with file logs and Infinispan stores. The leader of
 * {@code default} is removed from {@code other}; the thread of its {@code other} runner is held
 * after its loop ended (the runner's stop and the reconciler's wait for it block for seconds, as a
 * runner stuck in a slow close would), and meanwhile {@code default} keeps its leader and term: its
 * leader still ticks, so it still sends heartbeats and no follower starts an election. With ticks
 * on the shared scheduler, as before issue 9, the stop held both of its threads and the term rose.
 */
class TickIsolationTest {

  private static final int BASE_PORT = LoopbackPorts.freeBaseForThreeNodes();

  /** How long the held runner thread stays alive: several election timeouts (500-1000 ms). */
  private static final Duration HOLD = Duration.ofSeconds(6);

  @TempDir Path dir;

  private final List<ClusterRuntime> runtimes = new ArrayList<>();
  private final List<HoldingThreads> factories = new ArrayList<>();

  /** One scheduler per runtime, as each deployed node has its own. */
  private final List<ScheduledExecutorService> schedulers = new ArrayList<>();

  @AfterEach
  void stop() {
    factories.forEach(f -> f.release.countDown());
    runtimes.forEach(ClusterRuntime::close);
    schedulers.forEach(ScheduledExecutorService::shutdownNow);
  }

  /**
   * Real threads for a runtime; once {@link #hold} names a group, the thread of that group's runner
   * stays alive after the runner's loop has ended (log and store closed) until released.
   */
  private static final class HoldingThreads implements ThreadFactory {
    private final ThreadFactory delegate = Executors.defaultThreadFactory();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile String hold;

    @Override
    public Thread newThread(Runnable r) {
      Thread t =
          delegate.newThread(
              () -> {
                r.run();
                if (hold != null
                    && Thread.currentThread().getName().equals("caucus-group-" + hold)) {
                  held.countDown();
                  try {
                    release.await(60, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
              });
      t.setDaemon(true);
      return t;
    }
  }

  private ClusterRuntime runtime(int n) {
    HoldingThreads threads = new HoldingThreads();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    schedulers.add(scheduler);
    ClusterRuntime r =
        new ClusterRuntime(
            RuntimeTestSupport.settings(n, BASE_PORT, dir).build(), threads, scheduler);
    runtimes.add(r);
    factories.add(threads);
    return r;
  }

  private static int raftMembers(ClusterRuntime r, String group) {
    return r.group(group).map(g -> g.membership().roles().size()).orElse(0);
  }

  @Test
  void aStopThatBlocksDoesNotDelayTheTicksOfOtherGroups() throws Exception {
    List<String> contexts = List.of("default", "other");
    ClusterRuntime first = runtime(1);
    first.start(true);
    first.initialise(contexts);
    // The first node runs both groups before the others join: a group whose structure already
    // has several members when this node's reconciler first sees it is not bootstrapped here.
    await(
        () -> first.notReadyBecause().isEmpty(),
        "the first node serves both contexts",
        Duration.ofSeconds(60));
    for (int n = 2; n <= 3; n++) {
      ClusterRuntime r = runtime(n);
      r.start(false);
      r.joinAutocluster(new NodeAddress("127.0.0.1", BASE_PORT + 1), contexts);
    }
    for (ClusterRuntime r : runtimes) {
      await(() -> r.notReadyBecause().isEmpty(), r.name() + " ready", Duration.ofSeconds(60));
    }
    await(
        () ->
            runtimes.stream()
                .allMatch(r -> raftMembers(r, "default") == 3 && raftMembers(r, "other") == 3),
        "both groups have three members in RAFT everywhere",
        Duration.ofSeconds(30));

    String leaderName = first.group("default").orElseThrow().leader();
    int l =
        runtimes.indexOf(
            runtimes.stream().filter(r -> r.name().equals(leaderName)).findFirst().orElseThrow());
    ClusterRuntime leader = runtimes.get(l);
    HoldingThreads leaderThreads = factories.get(l);
    long term = leader.group("default").orElseThrow().term();

    leaderThreads.hold = "other";
    AdminResult removed =
        leader
            .admin(new AdminCommand.RemoveNodeFromGroup("other", leaderName, false))
            .get(20, TimeUnit.SECONDS);
    assertTrue(removed.isOk() && removed.changed(), "removal -> " + removed);
    assertTrue(
        leaderThreads.held.await(20, TimeUnit.SECONDS),
        "the runner of other on the leader ended its loop and is held");

    // While the stop is held up, default's leader keeps ticking, so it sends heartbeats and no
    // follower starts an election. (No appends meanwhile: their replication would stand in for
    // heartbeats and hide stalled ticks.)
    long holdEnd = System.nanoTime() + HOLD.toNanos();
    while (System.nanoTime() < holdEnd) {
      for (ClusterRuntime r : runtimes) {
        GroupStatus st = r.group("default").orElseThrow();
        assertEquals(leaderName, st.leader(), r.name() + " still follows the same leader");
        assertEquals(term, st.term(), r.name() + ": default's term is unchanged");
      }
      Thread.sleep(200);
    }
    assertEquals(1, leaderThreads.release.getCount(), "the stop was held the whole time");

    leaderThreads.release.countDown();
    await(
        () -> leader.store("other").isEmpty(),
        "the stop of other completes once released (store closed, data kept)",
        Duration.ofSeconds(30));
    assertEquals(term, leader.group("default").orElseThrow().term(), "still no election");
    assertInstanceOf(
        ApplyResult.Accepted.class,
        leader.append("default", events("a", 0, 1), Duration.ofSeconds(10)),
        "default takes appends");
  }
}

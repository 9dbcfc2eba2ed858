package io.caucus.cluster;

import static io.caucus.cluster.RuntimeTestSupport.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.caucus.eventstore.ApplyResult;
import io.caucus.eventstore.EventStore;
import io.caucus.eventstore.StoredEvent;
import io.caucus.testing.TestFiles;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's upgrade promise: a node whose log already holds a committed append with a 4,100-char
 * aggregate identifier (the entry that stopped the group on every member before the fix) comes back
 * after the upgrade. The entry replays to the deterministic rejection, every good event is still
 * readable, the next append commits, and a restart gives the same state.
 *
 * <p>The fixture {@code fixtures/poison-log-da2ca6d/n1} (log and Infinispan store of one node, 74
 * KiB) was written by the code of commit da2ca6d, before the fix: a throwaway JUnit test in a
 * detached worktree of that commit, package {@code io.caucus.cluster}, started one {@link
 * ClusterRuntime} as node n1 ({@code RuntimeTestSupport.nodeInfo(1, 34300)}, internal port 34301,
 * 50 ms ticks, 1 MiB segments, no compaction), {@code start(true)}, {@code
 * initialise(List.of("default"))}, appended {@code events("order-1", 0, 3)}, {@code
 * events("order-2", 0, 2)} and {@code events("order-1", 3, 1)} (log indexes 3-5, tokens 0-5), then
 * proposed one event with aggregate identifier {@code "p".repeat(4100)} (index 6) through the
 * group's runner. Its apply failed with ISPN029018 and the group stopped, as in the issue; a good
 * append proposed right behind it did not reach the log (the group had stopped), so the append
 * after the poison is made here, by the new code. The runtime was closed and {@code n1} copied.
 */
class PoisonLogUpgradeTest {

  /** The fixture's node was n1 at internal port 34301 (recorded in its known-nodes file). */
  private static final int FIXTURE_BASE_PORT = 34300;

  private static final long POISON_INDEX = 6;

  @TempDir Path dir;

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private ClusterRuntime runtime;

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
    scheduler.shutdownNow();
  }

  @Test
  void aLogBrickedByAnOversizedIdentifierReplaysToTheRejectionAndTakesNewAppends()
      throws Exception {
    copyFixture(dir);

    runtime = start();
    EventStore store = runtime.store("default").orElseThrow();
    await(() -> store.lastAppliedIndex() >= POISON_INDEX, "the poison entry is applied");
    assertGoodEventsOnly(store, 6);

    ApplyResult next = runtime.append("default", events("order-3", 0, 2), Duration.ofSeconds(10));
    assertInstanceOf(ApplyResult.Accepted.class, next, "the append after the poison commits");
    assertEquals(6, ((ApplyResult.Accepted) next).firstToken(), "no token went to the poison");
    assertGoodEventsOnly(store, 8);
    long applied = store.lastAppliedIndex();
    runtime.close();

    runtime = start();
    EventStore again = runtime.store("default").orElseThrow();
    await(() -> again.lastAppliedIndex() >= applied, "the restart replays to " + applied);
    assertGoodEventsOnly(again, 8);
    assertEquals(1, again.highestSequence("order-3"));
    assertInstanceOf(
        ApplyResult.Accepted.class,
        runtime.append("default", events("order-2", 2, 1), Duration.ofSeconds(10)));
  }

  private ClusterRuntime start() throws InterruptedException {
    ClusterSettings settings = RuntimeTestSupport.settings(1, FIXTURE_BASE_PORT, dir).build();
    ClusterRuntime r = new ClusterRuntime(settings, Executors.defaultThreadFactory(), scheduler);
    r.start(false);
    await(() -> r.notReadyBecause().isEmpty(), "ready: " + r.notReadyBecause());
    return r;
  }

  /** Tokens 0..count-1 hold the good events in order, none of the poison aggregate. */
  private static void assertGoodEventsOnly(EventStore store, int count) {
    List<StoredEvent> all = store.readEvents(0, 100);
    assertEquals(count, all.size(), "events: " + all);
    for (int i = 0; i < count; i++) {
      assertEquals(i, all.get(i).token());
      assertFalse(all.get(i).event().aggregateId().startsWith("ppp"), "poison stored: " + i);
    }
    assertEquals(count - 1, store.lastToken());
    assertEquals(3, store.highestSequence("order-1"));
    assertEquals(1, store.highestSequence("order-2"));
    assertEquals(4, store.aggregateEvents("order-1", 0, false).size(), "order-1 has 4 events");
  }

  private static void await(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    RuntimeTestSupport.await(condition, what, Duration.ofSeconds(60));
  }

  private static void copyFixture(Path target) throws IOException, URISyntaxException {
    TestFiles.copyResource("/fixtures/poison-log-da2ca6d", target);
  }
}

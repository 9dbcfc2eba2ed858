package io.caucus.eventstore;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.eventstore.infinispan.InfinispanStorageFactory;
import io.caucus.eventstore.infinispan.InfinispanStorageSettings;
import io.caucus.eventstore.storage.InMemoryStoragePort;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash: a child JVM applies a log to an Infinispan store on disk and is killed (SIGKILL) in
 * the middle; the parent reopens the same files (Infinispan sees an unclean shutdown), replays the
 * log from the store's applied index, and must read exactly like an uninterrupted run.
 */
class ProcessKillTest {

  @TempDir Path dir;

  private static final int ENTRIES = 1500;

  @Test
  void killedMidApplyThenReopenedAndReplayedReadsLikeAnUninterruptedRun() throws Exception {
    long seed = 77;
    RandomLog log = new RandomLog(seed, ENTRIES, 50, 20);
    DefaultEventStore reference = DefaultEventStore.open("ref", new InMemoryStoragePort());
    log.applyAll(reference);
    for (int killAfter : new int[] {150, 900}) {
      Path data = dir.resolve("kill-" + killAfter);
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  KillTestTarget.class.getName(),
                  data.toString(),
                  Long.toString(seed),
                  Integer.toString(ENTRIES))
              .redirectErrorStream(true)
              .start();
      List<String> lines = new ArrayList<>();
      int applied = 0;
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("APPLIED") && ++applied >= killAfter) {
            break;
          }
          if (!line.startsWith("APPLIED")) {
            lines.add(line);
          }
          if (line.equals("DONE")) {
            break;
          }
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child killed");
      }
      assertTrue(applied >= killAfter, "child applied " + applied + "; output: " + lines);
      try (InfinispanStorageFactory factory =
          new InfinispanStorageFactory(data, new InfinispanStorageSettings(false, 0))) {
        DefaultEventStore store = DefaultEventStore.open("killed", factory.open("killed"));
        assertTrue(store.lastAppliedIndex() > 0, "something was durable");
        log.replay(store);
        StoreComparison.assertSameReads(reference, store, log.aggregateIds, log.maxTimestamp);
        store.close();
      }
    }
  }
}

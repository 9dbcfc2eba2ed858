package io.caucus.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.eventstore.ApplyResult;
import io.caucus.testing.TestFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store whose disk fills up (a real tmpfs under the event storage, the log on a healthy disk)
 * stops its group on that member with a reason readiness reports, loses nothing, and a restart on a
 * working disk replays the entry that failed.
 */
class ClusterRuntimeStorageFailureTest {

  private static final int BASE_PORT = LoopbackPorts.freeBaseForThreeNodes();
  private static final int PAYLOAD_BYTES = 32 * 1024;

  @TempDir Path dir;

  @Test
  void aFullDiskStopsTheGroupOnThisMemberWithAClearReason() throws Exception {
    fillTheDiskUntilTheStoreFails(false);
  }

  // Found by this test: after ENOSPC the Infinispan file store's data file holds a torn record of
  // the failed write; reopened as it was, reads failed with ISPN029019 "Cannot load key e5 from
  // index" and the node never became ready. The storage factory now cuts the torn tail and has the
  // index rebuilt (TornTailRepair) before the store opens.
  @Test
  void aRestartOnAHealthyDiskKeepsEverythingAndReplaysTheFailedEntry() throws Exception {
    fillTheDiskUntilTheStoreFails(true);
  }

  private void fillTheDiskUntilTheStoreFails(boolean thenRestart) throws Exception {
    Path data = dir.resolve("n1/data");
    Files.createDirectories(data);
    Assumptions.assumeTrue(
        mount(data),
        "mounting a tmpfs needs root (mount -t tmpfs): run as root to test a full disk");
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    int before = 0;
    try {
      try (ClusterRuntime runtime = runtime(scheduler)) {
        runtime.start(true);
        runtime.initialise(List.of("default"));
        RuntimeTestSupport.await(
            () -> runtime.notReadyBecause().isEmpty(), "ready", Duration.ofSeconds(60));
        for (; before < 5; before++) {
          assertInstanceOf(
              ApplyResult.Accepted.class,
              runtime.append("default", event("a", before), Duration.ofSeconds(10)));
        }
        fill(data.resolve("filler"));
        // Appends until the store's write fails; each one is an entry the store could hold.
        int seq = before;
        Exception failure = null;
        for (; seq < before + 400 && failure == null; seq++) {
          try {
            assertInstanceOf(
                ApplyResult.Accepted.class,
                runtime.append("default", event("a", seq), Duration.ofSeconds(10)));
          } catch (NotLeaderException e) {
            failure = e;
          }
        }
        assertNotNull(failure, "an append failed once the disk was full");
        assertFalse(((NotLeaderException) failure).retryable(), "committed: not re-proposed");
        assertTrue(
            failure.getMessage().contains("storage failure"),
            "the client's error names the storage failure: " + failure.getMessage());
        before = seq - 1; // events stored before the failed one (sequences 0..seq-2)
        GroupStatus status = runtime.group("default").orElseThrow();
        assertTrue(status.storageFailed(), "the status carries the reason: " + status);
        String reason = runtime.notReadyBecause().orElseThrow();
        assertTrue(
            reason.startsWith("storage failure in group default on n1 while applying log index "),
            reason);
        assertTrue(reason.contains(String.valueOf(status.applied() + 1)), reason);
        assertTrue(reason.equals(status.storageFailure()), reason);
        // Writes stop on this member: the group no longer runs here.
        NotLeaderException refused = null;
        try {
          runtime.append("default", event("a", seq), Duration.ofSeconds(1));
        } catch (NotLeaderException e) {
          refused = e;
        }
        assertNotNull(refused, "a later append is refused");
      }
      // The same files on a healthy disk: copy them off the tmpfs, unmount, copy them back.
      Files.delete(data.resolve("filler"));
      Path saved = dir.resolve("saved");
      TestFiles.copyTree(data, saved);
    } finally {
      scheduler.shutdownNow();
      umount(data);
    }
    if (!thenRestart) {
      return;
    }
    TestFiles.copyTree(dir.resolve("saved"), data);
    ScheduledExecutorService again = Executors.newScheduledThreadPool(2);
    try (ClusterRuntime runtime = runtime(again)) {
      runtime.start(false);
      RuntimeTestSupport.await(
          () -> runtime.notReadyBecause().isEmpty(),
          "ready after the restart",
          Duration.ofSeconds(60));
      // Every event stored before the failure is intact, and the failed entry, still in the log,
      // was replayed: one event more.
      int expected = before + 1;
      RuntimeTestSupport.await(
          () -> runtime.store("default").orElseThrow().readEvents(0, 1000).size() == expected,
          "the failed entry replayed",
          Duration.ofSeconds(30));
      List<io.caucus.eventstore.StoredEvent> events =
          runtime.store("default").orElseThrow().readEvents(0, 1000);
      for (int i = 0; i < expected; i++) {
        assertEquals(i, events.get(i).event().aggregateSequenceNumber(), "event " + i);
        assertEquals(
            PAYLOAD_BYTES, events.get(i).event().payload().length, "payload of event " + i);
      }
      assertInstanceOf(
          ApplyResult.Accepted.class,
          runtime.append("default", event("a", expected), Duration.ofSeconds(10)));
    } finally {
      again.shutdownNow();
    }
  }

  private ClusterRuntime runtime(ScheduledExecutorService scheduler) {
    return new ClusterRuntime(
        RuntimeTestSupport.settings(1, BASE_PORT, dir).build(),
        Executors.defaultThreadFactory(),
        scheduler);
  }

  private static byte[] event(String aggregate, long seq) {
    return RuntimeTestSupport.event(aggregate, seq, new byte[PAYLOAD_BYTES]);
  }

  private static boolean mount(Path at) throws Exception {
    Process p =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", at.toString())
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  private static void umount(Path at) throws Exception {
    // Lazy: a store whose close failed on the full disk may still hold a file open there.
    Process p = new ProcessBuilder("umount", "-l", at.toString()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    p.waitFor();
  }

  /** Writes to {@code file} until the file system is full, leaving a little room. */
  private static void fill(Path file) throws IOException {
    byte[] chunk = new byte[16 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException full) {
      // expected: ENOSPC
    }
    assertTrue(Files.size(file) > 0, "the filler took the free space");
  }
}

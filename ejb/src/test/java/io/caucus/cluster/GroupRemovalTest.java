package io.caucus.cluster;

import static io.caucus.cluster.RuntimeTestSupport.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.cluster.admin.AdminCommand;
import io.caucus.cluster.admin.AdminResult;
import io.caucus.cluster.transport.NodeAddress;
import io.caucus.consensus.Role;
import io.caucus.eventstore.ApplyResult;
import io.caucus.eventstore.StoredEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Removing a node from a replication group with its data deleted or kept, and adding it back: three
 * cluster runtimes in one JVM on loopback JGroups, with file logs and Infinispan stores on disk.
 */
class GroupRemovalTest {

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

  private Path logFolder(ClusterRuntime r) {
    return dir.resolve(r.name() + "/log/default");
  }

  private Path storeFolder(ClusterRuntime r) {
    return dir.resolve(r.name() + "/data/default");
  }

  private static void append(ClusterRuntime via, String aggregate, long firstSeq, int count)
      throws Exception {
    assertInstanceOf(
        ApplyResult.Accepted.class,
        via.append("default", events(aggregate, firstSeq, count), Duration.ofSeconds(15)));
  }

  private static void admin(ClusterRuntime via, AdminCommand command) throws Exception {
    AdminResult r = via.admin(command).get(20, TimeUnit.SECONDS);
    assertTrue(r.isOk() && r.changed(), command + " -> " + r);
  }

  private static int raftMembers(ClusterRuntime leader) {
    return leader.group("default").orElseThrow().membership().roles().size();
  }

  private static List<StoredEvent> read(ClusterRuntime r) {
    return r.store("default").orElseThrow().readEvents(0, 1000);
  }

  private static long fileCount(Path folder) throws Exception {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void removedNodesDeleteOrKeepTheirDataAsAskedAndADeletedNodeCatchesUpWhenAddedAgain()
      throws Exception {
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
    await(
        () -> runtimes.stream().allMatch(r -> raftMembers(r) == 3),
        "default has three members in RAFT everywhere");
    append(first, "a", 0, 10);

    String leaderName = first.group("default").orElseThrow().leader();
    ClusterRuntime leader = byName(leaderName);
    List<ClusterRuntime> followers = runtimes.stream().filter(r -> r != leader).toList();
    ClusterRuntime deleted = followers.get(0);
    ClusterRuntime kept = followers.get(1);
    await(() -> read(deleted).size() == 10, "the node to remove has every event");
    assertTrue(Files.isDirectory(logFolder(deleted)) && Files.isDirectory(storeFolder(deleted)));

    // 1. Remove with deleteData: the runner stops, then both folders go; the others serve on.
    admin(kept, new AdminCommand.RemoveNodeFromGroup("default", deleted.name(), true));
    await(
        () -> deleted.group("default").isEmpty() && !Files.exists(logFolder(deleted)),
        "the removed node stopped default and deleted its log folder");
    assertFalse(Files.exists(storeFolder(deleted)), "event store folder deleted too");
    assertTrue(deleted.store("default").isEmpty(), "no store open on the removed node");
    await(() -> raftMembers(leader) == 2, "the leader took the node out of default's RAFT");
    append(deleted, "b", 0, 5); // a former member still forwards appends to the leader
    await(
        () -> read(leader).size() == 15 && read(kept).size() == 15,
        "the remaining members serve every event");
    List<StoredEvent> reference = read(leader);
    assertEquals(reference, read(kept));
    assertFalse(Files.exists(logFolder(deleted)), "nothing recreated the deleted log folder");

    // 2. Add the deleted node again: it starts empty and catches up from the leader.
    admin(deleted, new AdminCommand.AddNodeToGroup("default", deleted.name(), Role.PRIMARY));
    await(
        () -> deleted.store("default").map(s -> s.lastToken() == 14).orElse(false),
        "the re-added node caught up");
    assertEquals(reference, read(deleted));
    await(() -> raftMembers(leader) == 3, "back to three members in RAFT");

    // 3. Remove with the data kept: the runner stops and closes the store, the folders stay.
    long keptFiles = fileCount(logFolder(kept));
    admin(leader, new AdminCommand.RemoveNodeFromGroup("default", kept.name(), false));
    await(
        () -> kept.group("default").isEmpty() && kept.store("default").isEmpty(),
        "the node removed with its data kept stopped default and closed its store");
    await(() -> raftMembers(leader) == 2, "the leader took it out of default's RAFT");
    assertTrue(Files.isDirectory(storeFolder(kept)), "event store folder kept");
    assertTrue(fileCount(storeFolder(kept)) > 0, "event store files kept");
    assertEquals(keptFiles, fileCount(logFolder(kept)), "log files kept");

    append(leader, "c", 0, 5);
    await(
        () -> read(deleted).size() == 20 && read(leader).size() == 20,
        "appends go on with two members");
    assertEquals(read(leader), read(deleted));

    // 4. Add the kept node again: it resumes from its own data and gets only what it missed.
    admin(leader, new AdminCommand.AddNodeToGroup("default", kept.name(), Role.PRIMARY));
    await(
        () -> kept.store("default").map(s -> s.lastToken() == 19).orElse(false),
        "the node with kept data caught up");
    assertEquals(read(leader), read(kept));

    // 5. Restart the node that was removed with deleteData and added back: replaying its _admin
    // log at start-up passes the old removal again, which must not delete its current data.
    List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Logger log =
        java.util.logging.Logger.getLogger(LeftGroupDataPolicy.class.getName());
    java.util.logging.Handler capture =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord record) {
            messages.add(record.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(capture);
    try {
      int n = Integer.parseInt(deleted.name().substring(1));
      deleted.close();
      runtimes.remove(deleted);
      ClusterRuntime again = runtime(n);
      again.start(false);
      await(() -> again.notReadyBecause().isEmpty(), "restarted: " + again.notReadyBecause());
      await(
          () -> again.store("default").map(st -> st.lastToken() == 19).orElse(false),
          "the restarted node serves every event");
      assertEquals(read(leader), read(again));
      assertTrue(
          messages.stream().anyMatch(m -> m.contains("replayed from this node's own log")),
          "the replayed removal is reported as not acted upon: " + messages);
      assertTrue(
          messages.stream().noneMatch(m -> m.startsWith("Deleted the data")),
          "nothing deleted at restart: " + messages);
    } finally {
      log.removeHandler(capture);
    }
  }

  @Test
  void aGroupOfTwoGoesOnAfterARemovalAndDeletedContextsLoseTheirDataWhenTheGroupGoes()
      throws Exception {
    ClusterRuntime first = runtime(1);
    first.start(true);
    first.initialise(List.of("default"));
    ClusterRuntime second = runtime(2);
    second.start(false);
    second.joinAutocluster(new NodeAddress("127.0.0.1", BASE_PORT + 1), List.of("default"));
    for (ClusterRuntime r : runtimes) {
      await(() -> r.notReadyBecause().isEmpty(), r.name() + " ready: " + r.notReadyBecause());
    }
    await(() -> raftMembers(first) == 2 && raftMembers(second) == 2, "two members in RAFT");
    append(second, "a", 0, 3);

    // From two members to one: the removal needs the removed node's vote to commit.
    ClusterRuntime leader = byName(first.group("default").orElseThrow().leader());
    ClusterRuntime other = leader == first ? second : first;
    admin(other, new AdminCommand.RemoveNodeFromGroup("default", other.name(), true));
    await(
        () -> other.group("default").isEmpty() && !Files.exists(storeFolder(other)),
        "the removed node deleted its data");
    await(() -> raftMembers(leader) == 1, "the removal committed in default's RAFT");
    append(leader, "a", 3, 2);
    assertEquals(5, read(leader).size());

    // A context deleted with its data: its store goes at once while the group runs on; the log
    // goes when the group does. One deleted without its data: its store is closed, data kept.
    admin(
        leader,
        new AdminCommand.CreateReplicationGroup("kept", Map.of(leader.name(), Role.PRIMARY)));
    admin(leader, new AdminCommand.CreateContext("kept", "kept", Map.of()));
    await(() -> leader.store("kept").isPresent(), "store of context kept opened");
    admin(leader, new AdminCommand.DeleteContext("default", true));
    admin(leader, new AdminCommand.DeleteContext("kept", false));
    await(
        () -> !Files.exists(storeFolder(leader)) && leader.store("default").isEmpty(),
        "the store of default was closed and deleted while its group runs");
    await(() -> leader.store("kept").isEmpty(), "the store of kept was closed");
    assertTrue(leader.group("default").isPresent(), "group default still runs");
    assertTrue(Files.isDirectory(logFolder(leader)), "the log of default stays while it runs");
    assertTrue(Files.isDirectory(dir.resolve(leader.name() + "/data/kept")), "kept's data stays");
    admin(leader, new AdminCommand.DeleteReplicationGroup("default"));
    admin(leader, new AdminCommand.DeleteReplicationGroup("kept"));
    await(
        () -> leader.group("default").isEmpty() && leader.group("kept").isEmpty(),
        "both groups stopped");
    await(() -> !Files.exists(logFolder(leader)), "log folder of default deleted");
    assertFalse(Files.exists(storeFolder(leader)), "store folder of default deleted");
    assertTrue(Files.isDirectory(dir.resolve(leader.name() + "/log/kept")), "log of kept stays");
    assertTrue(Files.isDirectory(dir.resolve(leader.name() + "/data/kept")), "store stays");
    // The runner is gone before the reconciler closes and unregisters its store (seen in a run).
    await(() -> leader.store("kept").isEmpty(), "the kept store is closed");
  }

  private ClusterRuntime byName(String name) {
    return runtimes.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    RuntimeTestSupport.await(condition, what, Duration.ofSeconds(30));
  }
}

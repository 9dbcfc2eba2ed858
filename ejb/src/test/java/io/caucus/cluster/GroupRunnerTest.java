package io.caucus.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.cluster.rpc.SnapshotChunk;
import io.caucus.cluster.transport.Transport;
import io.caucus.consensus.Entry;
import io.caucus.consensus.HardState;
import io.caucus.consensus.Membership;
import io.caucus.consensus.Message;
import io.caucus.consensus.MessageCodec;
import io.caucus.consensus.NodeState;
import io.caucus.consensus.RaftConfig;
import io.caucus.consensus.Role;
import io.caucus.consensus.SnapshotMetadata;
import io.caucus.log.FileRaftLog;
import io.caucus.log.LogSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@link GroupRunner}s of one group on an {@link InMemoryNetwork}, each on the real {@link
 * FileRaftLog} in a temporary folder (wrapped to record what was written and fsynced), so that the
 * runner's ordering rules are checked against real durable storage without JGroups.
 */
class GroupRunnerTest {

  private static final String GROUP = "g";
  private static final List<String> NAMES = List.of("a", "b", "c");

  @TempDir Path dir;

  private final InMemoryNetwork network = new InMemoryNetwork();
  private final Map<String, GroupRunner> runners = new LinkedHashMap<>();
  private final Map<String, RecordingLog> logs = new ConcurrentHashMap<>();
  private final Map<String, MemoryStateMachine> machines = new ConcurrentHashMap<>();
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopAll() {
    ticker.shutdownNow();
    runners.values().forEach(GroupRunner::stop);
    network.close();
  }

  @Test
  void entriesAreDurableInTheLogBeforeTheyAreSentOrApplied() throws Exception {
    network.observeSends(this::checkSentEntriesAreDurable);
    startGroup(0);
    GroupRunner leader = awaitLeader();

    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      results.add(leader.propose(("e" + i).getBytes(StandardCharsets.UTF_8), String.class));
    }
    for (int i = 0; i < results.size(); i++) {
      assertEquals("applied e" + i, results.get(i).get(10, TimeUnit.SECONDS));
    }
    for (String n : NAMES) {
      await(() -> machines.get(n).appliedData().size() == 50, n + " applied all 50 entries");
    }
    assertEquals(machines.get("a").appliedData(), machines.get("b").appliedData());
    assertEquals(machines.get("a").appliedData(), machines.get("c").appliedData());
    assertTrue(logs.values().stream().allMatch(l -> l.syncs > 0), "every member fsynced");
    assertEquals(List.of(), violations, "nothing sent or applied before the log had it durably");
  }

  @Test
  void aFrozenPeerDoesNotStopCommitsOfTheOtherTwo() throws Exception {
    startGroup(0);
    GroupRunner leader = awaitLeader();
    String frozen = NAMES.stream().filter(n -> runners.get(n) != leader).findFirst().orElseThrow();
    String other =
        NAMES.stream()
            .filter(n -> runners.get(n) != leader && !n.equals(frozen))
            .findFirst()
            .orElseThrow();
    network.freeze(frozen);
    int before = machines.get(frozen).appliedData().size();

    for (int i = 0; i < 20; i++) {
      assertEquals(
          "applied x" + i,
          leader
              .propose(("x" + i).getBytes(StandardCharsets.UTF_8), String.class)
              .get(10, TimeUnit.SECONDS));
    }
    await(() -> machines.get(other).appliedData().size() >= 20, other + " applied the entries");
    assertEquals(before, machines.get(frozen).appliedData().size(), "the frozen peer got nothing");

    network.thaw(frozen);
    await(
        () -> machines.get(frozen).appliedData().size() == machines.get(other).appliedData().size(),
        frozen + " caught up after it was thawed");
  }

  @Test
  void aStopDuringASnapshotStreamEndsTheStreamAndFailsNoOneSilently() throws Exception {
    CountDownLatch streaming = new CountDownLatch(1);
    startGroup(10);
    GroupRunner leader = awaitLeader();
    String lagging = NAMES.stream().filter(n -> runners.get(n) != leader).findFirst().orElseThrow();
    // Frozen while the leader compacts, so that it needs a snapshot; then its staging never
    // answers, so that the leader's stream hangs on its first chunk.
    network.freeze(lagging);
    for (int i = 0; i < 60; i++) {
      leader
          .propose(("s" + i).getBytes(StandardCharsets.UTF_8), String.class)
          .get(10, TimeUnit.SECONDS);
    }
    String leaderName = leaderName(leader);
    await(() -> logs.get(leaderName).firstIndex() > 1, "the leader compacted its log");
    transports
        .get(lagging)
        .registerService(
            GroupRunner.SNAPSHOT_SERVICE,
            (from, payload) -> {
              streaming.countDown();
              return new CompletableFuture<>();
            });
    network.thaw(lagging);
    assertTrue(streaming.await(30, TimeUnit.SECONDS), "the leader started a snapshot stream");
    assertTrue(snapshotThreads() > 0, "a snapshot sender thread is running");

    CompletableFuture<String> late = leader.propose(new byte[] {1}, String.class);
    long start = System.nanoTime();
    leader.stop();
    assertTrue(leader.awaitStopped(10_000), "the runner thread ended");
    assertTrue(
        System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15),
        "stop did not wait for the chunk's 30 s request timeout");
    await(() -> snapshotThreads() == 0, "no snapshot sender thread is left");
    assertTrue(late.isDone(), "a proposal queued before the stop was answered");
    assertTrue(machines.get(leaderName).closed, "the state machine was closed");
    assertFalse(leader.isRunning());
    assertTrue(
        leader.propose(new byte[] {2}, String.class).isCompletedExceptionally(),
        "a proposal after the stop fails at once");
  }

  // ------------------------------------------------------------------ fixture

  private final Map<String, Transport> transports = new ConcurrentHashMap<>();

  private void startGroup(long compactionThreshold) {
    Map<String, Role> roles = new LinkedHashMap<>();
    NAMES.forEach(n -> roles.put(n, Role.PRIMARY));
    Membership members = Membership.of(roles);
    for (String n : NAMES) {
      Transport t = network.node(n);
      transports.put(n, t);
      RecordingLog log =
          new RecordingLog(
              n,
              new FileReplicationLog(
                  FileRaftLog.open(LogSettings.forGroup(dir.resolve(n), GROUP))));
      logs.put(n, log);
      MemoryStateMachine sm = new MemoryStateMachine(log);
      machines.put(n, sm);
      RaftConfig config =
          RaftConfig.defaults(n).withTimeouts(30, 150, 300, 10).withBootstrap(members);
      GroupRunner r =
          new GroupRunner(
              GROUP,
              config,
              log,
              sm,
              // A fixed seed: the test's elections do not depend on the time it started.
              new RunnerEnvironment(
                  t, Executors.defaultThreadFactory(), System::nanoTime, 42 + NAMES.indexOf(n)),
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
    ticker.scheduleAtFixedRate(
        () -> runners.values().forEach(GroupRunner::tick), 10, 10, TimeUnit.MILLISECONDS);
  }

  private GroupRunner awaitLeader() throws InterruptedException {
    await(
        () -> runners.values().stream().anyMatch(r -> r.status().state() == NodeState.LEADER),
        "a leader is elected");
    GroupRunner leader =
        runners.values().stream()
            .filter(r -> r.status().state() == NodeState.LEADER)
            .findFirst()
            .orElseThrow();
    // A new leader serves once an entry of its term committed; wait for it to have one.
    await(() -> leader.status().applied() > 0, "the leader committed an entry of its term");
    return leader;
  }

  private String leaderName(GroupRunner leader) {
    return runners.entrySet().stream()
        .filter(e -> e.getValue() == leader)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  private static long snapshotThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("caucus-snapshot-" + GROUP + "-"))
        .count();
  }

  private void checkSentEntriesAreDurable(String from, byte[] payload) {
    Message m = MessageCodec.decode(payload);
    if (m instanceof Message.AppendRequest ar && !ar.entries().isEmpty()) {
      long last = ar.entries().get(ar.entries().size() - 1).index();
      RecordingLog log = logs.get(from);
      if (last > log.syncedUpTo) {
        violations.add(from + " sent entry " + last + " with only " + log.syncedUpTo + " fsynced");
      }
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    RuntimeTestSupport.await(condition, what, Duration.ofSeconds(30));
  }

  /**
   * The real log, recording how far it was appended and how far fsynced. Runner thread only, as the
   * log itself (the send observer runs on the sending runner's thread).
   */
  private final class RecordingLog implements ReplicationLog {
    private final String name;
    private final ReplicationLog log;
    volatile long appendedUpTo;
    volatile long syncedUpTo;
    volatile int syncs;

    RecordingLog(String name, ReplicationLog log) {
      this.name = name;
      this.log = log;
      this.appendedUpTo = log.lastIndex();
      this.syncedUpTo = log.lastIndex();
    }

    @Override
    public HardState hardState() {
      return log.hardState();
    }

    @Override
    public List<Entry> entries(long from, long to, long maxBytes) {
      return log.entries(from, to, maxBytes);
    }

    @Override
    public long term(long index) {
      return log.term(index);
    }

    @Override
    public long firstIndex() {
      return log.firstIndex();
    }

    @Override
    public long lastIndex() {
      return log.lastIndex();
    }

    @Override
    public SnapshotMetadata snapshot() {
      return log.snapshot();
    }

    @Override
    public void truncateFrom(long index) {
      log.truncateFrom(index);
      appendedUpTo = Math.min(appendedUpTo, index - 1);
      syncedUpTo = Math.min(syncedUpTo, index - 1);
    }

    @Override
    public void append(List<Entry> entries) {
      log.append(entries);
      appendedUpTo = entries.get(entries.size() - 1).index();
    }

    @Override
    public void saveHardState(HardState state) {
      log.saveHardState(state);
    }

    @Override
    public void sync() {
      log.sync();
      syncedUpTo = appendedUpTo;
      syncs++;
    }

    @Override
    public void resetTo(SnapshotMetadata snapshot) {
      log.resetTo(snapshot);
      appendedUpTo = snapshot.index();
      syncedUpTo = snapshot.index();
    }

    @Override
    public void compactTo(SnapshotMetadata snapshot) {
      log.compactTo(snapshot);
    }

    @Override
    public int deleteRetired(long appliedDurableIndex) {
      return log.deleteRetired(appliedDurableIndex);
    }

    @Override
    public void close() {
      log.close();
    }

    @Override
    public String toString() {
      return "log of " + name;
    }
  }

  /**
   * Keeps applied entries in memory and answers "applied " + data; checks at each apply that the
   * local log holds the entry durably. Counts as synced to the device (so the log compacts).
   */
  private final class MemoryStateMachine implements GroupStateMachine {
    private final RecordingLog log;
    private final List<String> applied = Collections.synchronizedList(new ArrayList<>());
    private volatile long lastApplied;
    private final List<byte[]> staged = new ArrayList<>();
    volatile boolean closed;

    MemoryStateMachine(RecordingLog log) {
      this.log = log;
    }

    List<String> appliedData() {
      synchronized (applied) {
        return List.copyOf(applied);
      }
    }

    @Override
    public Object apply(long index, byte[] data) {
      if (index > log.syncedUpTo) {
        violations.add(log + ": applied " + index + " with only " + log.syncedUpTo + " fsynced");
      }
      lastApplied = index;
      String s = new String(data, StandardCharsets.UTF_8);
      applied.add(s);
      return "applied " + s;
    }

    @Override
    public long lastAppliedIndex() {
      return lastApplied;
    }

    @Override
    public long syncToDevice() {
      return lastApplied;
    }

    @Override
    public Iterator<byte[]> snapshotChunks(int maxChunkBytes) {
      List<byte[]> chunks = new ArrayList<>();
      for (String s : appliedData()) {
        chunks.add(s.getBytes(StandardCharsets.UTF_8));
      }
      return chunks.iterator();
    }

    @Override
    public void beginInstall() {
      staged.clear();
    }

    @Override
    public void installChunk(byte[] chunk) {
      staged.add(chunk);
    }

    @Override
    public void finishInstall() {
      applied.clear();
      staged.forEach(c -> applied.add(new String(c, StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}

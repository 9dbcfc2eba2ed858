package io.caucus.cluster;

import io.caucus.cluster.transport.Transport;
import io.caucus.consensus.Entry;
import io.caucus.consensus.EntryType;
import io.caucus.consensus.Membership;
import io.caucus.consensus.MembershipChange;
import io.caucus.consensus.Message;
import io.caucus.consensus.MessageCodec;
import io.caucus.consensus.NodeState;
import io.caucus.consensus.ProposeResult;
import io.caucus.consensus.RaftConfig;
import io.caucus.consensus.RaftNode;
import io.caucus.consensus.ReadState;
import io.caucus.consensus.Ready;
import io.caucus.consensus.Refusal;
import io.caucus.consensus.RequestResult;
import io.caucus.eventstore.StorageFailureException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives one replication group on this node: a single thread owns the group's {@link RaftNode},
 * drains an inbox in batches (ticks, messages from other members, proposals, snapshot chunks) and
 * carries out every {@link Ready} in the order the core demands: persist (log, hard state, fsync),
 * then send, then apply, then advance. Callers of {@link #propose} are completed when their entry
 * is applied, with the state machine's result.
 *
 * <p><b>Lifecycle.</b> {@code new} → {@link #start()} (registers with the transport, starts the
 * thread) → {@link #stop()} (unregisters, fails waiting callers, closes log and state machine). Not
 * restartable.
 *
 * <p><b>Threads.</b> Every public method is thread safe: inputs are queued for the runner thread;
 * {@link #status()} reads a value the runner publishes after each batch. Transport handlers only
 * enqueue. Snapshot chunks are sent from a separate thread of the same factory, with request/reply
 * for flow control, so that a slow follower never blocks the group.
 *
 * <p><b>Durability.</b> Messages leave only after the log was fsynced as the Ready required, so a
 * vote or an acknowledgement never promises what a crash could lose.
 *
 * <p><b>Failures.</b> A storage failure or a broken consensus invariant stops the runner (logged,
 * waiting callers failed); the group is then unavailable on this node until it is restarted. A
 * {@link StorageFailureException} from the store (disk full, I/O error: never about the entry, as
 * entries the store can never hold are deterministic rejections) is told apart: one SEVERE line
 * names the group, this member, the log index being applied and the cause, and the last published
 * {@link GroupStatus#storageFailure()} carries the same reason. The entry stays in the log, so
 * nothing is lost: a restart on a working disk replays it.
 */
public final class GroupRunner {

  /** Transport service that receives snapshot chunks (payload: {@link SnapshotChunk}). */
  public static final String SNAPSHOT_SERVICE = io.caucus.cluster.rpc.Services.SNAPSHOT_CHUNK;

  private static final Logger LOG = Logger.getLogger(GroupRunner.class.getName());
  private static final int MAX_BATCH = 1024;
  private static final int SNAPSHOT_CHUNK_BYTES = 512 * 1024;

  private static final Object TICK = new Object();
  private static final Object STOP = new Object();

  private record Incoming(String from, byte[] payload) {}

  private record Proposal(byte[] data, CompletableFuture<Object> result) {}

  private record ChangeProposal(MembershipChange change, CompletableFuture<Object> result) {}

  private record ChunkArrived(SnapshotChunk chunk, CompletableFuture<byte[]> done) {}

  private record SnapshotSent(String member, boolean ok, Message.InstallSnapshot message) {}

  private record Pending(long term, CompletableFuture<Object> result) {}

  private record ReadRequest(CompletableFuture<Long> result) {}

  /** A read barrier the core started; {@code index} is set once a quorum confirmed it. */
  private static final class PendingRead {
    final long term;
    final CompletableFuture<Long> result;
    long index = -1;

    PendingRead(long term, CompletableFuture<Long> result) {
      this.term = term;
      this.result = result;
    }
  }

  private final String group;
  private final String self;
  private final RaftNode node;
  private final ReplicationLog log;
  private final GroupStateMachine stateMachine;
  private final Transport transport;
  private final ThreadFactory threads;
  private final GroupListener listener;
  private final long compactionThreshold;
  private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final AtomicBoolean tickQueued = new AtomicBoolean();
  private final Map<Long, Pending> pending = new HashMap<>();
  private final Map<String, Boolean> snapshotInFlight = new HashMap<>();
  private final Map<Long, PendingRead> pendingReads = new HashMap<>();
  private long nextReadId = 1;

  private volatile GroupStatus status;

  /** Why the store failed, once it did; published in the final status. Runner thread only. */
  private String storageFailure;

  /** The log index handed to the state machine right now, or -1 outside apply. */
  private long applying = -1;

  private volatile boolean running;
  private Thread thread;
  private long stagedSnapshotIndex = -1;
  private boolean stagingComplete;
  private String lastLeader;
  private Membership lastMembership;

  /**
   * @param group the replication group's name
   * @param config the consensus configuration (its id is this node's name)
   * @param log the group's durable log, as left by the previous run
   * @param stateMachine what committed entries are applied to
   * @param transport the node's transport
   * @param threads container-managed threads (the runner thread, snapshot senders)
   * @param listener told about leader and membership changes
   * @param compactionThreshold compact the log once it holds this many applied entries (0: never;
   *     only for state machines that keep their state durably)
   */
  public GroupRunner(
      String group,
      RaftConfig config,
      ReplicationLog log,
      GroupStateMachine stateMachine,
      Transport transport,
      ThreadFactory threads,
      GroupListener listener,
      long compactionThreshold) {
    this.compactionThreshold = compactionThreshold;
    this.group = Objects.requireNonNull(group, "group");
    this.self = config.id();
    this.log = log;
    this.stateMachine = stateMachine;
    this.transport = transport;
    this.threads = threads;
    this.listener = listener;
    // Entries the store already holds are not handed to it again; entries above the commit hint
    // are re-delivered after the leader confirms them and skipped by index (idempotent apply).
    long applied =
        Math.max(
            log.firstIndex() - 1,
            Math.min(stateMachine.lastAppliedIndex(), log.hardState().commit()));
    this.node =
        new RaftNode(
            config.withApplied(applied),
            log,
            new SplittableRandom((self + "/" + group).hashCode() ^ System.nanoTime()));
    this.status = snapshotStatus();
  }

  public String group() {
    return group;
  }

  /** Registers with the transport and starts the runner thread. */
  public void start() {
    running = true;
    transport.register(group, (from, payload) -> inbox.offer(new Incoming(from, payload)));
    thread = threads.newThread(this::loop);
    thread.setName("caucus-group-" + group);
    thread.start();
    LOG.info(
        () ->
            "Group "
                + group
                + " started on "
                + self
                + ": log ["
                + log.firstIndex()
                + ".."
                + log.lastIndex()
                + "], applied "
                + stateMachine.lastAppliedIndex()
                + ", members "
                + node.membership());
  }

  /** Queues one tick (at most one is queued at a time, so a busy runner never piles them up). */
  public void tick() {
    if (running && tickQueued.compareAndSet(false, true)) {
      inbox.offer(TICK);
    }
  }

  /**
   * Proposes a NORMAL entry; the future completes with the state machine's result once the entry is
   * applied here, or fails with {@link NotLeaderException} (not leader, or leadership lost before
   * the entry committed: it may or may not have been applied).
   */
  public CompletableFuture<Object> propose(byte[] data) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    if (!running) {
      f.completeExceptionally(new NotLeaderException(group, null, "the group is not running here"));
    } else {
      inbox.offer(new Proposal(data, f));
    }
    return f;
  }

  /** Proposes a membership change; completes when it is applied here. */
  public CompletableFuture<Object> proposeChange(MembershipChange change) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    if (!running) {
      f.completeExceptionally(new NotLeaderException(group, null, "the group is not running here"));
    } else {
      inbox.offer(new ChangeProposal(change, f));
    }
    return f;
  }

  /**
   * A read barrier for a linearizable read on this node (the leader): completes with the barrier's
   * log index once a quorum of primaries confirmed this node still leads <em>and</em> the state
   * machine has applied at least that index, so a read of the local store issued afterwards sees
   * every entry acknowledged before the barrier was asked for.
   *
   * <p>Fails with a retryable {@link NotLeaderException} when this node is not the leader (with the
   * leader hint), when it is a new leader that has not yet committed an entry of its term (the
   * core's {@link Refusal#NOT_COMMITTED_IN_TERM}: no leader is usable for reads yet), or when it
   * loses leadership before the quorum confirmed. Completed on the runner thread: callers must not
   * do slow work in dependent stages without an executor.
   */
  public CompletableFuture<Long> readBarrier() {
    CompletableFuture<Long> f = new CompletableFuture<>();
    if (!running) {
      f.completeExceptionally(new NotLeaderException(group, null, "the group is not running here"));
    } else {
      inbox.offer(new ReadRequest(f));
    }
    return f;
  }

  /** Hands over one snapshot chunk sent by the leader; completes when it is staged. */
  public CompletableFuture<byte[]> receiveChunk(SnapshotChunk chunk) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    inbox.offer(new ChunkArrived(chunk, f));
    return f;
  }

  /** The latest published status. */
  public GroupStatus status() {
    return status;
  }

  public boolean isRunning() {
    return running;
  }

  /** Stops the thread, fails waiting callers, closes log and state machine. Idempotent. */
  public void stop() {
    if (!running) {
      return;
    }
    running = false;
    transport.unregister(group);
    inbox.offer(STOP);
    if (thread != null && thread != Thread.currentThread()) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Whether the runner thread has ended, so that the log and state machine are closed (it closes
   * them on its way out). Waits up to {@code millis} for it. True for a runner never started.
   */
  public boolean awaitStopped(long millis) throws InterruptedException {
    Thread t = thread;
    if (t == null) {
      return true;
    }
    t.join(Math.max(1, millis));
    return !t.isAlive();
  }

  // ------------------------------------------------------------------ runner thread

  private void loop() {
    List<Object> batch = new ArrayList<>();
    try {
      while (running) {
        Object first = inbox.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.clear();
        batch.add(first);
        inbox.drainTo(batch, MAX_BATCH - 1);
        for (Object input : batch) {
          if (input == STOP) {
            running = false;
            break;
          }
          handle(input);
        }
        while (running && node.hasReady()) {
          process(node.ready());
        }
        settleReads();
        maybeCompact();
        publish();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StorageFailureException e) {
      storageFailure = describeStorageFailure(e);
      LOG.severe(
          "Group "
              + group
              + " stopped on "
              + self
              + ", writes stop on this member: "
              + storageFailure
              + ". The entry stays in the log; restart the node on a working disk to replay it.");
      LOG.log(Level.FINE, "Storage failure of group " + group + " on " + self, e);
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "Group " + group + " stopped on " + self + ": " + e, e);
    } finally {
      running = false;
      // Not retryable inside the cluster: the entry being applied is committed and other members
      // store it, so proposing it again could store it twice. Clients see "unavailable, retry".
      String why =
          storageFailure == null
              ? "the group stopped on " + self + "; the outcome is unknown"
              : "the group stopped on " + self + " after " + storageFailure;
      // Published before callers are failed, so that one who sees the failure sees the reason.
      status = snapshotStatus();
      failAll(new NotLeaderException(group, null, why, false));
      closeQuietly();
    }
  }

  private void handle(Object input) {
    if (input == TICK) {
      tickQueued.set(false);
      node.tick();
    } else if (input instanceof Incoming in) {
      Message m;
      try {
        m = MessageCodec.decode(in.payload());
      } catch (RuntimeException e) {
        LOG.warning(() -> "Group " + group + ": dropped a malformed message from " + in.from());
        return;
      }
      if (m instanceof Message.InstallSnapshot is) {
        if (!snapshotStagedFor(is)) {
          // The core may act on an InstallSnapshot only once the data is staged; the leader
          // retries after the transfer completes.
          return;
        }
        if (!node.wouldInstallSnapshot(is.snapshot().index(), is.snapshot().term())) {
          // The log caught up while the data was staged: the core will keep its log, so the
          // store, emptied for the install, takes the staged state and replays the rest.
          adoptStagedSnapshot(is.snapshot().index());
        }
      }
      node.step(m);
    } else if (input instanceof Proposal p) {
      accept(node.propose(p.data()), p.result());
    } else if (input instanceof ChangeProposal c) {
      accept(node.proposeChange(c.change()), c.result());
    } else if (input instanceof ReadRequest r) {
      startRead(r.result());
    } else if (input instanceof ChunkArrived c) {
      stage(c);
    } else if (input instanceof SnapshotSent s) {
      snapshotInFlight.remove(s.member());
      node.reportSnapshot(s.member(), s.ok());
      if (s.ok()) {
        transport.send(group, s.member(), MessageCodec.encode(s.message()));
      }
    }
  }

  private void accept(ProposeResult r, CompletableFuture<Object> result) {
    if (r instanceof ProposeResult.Accepted a) {
      pending.put(a.index(), new Pending(a.term(), result));
    } else if (r instanceof ProposeResult.Refused refused) {
      result.completeExceptionally(
          new NotLeaderException(group, refused.leaderHint(), refused.reason().toString()));
    }
  }

  private void startRead(CompletableFuture<Long> result) {
    long id = nextReadId++;
    RequestResult r = node.readIndex(id);
    if (r instanceof RequestResult.Refused refused) {
      String why =
          refused.reason() == Refusal.NOT_COMMITTED_IN_TERM
              ? "the new leader has not committed an entry of its term yet, so no leader can"
                  + " serve reads"
              : refused.reason().toString();
      result.completeExceptionally(
          new NotLeaderException(
              group,
              refused.reason() == Refusal.NOT_COMMITTED_IN_TERM ? null : refused.leaderHint(),
              why,
              true));
    } else {
      pendingReads.put(id, new PendingRead(node.term(), result));
    }
  }

  /**
   * Completes confirmed reads the state machine has caught up with, and fails unconfirmed ones when
   * this node no longer leads in the term they were asked in (the core then never confirms them). A
   * confirmed read stays valid after a leadership change: the barrier was linearizable when the
   * quorum confirmed it.
   */
  private void settleReads() {
    if (pendingReads.isEmpty()) {
      return;
    }
    long applied = node.applied();
    boolean leading = node.state() == NodeState.LEADER;
    Iterator<PendingRead> it = pendingReads.values().iterator();
    while (it.hasNext()) {
      PendingRead p = it.next();
      if (p.index >= 0 && p.index <= applied) {
        it.remove();
        p.result.complete(p.index);
      } else if (p.index < 0 && (!leading || node.term() != p.term)) {
        it.remove();
        p.result.completeExceptionally(
            new NotLeaderException(
                group, node.leader(), "leadership was lost before the read was confirmed", true));
      }
    }
  }

  /** The core's own rule (RaftNode#handleSnapshot) for whether it restores a snapshot. */
  /**
   * Completes a staged install that the core will not take, then applies the log's NORMAL entries
   * after the snapshot up to what the core has already applied, so the store again matches the
   * core. Those entries are still in the log: compaction stops at the store's synced index, which
   * was below the snapshot when staging began.
   */
  private void adoptStagedSnapshot(long snapshotIndex) {
    stateMachine.finishInstall();
    stagingComplete = false;
    stagedSnapshotIndex = -1;
    long next = snapshotIndex + 1;
    long upTo = node.applied();
    while (next <= upTo) {
      List<Entry> batch = log.entries(next, upTo + 1, 1 << 20);
      for (Entry e : batch) {
        if (e.type() == EntryType.NORMAL) {
          stateMachine.apply(e.index(), e.data());
        }
      }
      next = batch.get(batch.size() - 1).index() + 1;
    }
    LOG.info(
        () ->
            "Group "
                + group
                + " on "
                + self
                + ": took a staged snapshot up to "
                + snapshotIndex
                + " that consensus no longer needed, and replayed the log to "
                + upTo);
  }

  private boolean snapshotStagedFor(Message.InstallSnapshot is) {
    return stagingComplete && stagedSnapshotIndex == is.snapshot().index();
  }

  private void stage(ChunkArrived c) {
    try {
      SnapshotChunk chunk = c.chunk();
      if (chunk.sequence() == 0) {
        if (!node.wouldInstallSnapshot(chunk.snapshotIndex(), chunk.snapshotTerm())) {
          // Emptying the store for a snapshot the core then declines would lose applied state.
          c.done()
              .completeExceptionally(
                  new IllegalStateException(
                      "member already holds the entries up to " + chunk.snapshotIndex()));
          return;
        }
        stateMachine.beginInstall();
        stagingComplete = false;
        stagedSnapshotIndex = chunk.snapshotIndex();
      } else if (chunk.snapshotIndex() != stagedSnapshotIndex) {
        c.done().completeExceptionally(new IllegalStateException("chunk of another snapshot"));
        return;
      }
      stateMachine.installChunk(chunk.data());
      if (chunk.last()) {
        stagingComplete = true;
      }
      c.done().complete(new byte[0]);
    } catch (RuntimeException e) {
      c.done().completeExceptionally(e);
      throw e;
    }
  }

  private void process(Ready rd) {
    if (rd.snapshot() != null) {
      stateMachine.finishInstall();
      log.resetTo(rd.snapshot());
      stagingComplete = false;
      stagedSnapshotIndex = -1;
      LOG.info(() -> "Group " + group + " installed a snapshot up to " + rd.snapshot().index());
    }
    if (rd.truncateFrom() > 0) {
      log.truncateFrom(rd.truncateFrom());
    }
    if (!rd.entries().isEmpty()) {
      log.append(rd.entries());
    }
    if (rd.hardState() != null) {
      log.saveHardState(rd.hardState());
    }
    if (rd.mustSync()) {
      log.sync();
    }
    for (Message m : rd.messages()) {
      if (m instanceof Message.InstallSnapshot is) {
        sendSnapshot(is);
      } else {
        transport.send(group, m.to(), MessageCodec.encode(m));
      }
    }
    for (Entry e : rd.committedEntries()) {
      apply(e);
    }
    for (ReadState rs : rd.readStates()) {
      PendingRead p = pendingReads.get(rs.requestId());
      if (p != null) {
        p.index = rs.index();
      }
    }
    node.advance(rd);
  }

  private void apply(Entry e) {
    Object result = null;
    if (e.type() == EntryType.NORMAL && e.index() > stateMachine.lastAppliedIndex()) {
      applying = e.index();
      result = stateMachine.apply(e.index(), e.data());
      applying = -1;
    }
    Pending p = pending.remove(e.index());
    if (p != null) {
      if (p.term() == e.term()) {
        p.result().complete(result);
      } else {
        p.result()
            .completeExceptionally(
                new NotLeaderException(
                    group,
                    node.leader(),
                    "leadership changed before the entry committed; it was not stored",
                    true));
      }
    }
  }

  private void sendSnapshot(Message.InstallSnapshot is) {
    if (snapshotInFlight.putIfAbsent(is.to(), Boolean.TRUE) != null) {
      return;
    }
    Thread sender =
        threads.newThread(
            () -> {
              boolean ok = false;
              try {
                Iterator<byte[]> chunks = stateMachine.snapshotChunks(SNAPSHOT_CHUNK_BYTES);
                int seq = 0;
                boolean more = true;
                while (more && running) {
                  byte[] data = chunks.hasNext() ? chunks.next() : new byte[0];
                  more = chunks.hasNext();
                  SnapshotChunk chunk =
                      new SnapshotChunk(
                          group, is.snapshot().index(), is.snapshot().term(), seq++, !more, data);
                  transport
                      .request(
                          is.to(),
                          SNAPSHOT_SERVICE,
                          chunk.encode(),
                          java.time.Duration.ofSeconds(30))
                      .get(35, TimeUnit.SECONDS);
                }
                ok = running;
              } catch (Exception e) {
                LOG.log(
                    Level.WARNING,
                    "Group " + group + ": snapshot to " + is.to() + " failed: " + e,
                    e);
              } finally {
                inbox.offer(new SnapshotSent(is.to(), ok, is));
              }
            });
    sender.setName("caucus-snapshot-" + group + "-" + is.to());
    sender.start();
  }

  /**
   * Drops applied entries from the log once there are enough of them; a follower that needs them
   * later gets a state-machine snapshot instead. Half of the threshold stays in the log, so that
   * followers only a little behind still catch up from the log.
   */
  private void maybeCompact() {
    if (compactionThreshold <= 0) {
      return;
    }
    long applied = Math.min(node.applied(), stateMachine.lastAppliedIndex());
    if (applied - log.firstIndex() + 1 < compactionThreshold) {
      return;
    }
    // Only what the store holds on the device may leave the log (DESIGN.md §7): a power loss can
    // take back applied writes that were never synced, and the log is what replays them.
    long durable = Math.min(node.applied(), stateMachine.syncToDevice());
    long upTo = durable - compactionThreshold / 2;
    if (upTo < log.firstIndex()) {
      return;
    }
    log.compactTo(node.snapshotMetadataAt(upTo));
    int deleted = log.deleteRetired(durable);
    LOG.info(
        () ->
            "Group "
                + group
                + " on "
                + self
                + ": log compacted up to "
                + upTo
                + " (applied and synced to disk up to "
                + durable
                + "); "
                + deleted
                + " segment file(s) past retention deleted");
  }

  private void publish() {
    GroupStatus s = snapshotStatus();
    status = s;
    if (!Objects.equals(s.leader(), lastLeader)) {
      lastLeader = s.leader();
      LOG.info(
          () ->
              "Group "
                  + group
                  + " on "
                  + self
                  + ": leader is now "
                  + s.leader()
                  + " (term "
                  + s.term()
                  + ")");
      listener.leaderChanged(group, s.leader());
    }
    if (!s.membership().equals(lastMembership)) {
      lastMembership = s.membership();
      listener.membershipChanged(group, s.membership());
    }
  }

  private GroupStatus snapshotStatus() {
    return new GroupStatus(
        group,
        node.state(),
        node.leader(),
        node.term(),
        node.membership(),
        node.committed(),
        node.applied(),
        storageFailure);
  }

  /** "storage failure in group G on N while applying log index I: cause (root cause)". */
  private String describeStorageFailure(StorageFailureException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String where =
        applying > 0
            ? " while applying log index " + applying
            : " after log index " + stateMachine.lastAppliedIndex() + " (outside apply)";
    return "storage failure in group "
        + group
        + " on "
        + self
        + where
        + ": "
        + e.getMessage()
        + (root == e ? "" : " (" + root + ")");
  }

  private void failAll(RuntimeException e) {
    pending.values().forEach(p -> p.result().completeExceptionally(e));
    pending.clear();
    pendingReads.values().forEach(p -> p.result.completeExceptionally(e));
    pendingReads.clear();
    Object o;
    while ((o = inbox.poll()) != null) {
      if (o instanceof Proposal p) {
        p.result().completeExceptionally(e);
      } else if (o instanceof ChangeProposal c) {
        c.result().completeExceptionally(e);
      } else if (o instanceof ChunkArrived c) {
        c.done().completeExceptionally(e);
      } else if (o instanceof ReadRequest r) {
        r.result().completeExceptionally(e);
      }
    }
  }

  private void closeQuietly() {
    try {
      stateMachine.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Group " + group + ": closing the state machine failed", e);
    }
    try {
      log.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Group " + group + ": closing the log failed", e);
    }
  }
}

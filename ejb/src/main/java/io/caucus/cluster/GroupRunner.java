package io.caucus.cluster;

import io.caucus.cluster.rpc.Services;
import io.caucus.cluster.rpc.SnapshotChunk;
import io.caucus.cluster.transport.Transport;
import io.caucus.consensus.Entry;
import io.caucus.consensus.EntryType;
import io.caucus.consensus.Membership;
import io.caucus.consensus.MembershipChange;
import io.caucus.consensus.Message;
import io.caucus.consensus.MessageCodec;
import io.caucus.consensus.NodeState;
import io.caucus.consensus.RaftConfig;
import io.caucus.consensus.RaftNode;
import io.caucus.consensus.Ready;
import io.caucus.consensus.Refusal;
import io.caucus.eventstore.StorageFailureException;
import java.util.ArrayList;
import java.util.List;
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
  public static final String SNAPSHOT_SERVICE = Services.SNAPSHOT_CHUNK;

  private static final Logger LOG = Logger.getLogger(GroupRunner.class.getName());
  private static final int MAX_BATCH = 1024;

  private final String group;
  private final String self;
  private final RaftNode node;
  private final ReplicationLog log;
  private final GroupStateMachine stateMachine;
  private final Transport transport;
  private final ThreadFactory threads;
  private final GroupListener listener;
  private final LogCompaction compaction;
  private final LinkedBlockingQueue<RunnerInput> inbox = new LinkedBlockingQueue<>();
  private final AtomicBoolean tickQueued = new AtomicBoolean();
  private final WaitingCallers waiting;
  private final RunnerInput.Handler handler = new Handler();
  private final SnapshotSender snapshots;
  private final SnapshotStaging staging;

  private volatile GroupStatus status;

  /** Why the store failed, once it did; published in the final status. Runner thread only. */
  private String storageFailure;

  /** The log index handed to the state machine right now, or -1 outside apply. */
  private long applying = -1;

  private volatile boolean running;
  private Thread thread;
  private String lastLeader;
  private Membership lastMembership;

  /**
   * @param group the replication group's name
   * @param config the consensus configuration (its id is this node's name)
   * @param log the group's durable log, as left by the previous run
   * @param stateMachine what committed entries are applied to
   * @param env transport, threads, clock and randomness (see {@link RunnerEnvironment})
   * @param listener told about leader and membership changes
   * @param compactionThreshold compact the log once it holds this many applied entries (0: never;
   *     only for state machines that keep their state durably)
   */
  public GroupRunner(
      String group,
      RaftConfig config,
      ReplicationLog log,
      GroupStateMachine stateMachine,
      RunnerEnvironment env,
      GroupListener listener,
      long compactionThreshold) {
    this.group = Objects.requireNonNull(group, "group");
    this.self = config.id();
    this.log = log;
    this.stateMachine = stateMachine;
    this.transport = env.transport();
    this.threads = env.threads();
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
            new SplittableRandom((self + "/" + group).hashCode() ^ env.randomSeed()));
    this.status = snapshotStatus();
    this.snapshots =
        new SnapshotSender(
            group, stateMachine, env, done -> inbox.offer(new RunnerInput.SnapshotSent(done)));
    this.staging = new SnapshotStaging(group, self, node, stateMachine, log);
    this.waiting = new WaitingCallers(group);
    this.compaction = new LogCompaction(group, self, node, log, stateMachine, compactionThreshold);
  }

  public String group() {
    return group;
  }

  /** Registers with the transport and starts the runner thread. */
  public void start() {
    running = true;
    transport.register(
        group, (from, payload) -> inbox.offer(new RunnerInput.Incoming(from, payload)));
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
      inbox.offer(RunnerInput.Tick.INSTANCE);
    }
  }

  /**
   * Proposes a NORMAL entry; the future completes with the state machine's result once the entry is
   * applied here, or fails with {@link NotLeaderException} (not leader, or leadership lost before
   * the entry committed: it may or may not have been applied). The state machine's result must be a
   * {@code resultType} (or null); anything else fails the future with an {@link
   * IllegalStateException}, a programming error that names both types.
   */
  public <R> CompletableFuture<R> propose(byte[] data, Class<R> resultType) {
    Objects.requireNonNull(resultType, "resultType");
    CompletableFuture<R> f = new CompletableFuture<>();
    offerOrFail(new RunnerInput.Proposal<>(data, resultType, f), f);
    return f;
  }

  /**
   * Proposes a membership change; completes with the log index of the change once it is applied
   * here, or fails as {@link #propose} does.
   */
  public CompletableFuture<Long> proposeChange(MembershipChange change) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    offerOrFail(new RunnerInput.ChangeProposal(change, f), f);
    return f;
  }

  private void offerOrFail(RunnerInput input, CompletableFuture<?> f) {
    if (!running) {
      f.completeExceptionally(new NotLeaderException(group, null, "the group is not running here"));
    } else {
      inbox.offer(input);
    }
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
    offerOrFail(new RunnerInput.ReadRequest(f), f);
    return f;
  }

  /** Hands over one snapshot chunk sent by the leader; completes when it is staged. */
  public CompletableFuture<Void> receiveChunk(SnapshotChunk chunk) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    inbox.offer(new RunnerInput.ChunkArrived(chunk, f));
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
    inbox.offer(RunnerInput.Stop.INSTANCE);
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
    List<RunnerInput> batch = new ArrayList<>();
    try {
      while (running) {
        RunnerInput first = inbox.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.clear();
        batch.add(first);
        inbox.drainTo(batch, MAX_BATCH - 1);
        for (RunnerInput input : batch) {
          input.dispatch(handler);
          if (!running) {
            break;
          }
        }
        while (running && node.hasReady()) {
          process(node.ready());
        }
        waiting.settleReads(
            node.applied(), node.state() == NodeState.LEADER, node.term(), node.leader());
        compaction.compactIfDue();
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

  /** The runner thread's handling of each input; an inner class so that none of it is public. */
  private final class Handler implements RunnerInput.Handler {
    @Override
    public void tick() {
      tickQueued.set(false);
      node.tick();
    }

    @Override
    public void stop() {
      running = false;
    }

    @Override
    public void message(RunnerInput.Incoming in) {
      onMessage(in);
    }

    @Override
    public void propose(RunnerInput.Proposal<?> p) {
      waiting.proposed(node.propose(p.data()), p.resultType(), p.result());
    }

    @Override
    public void proposeChange(RunnerInput.ChangeProposal c) {
      waiting.proposed(node.proposeChange(c.change()), Long.class, c.result());
    }

    @Override
    public void read(RunnerInput.ReadRequest r) {
      long id = waiting.nextReadId();
      waiting.readRequested(id, node.readIndex(id), node.term(), r.result());
    }

    @Override
    public void chunk(RunnerInput.ChunkArrived c) {
      stage(c);
    }

    @Override
    public void snapshotSent(SnapshotSender.Outcome s) {
      snapshots.finished(s.member());
      node.reportSnapshot(s.member(), s.ok());
      if (s.ok()) {
        transport.send(group, s.member(), MessageCodec.encode(s.message()));
      }
    }
  }

  private void onMessage(RunnerInput.Incoming in) {
    Message m;
    try {
      m = MessageCodec.decode(in.payload());
    } catch (RuntimeException e) {
      LOG.warning(() -> "Group " + group + ": dropped a malformed message from " + in.from());
      return;
    }
    if (m instanceof Message.InstallSnapshot is && !staging.admit(is)) {
      return;
    }
    node.step(m);
  }

  private void stage(RunnerInput.ChunkArrived c) {
    try {
      String refused = staging.stage(c.chunk());
      if (refused == null) {
        c.done().complete(null);
      } else {
        c.done().completeExceptionally(new IllegalStateException(refused));
      }
    } catch (RuntimeException e) {
      c.done().completeExceptionally(e);
      throw e;
    }
  }

  private void process(Ready rd) {
    if (rd.snapshot() != null) {
      staging.installed();
      log.resetTo(rd.snapshot());
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
        snapshots.send(is);
      } else {
        transport.send(group, m.to(), MessageCodec.encode(m));
      }
    }
    for (Entry e : rd.committedEntries()) {
      apply(e);
    }
    rd.readStates().forEach(waiting::readConfirmed);
    node.advance(rd);
  }

  private void apply(Entry e) {
    Object result = null;
    if (e.type() == EntryType.NORMAL && e.index() > stateMachine.lastAppliedIndex()) {
      applying = e.index();
      result = stateMachine.apply(e.index(), e.data());
      applying = -1;
    }
    waiting.applied(e, result, node.leader());
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
    waiting.failAll(e);
    RunnerInput input;
    while ((input = inbox.poll()) != null) {
      input.fail(e);
    }
  }

  private void closeQuietly() {
    // Transfers read the state machine: they end before it closes.
    snapshots.close();
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

package io.caucus.cluster;

import io.caucus.cluster.admin.AdminCommand;
import io.caucus.cluster.admin.AdminResult;
import io.caucus.cluster.admin.AdminStateMachine;
import io.caucus.cluster.admin.ClusterStructure;
import io.caucus.cluster.admin.ContextInfo;
import io.caucus.cluster.rpc.LeaderRead;
import io.caucus.cluster.rpc.LeaderRequest;
import io.caucus.cluster.rpc.ReadReply;
import io.caucus.cluster.rpc.SnapshotChunk;
import io.caucus.cluster.transport.NodeAddress;
import io.caucus.cluster.transport.Transport;
import io.caucus.consensus.Membership;
import io.caucus.consensus.Role;
import io.caucus.eventstore.ApplyResult;
import io.caucus.eventstore.CommandCodec;
import io.caucus.eventstore.Event;
import io.caucus.eventstore.EventStore;
import io.caucus.eventstore.EventStoreException;
import io.caucus.eventstore.EventStores;
import io.caucus.eventstore.infinispan.InfinispanStorageFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster runtime of one node, as plain Java (the host EJB gives it container threads): the
 * node's transport, one {@link GroupRunner} per replication group the {@code _admin} structure
 * makes this node a member of, the {@code _admin} state machine, and the forwarding of appends and
 * admin commands to the leader of their group.
 *
 * <p><b>Composition.</b> The runtime only composes and runs the node's parts: {@link NodeAssembly}
 * builds them from the settings; {@link Reconciler} keeps the runners in line with the structure
 * (with {@link LeftGroupDataPolicy} deciding what happens to a left group's data); {@link
 * Autocluster} runs a clean node's start-up commands; {@link Readiness} says why the node is not
 * ready; {@link LeaderForwarder} and {@link LeaderEndpoint} reach a group's leader.
 *
 * <p><b>Lifecycle.</b> {@code new} → {@link #start} → ({@link #initialise} | {@link
 * #joinAutocluster} | nothing when resuming from disk or waiting) → {@link #close()}.
 *
 * <p><b>Threads.</b> Public methods are thread safe. All threads come from the given factory
 * (container-managed when deployed): one per runner, one tick thread that only enqueues (each
 * group's tick, the periodic reconciliation request), one reconciliation thread (passes, which may
 * wait up to 40 s for a stopping runner), autocluster's background thread, and {@value
 * #FORWARDING_THREADS} forwarding threads that serve the leader forwarding (attempt timeouts,
 * retries, store reads after a barrier). The given (container) scheduler serves the leader
 * endpoint. So no group stop, forwarded read or reconciliation pass can delay a tick. Transport
 * handlers only enqueue or complete futures.
 *
 * <p>Why the forwarding has its own plain pool: every request schedules an attempt timeout, and the
 * container's managed scheduler captures the caller's context on each task, which in Payara scans
 * the class path for resources (issue 15's profile: ~10 % of the leader's CPU at 128 in flight).
 * Threads from the managed factory carry the container context they were created with.
 *
 * <p><b>Failures.</b> A group that fails stops alone (its runner logs why); forwarded requests fail
 * with {@link NotLeaderException} or the transport's exceptions, which callers map to error codes.
 */
public final class ClusterRuntime implements AutoCloseable {

  /** Name of the admin group. */
  public static final String ADMIN = ClusterStructure.ADMIN;

  private static final Logger LOG = Logger.getLogger(ClusterRuntime.class.getName());

  private final ClusterSettings settings;
  private final NodeAssembly assembly;
  private final Autocluster autocluster;
  private final Readiness readiness;
  private final KnownNodesFile knownNodes;
  private final ThreadFactory threads;
  private final ScheduledExecutorService scheduler;
  private final AdminStateMachine admin = new AdminStateMachine();
  private final Map<String, GroupRunner> runners = new ConcurrentHashMap<>();

  /**
   * Ticks every group and queues the periodic reconciliation; nothing else runs here, so no group
   * stop, forwarded read or reconciliation pass can delay a tick (both tasks only enqueue).
   */
  private final ScheduledExecutorService ticker;

  /** Threads of {@link #forwarding}. */
  static final int FORWARDING_THREADS = 4;

  /** The leader forwarding's timers, back-off waits and store reads after a barrier. */
  private final ScheduledThreadPoolExecutor forwarding;

  /** Reconciliation passes, one at a time; a pass may wait up to 40 s for a stopping runner. */
  private final ExecutorService reconciliation;

  private Transport transport;
  private Reconciler reconciler;
  private LeaderForwarder forwarder;
  private InfinispanStorageFactory storageFactory;
  private EventStores eventStores;

  public ClusterRuntime(
      ClusterSettings settings, ThreadFactory threads, ScheduledExecutorService scheduler) {
    this.settings = settings;
    this.assembly = new NodeAssembly(settings, threads);
    // Until the LeaderForwarder is built in start(), nothing submits: autocluster starts after.
    this.autocluster =
        new Autocluster(
            settings.me(),
            threads,
            a -> transport.nodeAt(a),
            (command, via) -> admin(command, via));
    this.readiness =
        new Readiness(
            settings.name(),
            admin::structure,
            runners::get,
            context -> store(context).isPresent(),
            autocluster::status);
    this.knownNodes = new KnownNodesFile(settings.logStorage());
    this.threads = threads;
    this.scheduler = scheduler;
    this.ticker = Executors.newSingleThreadScheduledExecutor(named(threads, "caucus-ticks-"));
    this.reconciliation = Executors.newSingleThreadExecutor(named(threads, "caucus-reconcile-"));
    this.forwarding =
        new ScheduledThreadPoolExecutor(FORWARDING_THREADS, named(threads, "caucus-forward-"));
    // Nearly every attempt timeout is cancelled by its answer: drop it from the queue at once.
    forwarding.setRemoveOnCancelPolicy(true);
  }

  public String name() {
    return settings.name();
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Opens the stores, starts the transport and the {@code _admin} runner, and starts ticking.
   *
   * @param bootstrapAdmin whether to create {@code _admin} with this node as its only PRIMARY (a
   *     clean first node); otherwise {@code _admin} is resumed from disk or learnt from its leader
   */
  public void start(boolean bootstrapAdmin) {
    storageFactory = assembly.storageFactory();
    eventStores = new EventStores(storageFactory);
    transport =
        assembly.transport(knownNodes.addresses(settings.knownNodes(), assembly.internalAddress()));
    forwarder =
        new LeaderForwarder(
            settings.name(),
            transport,
            runners::get,
            admin::structure,
            this::store,
            forwarding,
            settings.requestTimeout(),
            LeaderForwarder.RetryPolicy.DEFAULT,
            System::nanoTime);
    new LeaderEndpoint(
            settings.name(),
            runners::get,
            this::groupOf,
            forwarder,
            transport,
            scheduler,
            settings.requestTimeout())
        .register();
    transport.registerService(GroupRunner.SNAPSHOT_SERVICE, (from, p) -> handleSnapshotChunk(p));
    transport.start();
    reconciler =
        new Reconciler(
            assembly,
            admin,
            transport,
            eventStores,
            knownNodes,
            runners,
            new LeftGroupDataPolicy(
                settings.name(), settings.logStorage(), settings.eventStorage(), eventStores),
            reconciliation);
    admin.addListener(reconciler::structureChanged);
    Membership bootstrap =
        bootstrapAdmin ? Membership.of(Map.of(settings.name(), Role.PRIMARY)) : Membership.EMPTY;
    reconciler.startRunner(ADMIN, bootstrap);
    ticker.scheduleAtFixedRate(
        this::tickAll, settings.tickMillis(), settings.tickMillis(), TimeUnit.MILLISECONDS);
    ticker.scheduleWithFixedDelay(reconciler::request, 500, 500, TimeUnit.MILLISECONDS);
  }

  /**
   * Initialises the cluster on this (clean, first) node: {@code init-cluster}, then each context in
   * a replication group of the same name with this node as PRIMARY. Runs in the background; retries
   * until {@code _admin} has elected this node.
   */
  public void initialise(List<String> contexts) {
    autocluster.initialise(contexts);
  }

  /**
   * Registers this clean node with the node at {@code first} and joins {@code _admin} and the
   * contexts as PRIMARY. Runs in the background, retrying until the first node answers.
   */
  public void joinAutocluster(NodeAddress first, List<String> contexts) {
    autocluster.join(first, contexts);
  }

  @Override
  public void close() {
    autocluster.close();
    ticker.shutdownNow();
    // New attempts are refused (they fail as "shutting down"); pending timeouts still fire.
    forwarding.shutdown();
    // Interrupts a pass waiting for a stopping runner: it keeps that group's data and ends.
    reconciliation.shutdownNow();
    try {
      if (!reconciliation.awaitTermination(15, TimeUnit.SECONDS)) {
        LOG.warning("A reconciliation pass did not end within 15 s of closing; closing anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (reconciler != null) {
      reconciler.close();
    }
    if (transport != null) {
      transport.close();
    }
    if (eventStores != null) {
      eventStores.close();
    }
    if (storageFactory != null) {
      storageFactory.close();
    }
  }

  // ------------------------------------------------------------------ runners

  /** Threads of {@code threads} named {@code prefix} + this node's name. */
  private ThreadFactory named(ThreadFactory threads, String prefix) {
    return r -> {
      Thread t = threads.newThread(r);
      t.setName(prefix + settings.name());
      return t;
    };
  }

  private void tickAll() {
    for (GroupRunner r : runners.values()) {
      try {
        r.tick();
      } catch (RuntimeException e) {
        // A failed tick must not cancel the schedule for every other group.
        LOG.log(Level.WARNING, "Ticking group " + r.group() + " failed: " + e, e);
      }
    }
  }

  // ------------------------------------------------------------------ forwarding to leaders

  /**
   * Appends an event-store command to {@code context} through the {@link LeaderForwarder}: proposed
   * here when this node leads the context's group, else forwarded to the leader, retrying what
   * certainly had no effect until {@code timeout}. A forward whose answer is lost (the leader died)
   * is not retried, because it may have been stored.
   *
   * <p>The command is stamped with {@code context} ({@link CommandCodec#withContext}) whatever
   * context it named, so that the group's state machine applies it to that context's store and
   * never to another context of the same group.
   */
  public ApplyResult append(String context, byte[] command, Duration timeout)
      throws InterruptedException, TimeoutException {
    String group = groupOf(context);
    byte[] stamped =
        context.equals(CommandCodec.contextOf(command))
            ? command
            : CommandCodec.withContext(command, context);
    return forwarder.call(new LeaderRequest.Append(group, stamped), timeout);
  }

  private CompletableFuture<byte[]> handleSnapshotChunk(byte[] payload) {
    SnapshotChunk chunk;
    try {
      chunk = SnapshotChunk.decode(payload);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    GroupRunner r = runners.get(chunk.group());
    if (r == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("group " + chunk.group() + " does not run here"));
    }
    return r.receiveChunk(chunk).thenApply(staged -> new byte[0]);
  }

  /**
   * The events of an aggregate as the leader of the context's group holds them after a read barrier
   * (Axon's "force read from leader"): every event acknowledged before this call is included, even
   * if this node's own copy lags. Served here when this node leads, else forwarded to the leader.
   *
   * @throws NotLeaderException no usable leader within {@code timeout} (callers answer NO_LEADER):
   *     none elected, unreachable, or one that cannot confirm with a quorum that it still leads
   * @throws EventStoreException the leader's store refused the read
   * @throws ContextNotFoundException the context is unknown
   */
  public List<Event> aggregateEventsFromLeader(
      String context,
      String aggregateId,
      long fromSequence,
      boolean fromLatestSnapshot,
      Duration timeout)
      throws InterruptedException, TimeoutException {
    ReadReply reply =
        readFromLeader(
            new LeaderRead.AggregateEvents(context, aggregateId, fromSequence, fromLatestSnapshot),
            timeout);
    if (reply instanceof ReadReply.Events e) {
      return e.events();
    }
    throw new IllegalStateException("the leader answered an aggregate read with " + reply);
  }

  /** The highest sequence of an aggregate on the leader, as {@link #aggregateEventsFromLeader}. */
  public long highestSequenceFromLeader(String context, String aggregateId, Duration timeout)
      throws InterruptedException, TimeoutException {
    ReadReply reply = readFromLeader(new LeaderRead.HighestSequence(context, aggregateId), timeout);
    if (reply instanceof ReadReply.Sequence s) {
      return s.value();
    }
    throw new IllegalStateException("the leader answered a sequence read with " + reply);
  }

  private ReadReply readFromLeader(LeaderRead read, Duration timeout)
      throws InterruptedException, TimeoutException {
    return forwarder.call(new LeaderRequest.Read(groupOf(read.context()), read), timeout);
  }

  /**
   * Runs a read barrier when this node leads the context's group: on return, this node's store has
   * applied every entry committed before the call, so a read of {@link #store} is linearizable.
   *
   * @return the barrier's log index
   * @throws NotLeaderException this node does not lead the group (carries the leader hint), or the
   *     leader cannot serve reads yet (no entry of its term committed, leadership lost)
   */
  public long awaitLeaderRead(String context, Duration timeout)
      throws InterruptedException, TimeoutException {
    String group = groupOf(context);
    GroupRunner r = runners.get(group);
    if (r == null || !settings.name().equals(r.status().leader())) {
      throw new NotLeaderException(
          group, r == null ? null : r.status().leader(), "this node does not lead the group", true);
    }
    try {
      return r.readBarrier().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
    }
  }

  /** Runs an admin command on the {@code _admin} leader (here, or forwarded to it). */
  public CompletableFuture<AdminResult> admin(AdminCommand command) {
    return admin(command, null);
  }

  /**
   * Runs an admin command on the {@code _admin} leader; when this node knows no leader (it does not
   * follow {@code _admin} yet), asks {@code via}, which forwards once to the leader it knows.
   */
  CompletableFuture<AdminResult> admin(AdminCommand command, String via) {
    return forwarder.send(new LeaderRequest.Admin(command, via), settings.requestTimeout());
  }

  // ------------------------------------------------------------------ queries

  /** The cluster structure as this node knows it. */
  public ClusterStructure structure() {
    return admin.structure();
  }

  /** The replication group of a context, or throws {@link ContextNotFoundException}. */
  public String groupOf(String context) {
    return admin
        .structure()
        .context(context)
        .filter(c -> !c.name().equals(ADMIN))
        .map(ContextInfo::replicationGroup)
        .orElseThrow(() -> new ContextNotFoundException(context));
  }

  /** The event store of a context stored on this node. */
  public Optional<EventStore> store(String context) {
    return eventStores == null ? Optional.empty() : eventStores.find(context);
  }

  /** The status of each group running here. */
  public List<GroupStatus> groups() {
    return runners.values().stream().map(GroupRunner::status).toList();
  }

  /** The status of one group running here. */
  public Optional<GroupStatus> group(String group) {
    return Optional.ofNullable(runners.get(group)).map(GroupRunner::status);
  }

  /** Names of the nodes this node currently sees (itself included). */
  public Set<String> reachableNodes() {
    return transport == null ? Set.of() : transport.reachableNodes();
  }

  /**
   * Whether this node's start-up commands (autocluster's init-cluster, register and join, the
   * contexts it creates) are not all applied yet: until then a context it does not know may simply
   * not exist <em>yet</em>.
   */
  public boolean startupCommandsPending() {
    return readiness.startupCommandsPending();
  }

  /**
   * Why this node is not ready, or empty when it is: the structure must be known (this node in it)
   * and every group it is a member of must run here with a leader.
   */
  public Optional<String> notReadyBecause() {
    return readiness.notReadyBecause();
  }
}

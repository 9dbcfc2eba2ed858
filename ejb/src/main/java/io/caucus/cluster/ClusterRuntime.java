package io.caucus.cluster;

import io.caucus.cluster.admin.AdminCommand;
import io.caucus.cluster.admin.AdminResult;
import io.caucus.cluster.admin.AdminStateMachine;
import io.caucus.cluster.admin.ClusterStructure;
import io.caucus.cluster.admin.ContextInfo;
import io.caucus.cluster.admin.MembershipPlanner;
import io.caucus.cluster.admin.ReplicationGroupInfo;
import io.caucus.cluster.admin.StructureDiff;
import io.caucus.cluster.rpc.LeaderRead;
import io.caucus.cluster.rpc.LeaderRequest;
import io.caucus.cluster.rpc.ReadReply;
import io.caucus.cluster.transport.JGroupsTransport;
import io.caucus.cluster.transport.NodeAddress;
import io.caucus.cluster.transport.Transport;
import io.caucus.cluster.transport.TransportConfig;
import io.caucus.consensus.Membership;
import io.caucus.consensus.MembershipChange;
import io.caucus.consensus.NodeState;
import io.caucus.consensus.RaftConfig;
import io.caucus.consensus.Role;
import io.caucus.error.ErrorCode;
import io.caucus.eventstore.ApplyResult;
import io.caucus.eventstore.Event;
import io.caucus.eventstore.EventStore;
import io.caucus.eventstore.EventStoreException;
import io.caucus.eventstore.EventStores;
import io.caucus.eventstore.infinispan.InfinispanConfigurationFile;
import io.caucus.eventstore.infinispan.InfinispanStorageFactory;
import io.caucus.log.FileRaftLog;
import io.caucus.log.LogSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
 * <p><b>Reconciliation.</b> Every half second (and after each structure change) the runtime
 * compares the structure with what runs here: it starts a runner for each group this node is a
 * member of and stops those it no longer is, and, for each group this node leads, proposes the next
 * membership change that brings the group's RAFT membership to the structure's ({@link
 * MembershipPlanner}, one change at a time).
 *
 * <p><b>Data of groups this node leaves.</b> When a runner stops because this node left its group
 * (removed from it, or the group deleted), the runtime keeps the group's log folder and its
 * context's event store folder, unless the {@code _admin} command that made it leave asked to
 * delete them ({@link StructureDiff#groupDataToDelete}, or an earlier {@code DeleteContext} of the
 * group's context with {@code deleteData}, {@link StructureDiff#contextDataToDelete}). Then, and
 * only after the runner thread has ended and the store is closed, it deletes both folders; one INFO
 * line says what was deleted or kept, where, and why. Kept data is resumed from if this node is
 * added to the group again; after a deletion it starts empty and catches up from the leader.
 * Requests in {@code _admin} entries replayed from this node's own log at start-up (at or below the
 * commit index it had written) are not acted upon: the node may have been added back since, so data
 * is kept then, and the log line says which folders an operator may delete.
 *
 * <p><b>Lifecycle.</b> {@code new} → {@link #start} → ({@link #initialise} | {@link
 * #joinAutocluster} | nothing when resuming from disk or waiting) → {@link #close()}.
 *
 * <p><b>Threads.</b> Public methods are thread safe. Runner threads and the tick/reconcile schedule
 * come from the given factory and scheduler (container-managed when deployed). Transport handlers
 * only enqueue or complete futures.
 *
 * <p><b>Failures.</b> A group that fails stops alone (its runner logs why); forwarded requests fail
 * with {@link NotLeaderException} or the transport's exceptions, which callers map to error codes.
 */
public final class ClusterRuntime implements AutoCloseable {

  /** Name of the admin group. */
  public static final String ADMIN = ClusterStructure.ADMIN;

  private static final Logger LOG = Logger.getLogger(ClusterRuntime.class.getName());

  private final ClusterSettings settings;
  private final KnownNodesFile knownNodes;
  private final ThreadFactory threads;
  private final ScheduledExecutorService scheduler;
  private final AdminStateMachine admin = new AdminStateMachine();
  private final Map<String, GroupRunner> runners = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Long>> changesInFlight = new ConcurrentHashMap<>();
  private final List<ScheduledFuture<?>> schedules = new ArrayList<>();
  private final Object reconcileLock = new Object();

  /** Groups whose data is deleted when their runner stops here, with the asking _admin index. */
  private final Map<String, Long> dataToDelete = new ConcurrentHashMap<>();

  /** The context whose store each running event-store group serves. */
  private final Map<String, String> runnerContexts = new ConcurrentHashMap<>();

  /**
   * The structure as of the last diff {@link #noteDataRequests} has seen. Reconciliation acts on
   * this one rather than on {@code admin.structure()}, which is published before listeners run: a
   * runner must not be stopped before the request to delete or keep its data has been noted.
   */
  private volatile ClusterStructure notedStructure = ClusterStructure.EMPTY;

  /** The commit index of this node's _admin log at start-up: entries up to it are replays. */
  private volatile long adminReplayedUpTo;

  private Transport transport;
  private LeaderForwarder forwarder;
  private InfinispanStorageFactory storageFactory;
  private EventStores eventStores;
  private volatile boolean closed;
  private volatile String joinStatus;

  public ClusterRuntime(
      ClusterSettings settings, ThreadFactory threads, ScheduledExecutorService scheduler) {
    this.settings = settings;
    this.knownNodes = new KnownNodesFile(settings.logStorage());
    this.threads = threads;
    this.scheduler = scheduler;
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
    storageFactory =
        new InfinispanStorageFactory(
            settings.eventStorage(),
            InfinispanConfigurationFile.readOrBuiltIn(settings.infinispanConfigFile()));
    eventStores = new EventStores(storageFactory);
    TransportConfig.Builder config =
        TransportConfig.builder(settings.name())
            .bindHost(settings.me().internalHostName())
            .bindPort(settings.me().internalGrpcPort())
            .threadFactory(threads);
    if (settings.jgroupsStackFile() != null) {
      config.stackFile(settings.jgroupsStackFile());
    }
    for (NodeAddress a :
        knownNodes.addresses(
            settings.knownNodes(),
            new NodeAddress(settings.me().internalHostName(), settings.me().internalGrpcPort()))) {
      config.initialHost(a);
    }
    transport = new JGroupsTransport(config.build());
    forwarder =
        new LeaderForwarder(
            settings.name(),
            transport,
            runners::get,
            admin::structure,
            this::store,
            scheduler,
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
    admin.addListener(
        diff -> {
          try {
            noteDataRequests(diff);
          } finally {
            notedStructure = diff.after();
          }
          scheduler.execute(this::reconcileQuietly);
        });
    Membership bootstrap =
        bootstrapAdmin ? Membership.of(Map.of(settings.name(), Role.PRIMARY)) : Membership.EMPTY;
    startRunner(ADMIN, bootstrap);
    schedules.add(
        scheduler.scheduleAtFixedRate(
            this::tickAll, settings.tickMillis(), settings.tickMillis(), TimeUnit.MILLISECONDS));
    schedules.add(
        scheduler.scheduleWithFixedDelay(this::reconcileQuietly, 500, 500, TimeUnit.MILLISECONDS));
  }

  /**
   * Initialises the cluster on this (clean, first) node: {@code init-cluster}, then each context in
   * a replication group of the same name with this node as PRIMARY. Runs in the background; retries
   * until {@code _admin} has elected this node.
   */
  public void initialise(List<String> contexts) {
    // Not ready until the contexts exist: a client told "ready" must find them.
    joinStatus = "autocluster is creating _admin and the contexts " + contexts;
    threads
        .newThread(
            () -> {
              List<AdminCommand> commands = new ArrayList<>();
              commands.add(new AdminCommand.InitCluster(settings.me()));
              for (String context : contexts) {
                commands.add(
                    new AdminCommand.CreateReplicationGroup(
                        context, Map.of(settings.name(), Role.PRIMARY)));
                commands.add(new AdminCommand.CreateContext(context, context, Map.of()));
              }
              if (runAdminCommands(commands, "autocluster (first node)", null)) {
                joinStatus = null;
              }
            })
        .start();
  }

  /**
   * Registers this clean node with the node at {@code first} and joins {@code _admin} and the
   * contexts as PRIMARY. Runs in the background, retrying until the first node answers.
   */
  public void joinAutocluster(NodeAddress first, List<String> contexts) {
    joinStatus = "registering with the first node " + first;
    threads
        .newThread(
            () -> {
              String firstName = findNode(first);
              if (firstName == null) {
                return;
              }
              List<AdminCommand> commands = new ArrayList<>();
              commands.add(new AdminCommand.RegisterNode(settings.me()));
              commands.add(new AdminCommand.AddNodeToGroup(ADMIN, settings.name(), Role.PRIMARY));
              for (String context : contexts) {
                commands.add(
                    new AdminCommand.AddNodeToGroup(context, settings.name(), Role.PRIMARY));
              }
              if (runAdminCommands(
                  commands, "autocluster (joining " + firstName + ")", firstName)) {
                joinStatus = null;
              }
            })
        .start();
  }

  /**
   * Finds the name of the node listening at {@code address} ({@link Transport#nodeAt}: the view
   * carries every member's internal address), polling until it has joined this node's view.
   */
  private String findNode(NodeAddress address) {
    long attempt = 0;
    while (!closed) {
      Optional<String> found = transport.nodeAt(address).filter(n -> !n.equals(settings.name()));
      if (found.isPresent()) {
        return found.get();
      }
      if (attempt++ % 10 == 0) {
        String msg =
            "Autocluster: the first node "
                + address
                + " is not reachable yet; retrying until it answers";
        joinStatus = msg;
        LOG.info(msg);
      }
      sleep(1000);
    }
    return null;
  }

  /** Runs admin commands in order, each retried until the admin leader answers it. */
  private boolean runAdminCommands(List<AdminCommand> commands, String what, String via) {
    for (AdminCommand command : commands) {
      long attempt = 0;
      while (true) {
        if (closed) {
          return false;
        }
        try {
          AdminResult r = admin(command, via).get(20, TimeUnit.SECONDS);
          if (r.error() == ErrorCode.CLUSTER_NOT_INITIALIZED) {
            // The first node has not applied init-cluster yet: the same as not answering.
            throw new IllegalStateException(r.message());
          }
          if (!r.isOk()) {
            LOG.severe(what + ": " + command + " was refused: " + r);
            joinStatus = what + " failed: " + r;
            return false;
          }
          LOG.info(what + ": " + r.message());
          break;
        } catch (Exception e) {
          if (attempt++ % 10 == 0) {
            LOG.info(
                what + ": " + describe(command) + " not done yet (" + cause(e) + "); retrying");
          }
          sleep(1000);
        }
      }
    }
    return true;
  }

  private static String describe(AdminCommand c) {
    return c.getClass().getSimpleName();
  }

  private static String cause(Throwable e) {
    Throwable t = e;
    while ((t instanceof ExecutionException || t instanceof CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  @Override
  public void close() {
    closed = true;
    schedules.forEach(s -> s.cancel(false));
    runners.values().forEach(GroupRunner::stop);
    runners.clear();
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

  private void tickAll() {
    for (GroupRunner r : runners.values()) {
      r.tick();
    }
  }

  private void reconcileQuietly() {
    if (closed) {
      return;
    }
    try {
      reconcile();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Reconciling with the cluster structure failed: " + e, e);
    }
  }

  private void reconcile() {
    synchronized (reconcileLock) {
      ClusterStructure s = notedStructure;
      if (!s.isInitialized()) {
        return;
      }
      knownNodes.remember(s);
      SortedMap<String, Role> wanted = s.groupsOf(settings.name());
      for (String group : wanted.keySet()) {
        if (!runners.containsKey(group) && !group.equals(ADMIN)) {
          Membership members = s.group(group).map(ReplicationGroupInfo::members).orElseThrow();
          boolean onlyMe =
              members.roles().size() == 1 && members.roleOf(settings.name()) == Role.PRIMARY;
          startRunner(group, onlyMe ? members : Membership.EMPTY);
        }
      }
      for (String group : List.copyOf(runners.keySet())) {
        if (!group.equals(ADMIN) && !wanted.containsKey(group)) {
          stopGroup(group);
        }
      }
      for (GroupRunner r : runners.values()) {
        GroupStatus st = r.status();
        if (st.state() != NodeState.LEADER || changesInFlight.containsKey(r.group())) {
          continue;
        }
        Optional<ReplicationGroupInfo> info = s.group(r.group());
        if (info.isEmpty()) {
          continue;
        }
        Optional<MembershipChange> next =
            MembershipPlanner.nextChange(st.membership(), info.get().members(), settings.name());
        if (next.isPresent()) {
          MembershipChange change = next.get();
          LOG.info("Group " + r.group() + ": proposing " + change);
          CompletableFuture<Long> f = r.proposeChange(change);
          changesInFlight.put(r.group(), f);
          f.whenComplete((x, e) -> changesInFlight.remove(r.group()));
        }
      }
    }
  }

  /**
   * Records which groups' data the change asks this node to delete when it stops serving them, and
   * forgets such a request when the node is added to the group again before its runner stopped.
   * Runs on the {@code _admin} runner thread, so it only updates a map.
   */
  private void noteDataRequests(StructureDiff diff) {
    String me = settings.name();
    for (String group : diff.groupsJoined(me).keySet()) {
      if (dataToDelete.remove(group) != null) {
        LOG.info(
            "This node was added to "
                + group
                + " again (_admin entry "
                + diff.index()
                + ") before its data there was deleted; it keeps that data");
      }
    }
    SortedSet<String> groups = new TreeSet<>(diff.groupDataToDelete(me));
    diff.contextDataToDelete()
        .forEach(
            (context, group) -> {
              if (diff.before().groupsOf(me).containsKey(group)) {
                groups.add(group);
              }
            });
    for (String group : groups) {
      if (diff.index() <= adminReplayedUpTo) {
        LOG.info(
            "_admin entry "
                + diff.index()
                + " asked this node to delete its data of "
                + group
                + ", but it is replayed from this node's own log at start-up, so nothing is"
                + " deleted; if this node no longer serves "
                + group
                + ", its folders "
                + settings.logStorage().resolve(group)
                + " and the context's folder under "
                + settings.eventStorage()
                + " may be deleted by hand");
      } else {
        dataToDelete.put(group, diff.index());
      }
    }
  }

  /**
   * Stops the runner of a group this node left, closes its store, and deletes or keeps its data.
   * Deletes only once the runner thread has ended (it closes the log on its way out) and the store
   * is closed; if the thread does not end in time, the data is kept and a warning says so.
   */
  private void stopGroup(String group) {
    GroupRunner r = runners.remove(group);
    String context = runnerContexts.remove(group);
    Long askedAt = dataToDelete.remove(group);
    LOG.info("This node is no longer a member of " + group + "; stopping its runner");
    r.stop();
    boolean stopped;
    try {
      stopped = r.awaitStopped(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = false;
    }
    Path logDir = settings.logStorage().resolve(group);
    Path storeDir = context == null ? null : settings.eventStorage().resolve(context);
    String where = "log " + logDir + (storeDir == null ? "" : ", event store " + storeDir);
    if (askedAt == null || !stopped) {
      if (context != null && eventStores.find(context).isPresent()) {
        eventStores.close(context);
      }
      if (askedAt != null) {
        LOG.warning(
            "The runner of "
                + group
                + " did not stop within 30 s, so its data was NOT deleted as _admin entry "
                + askedAt
                + " asked; kept: "
                + where
                + ". Delete those folders by hand after stopping the node");
      } else {
        LOG.info(
            "Kept the data of "
                + group
                + " on "
                + settings.name()
                + " (the change did not ask to delete it): "
                + where
                + "; the node resumes from it if added to "
                + group
                + " again");
      }
      return;
    }
    if (context != null) {
      eventStores.delete(context); // closes the store, then deletes its folder
    }
    FolderDeletion.deleteTree(logDir);
    LOG.info(
        "Deleted the data of "
            + group
            + " on "
            + settings.name()
            + " because _admin entry "
            + askedAt
            + " asked to (node removed from the group, or its context deleted, with deleteData): "
            + where);
  }

  private void startRunner(String group, Membership bootstrap) {
    Path dir = settings.logStorage().resolve(group);
    FileRaftLog log =
        FileRaftLog.open(
            new LogSettings(
                dir, settings.segmentSize(), settings.logCompaction(), settings.logRetention()));
    if (group.equals(ADMIN)) {
      adminReplayedUpTo = log.hardState().commit();
    }
    GroupStateMachine sm;
    if (group.equals(ADMIN)) {
      sm = new AdminGroupStateMachine(admin);
    } else {
      String context = contextOf(group);
      sm = new EventStoreStateMachine(eventStores.open(context));
      runnerContexts.put(group, context);
    }
    RaftConfig config =
        // Flow control, pre-vote and check-quorum keep the core's defaults; only the timing and
        // the backups come from the node's settings.
        RaftConfig.defaults(settings.name())
            .withTimeouts(
                settings.heartbeatMillis(),
                settings.minElectionMillis(),
                settings.maxElectionMillis(),
                settings.tickMillis())
            .withMinActiveBackups(settings.minActiveBackups())
            .withBootstrap(bootstrap);
    GroupRunner runner =
        new GroupRunner(
            group,
            config,
            new FileReplicationLog(log),
            sm,
            RunnerEnvironment.of(transport, threads),
            listener(),
            // _admin's state machine lives in memory and is rebuilt from its whole log.
            group.equals(ADMIN) ? 0 : settings.compactionThreshold());
    runners.put(group, runner);
    runner.start();
  }

  /** The context a group's state machine serves: the group's context, or its own name. */
  private String contextOf(String group) {
    List<ContextInfo> contexts = admin.structure().contextsOf(group);
    return contexts.isEmpty() ? group : contexts.get(0).name();
  }

  private GroupListener listener() {
    return new GroupListener() {
      @Override
      public void leaderChanged(String group, String leader) {
        if (!closed) {
          scheduler.execute(ClusterRuntime.this::reconcileQuietly);
        }
      }

      @Override
      public void membershipChanged(String group, Membership membership) {}
    };
  }

  // ------------------------------------------------------------------ forwarding to leaders

  /**
   * Appends an event-store command to {@code context} through the {@link LeaderForwarder}: proposed
   * here when this node leads the context's group, else forwarded to the leader, retrying what
   * certainly had no effect until {@code timeout}. A forward whose answer is lost (the leader died)
   * is not retried, because it may have been stored.
   */
  public ApplyResult append(String context, byte[] command, Duration timeout)
      throws InterruptedException, TimeoutException {
    return forwarder.call(new LeaderRequest.Append(groupOf(context), command), timeout);
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
    return joinStatus != null;
  }

  /**
   * Why this node is not ready, or empty when it is: the structure must be known (this node in it)
   * and every group it is a member of must run here with a leader.
   */
  public Optional<String> notReadyBecause() {
    ClusterStructure s = admin.structure();
    if (joinStatus != null) {
      return Optional.of(joinStatus);
    }
    if (!s.isInitialized() || s.node(settings.name()).isEmpty()) {
      return Optional.of("the cluster structure is not known yet");
    }
    for (String group : s.groupsOf(settings.name()).keySet()) {
      GroupRunner r = runners.get(group);
      if (r == null) {
        return Optional.of("group " + group + " is not running yet");
      }
      if (!r.isRunning() && r.status().storageFailed()) {
        return Optional.of(r.status().storageFailure());
      }
      if (!r.isRunning()) {
        return Optional.of(
            "group " + group + " stopped on this node after a failure (see the log); restart it");
      }
      if (!r.status().hasLeader()) {
        return Optional.of("group " + group + " has no leader");
      }
    }
    return Optional.empty();
  }
}

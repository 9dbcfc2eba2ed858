package io.caucus.cluster;

import io.caucus.cluster.admin.AdminStateMachine;
import io.caucus.cluster.admin.ClusterStructure;
import io.caucus.cluster.admin.ContextInfo;
import io.caucus.cluster.admin.MembershipPlanner;
import io.caucus.cluster.admin.ReplicationGroupInfo;
import io.caucus.cluster.admin.StructureDiff;
import io.caucus.cluster.transport.Transport;
import io.caucus.consensus.Membership;
import io.caucus.consensus.MembershipChange;
import io.caucus.consensus.NodeState;
import io.caucus.consensus.Role;
import io.caucus.eventstore.EventStore;
import io.caucus.eventstore.EventStores;
import io.caucus.log.FileRaftLog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the group runners of this node in line with the {@code _admin} structure: starts a runner
 * for each group this node is a member of, stops those it no longer is (and deletes or keeps their
 * data as the {@link LeftGroupDataPolicy} says), and, for each group this node leads, proposes the
 * next membership change that brings the group's RAFT membership to the structure's ({@link
 * MembershipPlanner}, one change at a time).
 *
 * <p>It acts on the structure as of the last diff {@link #structureChanged} has seen rather than on
 * {@code admin.structure()}, which is published before listeners run: a runner must not be stopped
 * before the request to delete or keep its data has been noted.
 *
 * <p><b>Lifecycle.</b> {@code new} → {@link #startRunner} of {@code _admin} → {@link #request}
 * (after each structure or leader change, and periodically) → {@link #close}.
 *
 * <p><b>Threads.</b> {@link #request}, {@link #structureChanged} and the runners' listener only
 * enqueue: a pass runs on the given executor, which should be a single thread of its own (a pass
 * may wait up to 40 s for a stopping runner and must not hold up ticks or transport handlers). At
 * most one pass is queued at a time; passes never overlap. The runner map is shared with the
 * runtime's readers (concurrent map; only this class adds and removes).
 *
 * <p><b>Failures.</b> A pass that fails is logged and the next request runs a new one. An interrupt
 * of the reconciliation thread while it waits for a runner to stop keeps that group's data
 * (logged), restores the interrupt flag and lets the pass finish the remaining groups.
 */
final class Reconciler {

  private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());
  private static final String ADMIN = ClusterStructure.ADMIN;
  private static final long STOP_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(30);

  private final String self;
  private final NodeAssembly assembly;
  private final AdminStateMachine admin;
  private final Transport transport;
  private final EventStores eventStores;
  private final KnownNodesFile knownNodes;
  private final Map<String, GroupRunner> runners;
  private final LeftGroupDataPolicy dataPolicy;
  private final Executor executor;
  private final Map<String, CompletableFuture<Long>> changesInFlight = new ConcurrentHashMap<>();
  private final AtomicBoolean queued = new AtomicBoolean();
  private final Object passLock = new Object();

  /** The state machine of each running event-store group (its contexts' stores). */
  private final Map<String, EventStoreStateMachine> machines = new ConcurrentHashMap<>();

  /** The contexts the structure placed in each running event-store group, as last seen. */
  private final Map<String, Set<String>> placed = new ConcurrentHashMap<>();

  private volatile ClusterStructure notedStructure = ClusterStructure.EMPTY;

  /**
   * The commit index of this node's {@code _admin} log at start-up. No event-store group starts
   * before {@code _admin} has applied it: the structure a half-replayed {@code _admin} shows may
   * still hold contexts deleted since, whose stores must not be opened again.
   */
  private volatile long adminCommitAtStart;

  private volatile boolean closed;

  /**
   * @param assembly builds each group's log, consensus configuration and runner
   * @param admin the {@code _admin} state machine (its structure names a group's context)
   * @param transport the node's transport, handed to the runners
   * @param eventStores the node's event stores, opened for the groups that serve a context
   * @param knownNodes remembers the structure's node addresses after each change
   * @param runners the runners of this node, shared with the runtime; only this class writes it
   * @param dataPolicy decides what happens to the data of a group this node leaves
   * @param executor where reconciliation passes run: a single thread of their own
   */
  Reconciler(
      NodeAssembly assembly,
      AdminStateMachine admin,
      Transport transport,
      EventStores eventStores,
      KnownNodesFile knownNodes,
      Map<String, GroupRunner> runners,
      LeftGroupDataPolicy dataPolicy,
      Executor executor) {
    this.self = assembly.settings().name();
    this.assembly = assembly;
    this.admin = admin;
    this.transport = transport;
    this.eventStores = eventStores;
    this.knownNodes = knownNodes;
    this.runners = runners;
    this.dataPolicy = dataPolicy;
    this.executor = executor;
  }

  /** Notes the data requests of a structure change (on the {@code _admin} runner thread). */
  void structureChanged(StructureDiff diff) {
    try {
      dataPolicy.note(diff);
    } finally {
      notedStructure = diff.after();
    }
    request();
  }

  /** Queues a reconciliation pass unless one is queued already. Never blocks. */
  void request() {
    if (closed || !queued.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(
          () -> {
            queued.set(false);
            reconcileQuietly();
          });
    } catch (RejectedExecutionException e) {
      queued.set(false); // shutting down
    }
  }

  /** Stops every runner. Idempotent. */
  void close() {
    closed = true;
    runners.values().forEach(GroupRunner::stop);
    runners.clear();
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
    synchronized (passLock) {
      ClusterStructure s = notedStructure;
      GroupRunner adminRunner = runners.get(ADMIN);
      if (!s.isInitialized()
          || (adminRunner != null && adminRunner.status().applied() < adminCommitAtStart)) {
        return; // a later request runs the pass (there is one every 500 ms)
      }
      knownNodes.remember(s);
      SortedMap<String, Role> wanted = s.groupsOf(self);
      for (String group : wanted.keySet()) {
        if (!runners.containsKey(group) && !group.equals(ADMIN)) {
          Membership members = s.group(group).map(ReplicationGroupInfo::members).orElseThrow();
          boolean onlyMe = members.roles().size() == 1 && members.roleOf(self) == Role.PRIMARY;
          startRunner(group, onlyMe ? members : Membership.EMPTY);
        }
      }
      for (String group : List.copyOf(runners.keySet())) {
        if (!group.equals(ADMIN) && !wanted.containsKey(group)) {
          stopGroup(group);
        }
      }
      machines.forEach((group, sm) -> reconcileContexts(group, sm, s));
      for (GroupRunner r : runners.values()) {
        proposeNextChange(r, s);
      }
    }
  }

  private void proposeNextChange(GroupRunner r, ClusterStructure s) {
    GroupStatus st = r.status();
    if (st.state() != NodeState.LEADER || changesInFlight.containsKey(r.group())) {
      return;
    }
    Optional<ReplicationGroupInfo> info = s.group(r.group());
    if (info.isEmpty()) {
      return;
    }
    Optional<MembershipChange> next =
        MembershipPlanner.nextChange(st.membership(), info.get().members(), self);
    if (next.isPresent()) {
      MembershipChange change = next.get();
      LOG.info("Group " + r.group() + ": proposing " + change);
      CompletableFuture<Long> f = r.proposeChange(change);
      changesInFlight.put(r.group(), f);
      f.whenComplete((x, e) -> changesInFlight.remove(r.group()));
    }
  }

  /**
   * Stops the runner of a group this node left, closes its store, and deletes or keeps its data.
   * Deletes only once the runner thread has ended (it closes the log on its way out) and the store
   * is closed; if the thread does not end in time, or the wait is interrupted, the data is kept.
   */
  private void stopGroup(String group) {
    GroupRunner r = runners.remove(group);
    EventStoreStateMachine sm = machines.remove(group);
    placed.remove(group);
    Set<String> contexts = sm == null ? Set.of() : sm.contexts();
    OptionalLong askedAt = dataPolicy.take(group);
    LOG.info("This node is no longer a member of " + group + "; stopping its runner");
    r.stop();
    boolean ended;
    try {
      ended = r.awaitStopped(STOP_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warning(
          "Interrupted while waiting for the runner of "
              + group
              + " to stop; its data is kept and reconciliation goes on with the other groups");
      ended = false;
    }
    dataPolicy.dispose(group, contexts, askedAt, ended);
  }

  /**
   * Opens the stores of contexts created in a running group and closes (or, if asked, deletes) the
   * stores of contexts deleted from it, while the group runs on.
   */
  private void reconcileContexts(String group, EventStoreStateMachine sm, ClusterStructure s) {
    if (s.group(group).isEmpty()) {
      return; // the group is stopping: stopGroup disposes of all its stores
    }
    Set<String> wanted = contextNames(s, group);
    for (String context : wanted) {
      if (sm.store(context).isEmpty()) {
        LOG.info("Group " + group + " on " + self + ": serving context " + context);
        sm.addContext(context, eventStores.open(context));
      }
    }
    // Only contexts the structure placed here before: one the group's log named ahead of this
    // node's _admin (a lagging follower) is not deleted, just not known here yet.
    Set<String> before = placed.computeIfAbsent(group, g -> ConcurrentHashMap.newKeySet());
    for (String context : sm.contexts()) {
      if (!wanted.contains(context) && before.contains(context)) {
        LOG.info("Group " + group + " on " + self + ": context " + context + " was deleted");
        sm.removeContext(context);
        before.remove(context);
        dataPolicy.disposeContext(group, context);
      }
    }
    before.addAll(wanted);
  }

  private static Set<String> contextNames(ClusterStructure s, String group) {
    Set<String> names = new TreeSet<>();
    s.contextsOf(group).forEach(c -> names.add(c.name()));
    return names;
  }

  /** Opens the group's log and state machine and starts its runner. */
  void startRunner(String group, Membership bootstrap) {
    FileRaftLog log = assembly.openLog(group);
    GroupStateMachine sm;
    if (group.equals(ADMIN)) {
      adminCommitAtStart = log.hardState().commit();
      dataPolicy.replayedUpTo(adminCommitAtStart);
      sm = new AdminGroupStateMachine(admin);
    } else {
      EventStoreStateMachine stores = eventStoreMachine(group, log.hardState().commit());
      machines.put(group, stores);
      sm = stores;
    }
    GroupRunner runner = assembly.runner(group, bootstrap, log, sm, transport, listener());
    runners.put(group, runner);
    runner.start();
  }

  /**
   * The state machine of an event-store group, with the stores of the group's contexts opened.
   * Entries written before entries named their context belong to the group's first context: the one
   * named like the group if there is one (as autocluster and {@code register-context} with defaults
   * create them), else the first by name.
   *
   * <p>An entry naming a context the group does not serve here opens that context's store if the
   * structure places it in this group, or if the structure does not know it yet and the entry is
   * newer than this node's log commit at start (a follower whose {@code _admin} lags learns of a
   * new context from the group's log). A replayed entry (at or below that commit) of a context the
   * structure no longer has is refused, so a deleted context's entries still in the log do not
   * bring its store back after a restart.
   */
  private EventStoreStateMachine eventStoreMachine(String group, long commitAtStart) {
    ClusterStructure s = admin.structure();
    Set<String> names = contextNames(s, group);
    String first = names.contains(group) || names.isEmpty() ? group : names.iterator().next();
    Map<String, EventStore> stores = new TreeMap<>();
    for (String context : names) {
      stores.put(context, eventStores.open(context));
    }
    Set<String> seen = ConcurrentHashMap.newKeySet();
    seen.addAll(names);
    placed.put(group, seen);
    return new EventStoreStateMachine(
        group,
        first,
        stores,
        (context, index) -> {
          Optional<ContextInfo> info = admin.structure().context(context);
          boolean here =
              info.isPresent()
                  ? info.get().replicationGroup().equals(group)
                  : index > commitAtStart;
          return here ? Optional.of(eventStores.open(context)) : Optional.empty();
        });
  }

  private GroupListener listener() {
    return new GroupListener() {
      @Override
      public void leaderChanged(String group, String leader) {
        request();
      }

      @Override
      public void membershipChanged(String group, Membership membership) {}
    };
  }
}

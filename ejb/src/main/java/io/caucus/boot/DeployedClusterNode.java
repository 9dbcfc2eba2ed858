package io.caucus.boot;

import io.caucus.cluster.ClusterNode;
import io.caucus.cluster.ClusterRuntime;
import io.caucus.cluster.ContextNotFoundException;
import io.caucus.cluster.ForwardFailedException;
import io.caucus.cluster.GroupStatus;
import io.caucus.cluster.NodeStartingException;
import io.caucus.cluster.admin.AdminCommand;
import io.caucus.cluster.admin.AdminResult;
import io.caucus.cluster.admin.ClusterStructure;
import io.caucus.cluster.admin.NodeInfo;
import io.caucus.cluster.rpc.RpcFormatException;
import io.caucus.cluster.transport.NodeAddress;
import io.caucus.cluster.transport.RequestTimeoutException;
import io.caucus.cluster.transport.TransportException;
import io.caucus.consensus.Role;
import io.caucus.eventstore.ApplyResult;
import io.caucus.eventstore.Event;
import io.caucus.eventstore.EventStoreReader;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * The {@link ClusterNode} of a deployed node: the start-up bean's state and configuration until the
 * cluster runtime runs, then the runtime. This is how {@code io.caucus.api} reaches the cluster
 * without knowing about start-up (CDI injects it wherever a {@code ClusterNode} is asked for).
 *
 * <p><b>Start-up window.</b> Until the runtime runs and knows the cluster structure, and while its
 * autocluster commands are not all applied, a context this node does not know is no reason for "not
 * found": operations on contexts throw {@link NodeStartingException} then (503 {@code
 * NODE_STARTING} above), with the reason readiness reports.
 *
 * <p>Application scoped, stateless itself: every call reads the start-up bean's volatile state, so
 * it is thread safe. Transport failures of forwarded requests (and replies in a format this node
 * cannot read) become {@link ForwardFailedException}s here, so that no caller above sees the
 * transport's types.
 */
@ApplicationScoped
public class DeployedClusterNode implements ClusterNode {

  @Inject StartupBean startup;

  private ClusterRuntime runtime() {
    return startup.runtime().orElseThrow(() -> new NodeStartingException(startup.detail()));
  }

  /**
   * The runtime, once it knows the cluster structure: before that (resuming from disk, joining) no
   * context is known, and an answer "context not found" would be wrong.
   */
  private ClusterRuntime knowingRuntime() {
    ClusterRuntime runtime = runtime();
    if (!runtime.structure().isInitialized()) {
      throw new NodeStartingException(
          runtime.notReadyBecause().orElse("the cluster structure is not known yet"));
    }
    return runtime;
  }

  /**
   * A context this node does not know while its autocluster commands are still being applied may be
   * one of those about to be created: the node is starting, not the context missing.
   */
  private static RuntimeException unknownContext(
      ClusterRuntime runtime, ContextNotFoundException e) {
    if (runtime.startupCommandsPending()) {
      return new NodeStartingException(
          runtime.notReadyBecause().orElse("its start-up commands are not applied yet"));
    }
    return e;
  }

  private static ForwardFailedException forwardFailed(RuntimeException e) {
    // A request that timed out may have been carried out; the others never reached a handler that
    // could have stored anything, failed in it before proposing, or got an answer this node cannot
    // read (another Caucus version: nothing was done for a request it could not read either).
    return new ForwardFailedException(e.getMessage(), e instanceof RequestTimeoutException, e);
  }

  @Override
  public ApplyResult append(String context, byte[] command, Duration timeout)
      throws InterruptedException, TimeoutException {
    ClusterRuntime runtime = knowingRuntime();
    try {
      return runtime.append(context, command, timeout);
    } catch (ContextNotFoundException e) {
      throw unknownContext(runtime, e);
    } catch (TransportException | RpcFormatException e) {
      throw forwardFailed(e);
    }
  }

  @Override
  public List<Event> aggregateEventsFromLeader(
      String context,
      String aggregateId,
      long fromSequence,
      boolean fromLatestSnapshot,
      Duration timeout)
      throws InterruptedException, TimeoutException {
    ClusterRuntime runtime = knowingRuntime();
    try {
      return runtime.aggregateEventsFromLeader(
          context, aggregateId, fromSequence, fromLatestSnapshot, timeout);
    } catch (ContextNotFoundException e) {
      throw unknownContext(runtime, e);
    } catch (TransportException | RpcFormatException e) {
      throw forwardFailed(e);
    }
  }

  @Override
  public long highestSequenceFromLeader(String context, String aggregateId, Duration timeout)
      throws InterruptedException, TimeoutException {
    ClusterRuntime runtime = knowingRuntime();
    try {
      return runtime.highestSequenceFromLeader(context, aggregateId, timeout);
    } catch (ContextNotFoundException e) {
      throw unknownContext(runtime, e);
    } catch (TransportException | RpcFormatException e) {
      throw forwardFailed(e);
    }
  }

  @Override
  public long awaitLeaderRead(String context, Duration timeout)
      throws InterruptedException, TimeoutException {
    ClusterRuntime runtime = knowingRuntime();
    try {
      return runtime.awaitLeaderRead(context, timeout);
    } catch (ContextNotFoundException e) {
      throw unknownContext(runtime, e);
    }
  }

  @Override
  public CompletableFuture<AdminResult> admin(AdminCommand command) {
    Optional<ClusterRuntime> runtime = startup.runtime();
    if (runtime.isEmpty()) {
      return CompletableFuture.failedFuture(new NodeStartingException(startup.detail()));
    }
    return runtime
        .get()
        .admin(command)
        .exceptionally(
            e -> {
              Throwable c =
                  e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
              throw new CompletionException(
                  c instanceof TransportException || c instanceof RpcFormatException
                      ? forwardFailed((RuntimeException) c)
                      : c);
            });
  }

  @Override
  public void initialiseCluster(List<String> contexts) {
    try {
      startup.initialiseOnRequest(contexts);
    } catch (EJBException e) {
      throw unwrapped(e);
    }
  }

  @Override
  public void joinCluster(String host, int port, List<String> contexts) {
    try {
      startup.joinOnRequest(new NodeAddress(host, port), contexts);
    } catch (EJBException e) {
      throw unwrapped(e);
    }
  }

  /**
   * The start-up bean's own exception (e.g. "not waiting to be initialised"), which the container
   * wraps in an {@link EJBException} because it is a system exception to it.
   */
  private static RuntimeException unwrapped(EJBException e) {
    return e.getCause() instanceof RuntimeException r ? r : e;
  }

  @Override
  public ClusterStructure structure() {
    return startup.runtime().map(ClusterRuntime::structure).orElse(ClusterStructure.EMPTY);
  }

  @Override
  public Optional<String> leaderOf(String group) {
    return startup.runtime().flatMap(r -> r.group(group)).map(GroupStatus::leader);
  }

  @Override
  public Optional<SortedMap<String, String>> rolesInForce(String group) {
    return startup
        .runtime()
        .flatMap(r -> r.group(group))
        .map(
            g -> {
              SortedMap<String, String> roles = new TreeMap<>();
              g.membership().roles().forEach((n, role) -> roles.put(n, role.name()));
              return roles;
            });
  }

  @Override
  public Set<String> reachableNodes() {
    return startup.runtime().map(ClusterRuntime::reachableNodes).orElse(Set.of());
  }

  @Override
  public Optional<EventStoreReader> store(String context) {
    ClusterRuntime runtime = knowingRuntime();
    String group;
    try {
      group = runtime.groupOf(context);
    } catch (ContextNotFoundException e) {
      throw unknownContext(runtime, e);
    }
    Optional<EventStoreReader> store = runtime.store(context).map(EventStoreReader.class::cast);
    if (store.isEmpty() && storesHere(runtime, group)) {
      // A member that stores the group has not opened the store yet (its runner is starting):
      // the context is there, this node will serve it shortly.
      throw new NodeStartingException(
          "the store of context " + context + " is opening on " + runtime.name());
    }
    return store;
  }

  private static boolean storesHere(ClusterRuntime runtime, String group) {
    Role role =
        runtime.structure().group(group).map(g -> g.members().roleOf(runtime.name())).orElse(null);
    return role != null && role.receivesLog();
  }

  @Override
  public Optional<NodeInfo> me() {
    return startup.configuration().map(StartupBean::nodeInfo);
  }

  @Override
  public int maxMessageBytes() {
    return startup
        .configuration()
        .map(NodeConfiguration::maxMessageSizeBytes)
        .orElse(ConfigurationLoader.DEFAULT_MAX_MESSAGE_SIZE);
  }

  @Override
  public boolean uncheckedAppendsEnabled() {
    return StartupBean.uncheckedAppendsEnabled();
  }

  @Override
  public Optional<String> notReadyBecause() {
    NodeState state = startup.state();
    Optional<ClusterRuntime> runtime = startup.runtime();
    if ((state != NodeState.RUNNING && state != NodeState.JOINING) || runtime.isEmpty()) {
      return Optional.of(startup.detail());
    }
    return runtime.get().notReadyBecause();
  }

  @Override
  public String startupState() {
    return startup.state().name();
  }
}

package io.caucus.cluster;

import io.caucus.cluster.admin.AdminCommand;
import io.caucus.cluster.admin.AdminResult;
import io.caucus.cluster.admin.ClusterStructure;
import io.caucus.cluster.admin.NodeInfo;
import io.caucus.eventstore.ApplyResult;
import io.caucus.eventstore.Event;
import io.caucus.eventstore.EventStoreException;
import io.caucus.eventstore.EventStoreReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * This node as the outer layers ({@code io.caucus.api}, later gRPC and routing) see the cluster:
 * append to a context, read through its group's leader, submit an admin command, the structure as
 * seen from here, and readiness. The only door from {@code api} into the cluster layer; it hides
 * the runtime, the transport, the consensus core and the start-up sequence behind it.
 *
 * <p><b>Lifecycle.</b> Available from deployment on, before the node has started its runtime. Until
 * the node knows the cluster structure (configuration being read, runtime starting, {@code _admin}
 * not replayed yet, waiting to be initialised), every operation on a context throws {@link
 * NodeStartingException}, and {@link #notReadyBecause()} says what it waits for. After the node
 * stops, operations fail with {@link NodeStartingException} again.
 *
 * <p><b>Thread safety.</b> Every method is thread safe and may be called from any thread, also
 * concurrently; the blocking ones block only the caller, never a group's runner or the transport.
 *
 * <p><b>Failure.</b> Each operation documents its exceptions. In short: {@link
 * NodeStartingException} (retryable later: the node is not up yet), {@link
 * ContextNotFoundException} (not retryable: the structure has no such context), {@link
 * NotLeaderException} (no usable leader within the timeout; {@link NotLeaderException#retryable()}
 * says whether the request certainly had no effect), {@link ForwardFailedException} (the leader
 * could not be reached or its answer was lost; {@link ForwardFailedException#outcomeUnknown()} says
 * whether an append may have been stored), {@link TimeoutException} (the deadline passed while
 * waiting for the commit), {@link EventStoreException} (the leader's store refused a read).
 * Rejections by the state machine (a wrong aggregate sequence) are no exceptions: they are {@link
 * ApplyResult.Rejected} and {@link AdminResult} errors.
 *
 * <p><b>Durability.</b> When {@link #append} returns a result, the entry is committed (stored on a
 * majority of the group's primaries, each fsynced) and applied on the leader: a later leader read
 * sees it on any node. A failed append may or may not have been stored, as its exception says.
 */
public interface ClusterNode {

  /**
   * TEST ONLY: started with this system property set to {@code true}, the node skips the per-event
   * checks at the door for an append whose caller asks for it with the header {@value
   * #UNCHECKED_APPENDS_HEADER} (see {@link #uncheckedAppendsEnabled()}).
   */
  String UNCHECKED_APPENDS_PROPERTY = "caucus.test.unchecked-appends";

  /** The REST header that asks for {@link #UNCHECKED_APPENDS_PROPERTY}'s test-only path. */
  String UNCHECKED_APPENDS_HEADER = "X-Caucus-Test-Unchecked";

  /**
   * Appends an event-store command to {@code context}: proposed here when this node leads the
   * context's group, else forwarded to the leader. Refusals that certainly had no effect (no leader
   * yet, leader moved) are retried until {@code timeout}.
   *
   * @return the state machine's verdict on the leader, once the entry is committed and applied
   * @throws NodeStartingException the node does not know the structure yet
   * @throws ContextNotFoundException no such context
   * @throws NotLeaderException no leader took the entry within {@code timeout}
   * @throws ForwardFailedException the leader could not be reached, or its answer was lost
   * @throws TimeoutException the commit was not confirmed within {@code timeout}
   */
  ApplyResult append(String context, byte[] command, Duration timeout)
      throws InterruptedException, TimeoutException;

  /**
   * The events of an aggregate as the leader of the context's group holds them after a read barrier
   * (Axon's "force read from leader"): every event acknowledged before this call is included.
   *
   * @throws NodeStartingException the node does not know the structure yet
   * @throws ContextNotFoundException no such context
   * @throws NotLeaderException no leader confirmed the read within {@code timeout}
   * @throws EventStoreException the leader's store refused the read
   */
  List<Event> aggregateEventsFromLeader(
      String context,
      String aggregateId,
      long fromSequence,
      boolean fromLatestSnapshot,
      Duration timeout)
      throws InterruptedException, TimeoutException;

  /** The highest sequence of an aggregate on the leader, as {@link #aggregateEventsFromLeader}. */
  long highestSequenceFromLeader(String context, String aggregateId, Duration timeout)
      throws InterruptedException, TimeoutException;

  /**
   * Runs a read barrier when this node leads the context's group: on return, this node's store has
   * applied every entry committed before the call, so a read of {@link #store} is linearizable.
   *
   * @return the barrier's log index
   * @throws NotLeaderException this node does not lead the group, or cannot serve reads yet
   */
  long awaitLeaderRead(String context, Duration timeout)
      throws InterruptedException, TimeoutException;

  /**
   * Runs an admin command on the {@code _admin} leader (here, or forwarded to it). The future fails
   * with {@link NotLeaderException} (no leader known), {@link NodeStartingException}, or a
   * transport failure wrapped in {@link ForwardFailedException}; refusals are {@link AdminResult}
   * errors.
   */
  CompletableFuture<AdminResult> admin(AdminCommand command);

  /**
   * {@code init-cluster} on a clean node that waits to be initialised: starts the runtime as the
   * cluster's first node, which creates {@code _admin} and each context (in a replication group of
   * the same name, this node its PRIMARY) in the background, as autocluster's first node does.
   * Returns once the runtime runs; {@link #structure()} shows the commands as they are applied.
   *
   * @throws IllegalStateException this node does not wait to be initialised (it is starting, or
   *     already in a cluster); nothing changed
   */
  void initialiseCluster(List<String> contexts);

  /**
   * {@code register-node} on a clean node that waits to be initialised: starts the runtime, which
   * registers this node through the node listening at {@code host:port} (its internal address) and
   * joins {@code _admin} and each context's group as PRIMARY in the background, as autocluster's
   * joining nodes do.
   *
   * @throws IllegalStateException as {@link #initialiseCluster}
   */
  void joinCluster(String host, int port, List<String> contexts);

  /**
   * The cluster structure as this node knows it ({@link ClusterStructure#EMPTY} before it knows
   * any).
   */
  ClusterStructure structure();

  /**
   * The leader of a group as this node sees it: empty when none is known or it does not run here.
   */
  Optional<String> leaderOf(String group);

  /**
   * The membership the group's runner on this node has in force (node name to role name, sorted),
   * which lags {@code _admin}'s wanted membership while changes are applied one at a time; empty
   * when the group does not run here.
   */
  Optional<SortedMap<String, String>> rolesInForce(String group);

  /** Names of the nodes this node currently sees (itself included; empty before start). */
  Set<String> reachableNodes();

  /**
   * This node's own copy of a context, for reads that need not go to the leader.
   *
   * @throws NodeStartingException the node does not know the structure yet, or it stores the
   *     context but has not opened its store yet
   * @throws ContextNotFoundException no such context in the structure
   * @return empty when the context exists but this node does not store it
   */
  Optional<EventStoreReader> store(String context);

  /** This node as configured; empty while the configuration is not read (or unusable). */
  Optional<NodeInfo> me();

  /** The property that sets {@link #maxMessageBytes()} (Axon Server's name for it). */
  String MAX_MESSAGE_SIZE_PROPERTY = "axoniq.axonserver.max-message-size";

  /**
   * The largest encoded transaction or snapshot one append may carry, in bytes ({@value
   * #MAX_MESSAGE_SIZE_PROPERTY}; Axon's default of 4 MB until the configuration is read).
   */
  int maxMessageBytes();

  /** Whether this JVM was started with the test-only {@link #UNCHECKED_APPENDS_PROPERTY}. */
  boolean uncheckedAppendsEnabled();

  /**
   * Why this node is not ready, or empty when it is: the configuration is read, the structure is
   * known (this node in it) and every group it is a member of runs here with a leader.
   */
  Optional<String> notReadyBecause();

  /**
   * Where the node is in its start-up, as one word for health checks (e.g. {@code STARTING}, {@code
   * WAITING_FOR_INITIALISATION}, {@code JOINING}, {@code RUNNING}, {@code FAILED}).
   */
  String startupState();
}

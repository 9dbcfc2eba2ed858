package io.caucus.cluster.transport;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Carries messages between Caucus nodes: fire-and-forget messages of replication groups, and
 * request/reply calls to named services on another node. Nodes are addressed by their Caucus node
 * name, never by network address. {@link JGroupsTransport} is the implementation.
 *
 * <p><b>Lifecycle.</b> {@code new} → {@link #start()} (binds the internal port and joins the other
 * nodes it can reach; a node alone forms its own view and merges with the others when they become
 * reachable) → {@link #close()}. Handlers and listeners may be registered before or after start.
 * {@code close} is idempotent; after it, sends are dropped and requests fail. A closed transport
 * cannot be restarted: create a new one.
 *
 * <p><b>Delivery.</b> Unicast only, at most once, no delivery guarantee: a message to a node that
 * is unknown, unreachable or not (yet) running is dropped and counted in {@link #stats()}; RAFT
 * retries. While both nodes stay in each other's view, messages from one sender are delivered in
 * the order sent (JGroups UNICAST3), so the messages of one group from one sender arrive in order.
 * A message for a group with no registered handler is counted, logged at debug level, and dropped.
 *
 * <p><b>Threads.</b> Every method is thread safe. Group handlers and service handlers run on
 * JGroups' receive threads, one thread at a time per sending node (that is what keeps per-sender
 * order), possibly concurrently for different senders. A handler must therefore be thread safe and
 * must return quickly: it enqueues the message into the group's inbox (or hands the request to the
 * thread that owns the work) and never runs consensus work, I/O or blocking calls itself; a blocked
 * handler stalls every message from that sender. Request futures are completed on the transport's
 * own thread; use the {@code *Async} stages for heavy work after them.
 *
 * <p><b>Failure.</b> Views are hints: {@link ViewListener}s learn which nodes are reachable, but
 * correctness must never depend on it (two nodes may briefly disagree). A handler that throws is
 * logged and counted; it never breaks the transport. Malformed messages are counted and dropped.
 *
 * <p><b>Durability.</b> None: nothing is written to disk; messages in flight are lost on close.
 */
public interface Transport extends AutoCloseable {

  /** This node's name. */
  String localNode();

  /**
   * Binds the internal port and connects to the cluster. Returns once this node has a view (it may
   * be alone in it).
   *
   * @throws TransportException if the port cannot be bound or the stack cannot be built; the
   *     message says which host, port or file to fix
   * @throws IllegalStateException if already started or closed
   */
  void start();

  /**
   * Delivers the messages of {@code group} to {@code handler} from now on.
   *
   * @throws IllegalStateException if another handler is registered for the group
   */
  void register(String group, GroupMessageHandler handler);

  /** Stops delivering {@code group}'s messages; they are counted as unknown-group from now on. */
  void unregister(String group);

  /**
   * Answers requests for {@code service} with {@code handler}.
   *
   * @throws IllegalStateException if another handler is registered for the service
   */
  void registerService(String service, RequestHandler handler);

  /** Stops answering {@code service}; requests for it fail at the caller with a clear message. */
  void unregisterService(String service);

  /**
   * Sends {@code payload} to {@code group} on node {@code toNode}, fire-and-forget. Never blocks on
   * a slow, frozen or dead receiver: group messages bypass JGroups flow control (the consensus core
   * paces replication itself), each member has its own sender thread, and a full send queue drops
   * the message. Never throws for a network reason.
   *
   * @param payload not copied: the caller must not modify it afterwards
   * @return {@code true} if the message was handed to JGroups, {@code false} if it was dropped
   *     (unknown node, transport not started or closed)
   */
  boolean send(String group, String toNode, byte[] payload);

  /**
   * Calls {@code service} on {@code toNode} (which may be this node) and returns its reply.
   *
   * <p>The returned future fails with {@link NodeUnreachableException} when the node is not in this
   * node's view, or leaves it before answering; with {@link RequestTimeoutException} when no answer
   * came within {@code timeout}; with {@link RemoteRequestException} when the remote handler failed
   * or the service is unknown there; with {@link TransportException} when this transport is not
   * running. The call is at most once: after a timeout the remote side may still have done the
   * work, so forwarded operations must be safe to retry or carry their own identity.
   */
  CompletableFuture<byte[]> request(
      String toNode, String service, byte[] payload, Duration timeout);

  /** Adds a listener told about every view change (a failure hint only). */
  void addViewListener(ViewListener listener);

  void removeViewListener(ViewListener listener);

  /** The names of the nodes in the current view, this node included; empty before start. */
  Set<String> reachableNodes();

  /**
   * The name of the reachable node whose internal address is {@code address} (host names are
   * compared by what they resolve to), or empty when no node in the view has it. This is how a node
   * that only knows another by address (for example {@code autocluster.first}) finds the name to
   * {@link #request} it by; poll it until the node has joined the view.
   */
  Optional<String> nodeAt(NodeAddress address);

  /** Counters since start. */
  TransportStats stats();

  /** Leaves the cluster and releases the port; fails pending requests. Idempotent. */
  @Override
  void close();
}

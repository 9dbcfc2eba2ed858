package io.caucus.cluster.transport;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;

/**
 * The {@link Transport} on one JGroups {@link JChannel} per node; the contract (threads, delivery,
 * failures) is documented there.
 *
 * <p><b>Node identity.</b> Every channel's address names its node, incarnation and internal address
 * ({@link NodeIdentity}), so that views name their members without a separate lookup, {@link
 * #nodeAt} can answer from the view, and when a restarted node's new address and its old one are
 * briefly in the same view, messages go to the newest incarnation. The node name is also the
 * JGroups logical name (for JGroups' own logs) and travels in every {@link Envelope}.
 *
 * <p><b>Threads.</b> JGroups' receive threads call the handlers; one scheduler thread from {@link
 * TransportConfig#threadFactory()} runs request time-outs and completes request futures ({@link
 * PendingRequests}), so that a caller's dependent stages never run on a JGroups thread.
 */
public final class JGroupsTransport implements Transport {

  private static final Logger LOG = System.getLogger(JGroupsTransport.class.getName());

  private static final AtomicLong INCARNATIONS = new AtomicLong();

  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  private final TransportConfig config;
  private final String localNode;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final Map<String, GroupMessageHandler> groups = new ConcurrentHashMap<>();
  private final Map<String, RequestHandler> services = new ConcurrentHashMap<>();
  private final PendingRequests requests = new PendingRequests();
  private final CopyOnWriteArrayList<ViewListener> viewListeners = new CopyOnWriteArrayList<>();
  private final Object viewLock = new Object();

  private final LongAdder sent = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder droppedUnknownNode = new LongAdder();
  private final LongAdder droppedUnknownGroup = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder sendFailures = new LongAdder();
  private final LongAdder handlerFailures = new LongAdder();

  /** Node name → address of its newest incarnation in the current view. Replaced, never mutated. */
  private volatile Map<String, Address> nodes = Map.of();

  private volatile JChannel channel;

  public JGroupsTransport(TransportConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.localNode = config.nodeName();
  }

  @Override
  public String localNode() {
    return localNode;
  }

  @Override
  public void start() {
    if (!state.compareAndSet(State.NEW, State.STARTED)) {
      throw new IllegalStateException(
          "transport of " + localNode + " is " + state.get() + ": create a new one to start");
    }
    requests.start(config.threadFactory());
    warnAboutUnresolvableHosts();
    JChannel ch = null;
    try {
      ch = JGroupsStack.newChannel(config);
      long incarnation = System.currentTimeMillis() * 1000 + INCARNATIONS.incrementAndGet() % 1000;
      ch.addAddressGenerator(
          () -> NodeIdentity.newAddress(localNode, incarnation, config.localAddress()));
      ch.name(localNode);
      ch.setReceiver(new ChannelReceiver());
      channel = ch;
      ch.connect(config.clusterName());
      LOG.log(
          Level.INFO,
          "node {0} joined cluster ''{1}'' on {2}; view: {3}",
          localNode,
          config.clusterName(),
          config.localAddress(),
          nodes.keySet());
    } catch (Exception e) {
      state.set(State.CLOSED);
      if (ch != null) {
        ch.close();
      }
      requests.shutdown();
      if (e instanceof TransportException te) {
        throw te;
      }
      throw new TransportException(
          "node "
              + localNode
              + " cannot open its internal port "
              + config.localAddress()
              + ": "
              + e.getMessage()
              + "; check that the internal host and port are free and belong to this machine",
          e);
    }
  }

  /** JGroups resolves the initial hosts once, at start, and silently skips those it cannot. */
  private void warnAboutUnresolvableHosts() {
    for (NodeAddress a : config.initialHosts()) {
      try {
        InetAddress.getByName(a.host());
      } catch (UnknownHostException e) {
        LOG.log(
            Level.WARNING,
            "known node address {0} cannot be resolved now; this node will not look for it until it"
                + " restarts (the other node can still find this one)",
            a);
      }
    }
  }

  @Override
  public void register(String group, GroupMessageHandler handler) {
    Objects.requireNonNull(handler, "handler");
    GroupMessageHandler previous = groups.putIfAbsent(requireName(group, "group"), handler);
    if (previous != null && previous != handler) {
      throw new IllegalStateException(
          "group " + group + " already has a handler on " + localNode + ": unregister it first");
    }
  }

  @Override
  public void unregister(String group) {
    groups.remove(group);
  }

  @Override
  public void registerService(String service, RequestHandler handler) {
    Objects.requireNonNull(handler, "handler");
    RequestHandler previous = services.putIfAbsent(requireName(service, "service"), handler);
    if (previous != null && previous != handler) {
      throw new IllegalStateException(
          "service " + service + " already has a handler on " + localNode + ": unregister it");
    }
  }

  @Override
  public void unregisterService(String service) {
    services.remove(service);
  }

  @Override
  public boolean send(String group, String toNode, byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    Address to = nodes.get(toNode);
    if (to == null || state.get() != State.STARTED) {
      droppedUnknownNode.increment();
      LOG.log(Level.TRACE, "dropped message of group {0} to unreachable node {1}", group, toNode);
      return false;
    }
    Envelope e = new Envelope(Envelope.Kind.GROUP, localNode, group, 0, payload);
    // No flow control: a dead follower must never block the group's thread; RAFT paces itself.
    return transmit(to, e, true);
  }

  @Override
  public CompletableFuture<byte[]> request(
      String toNode, String service, byte[] payload, Duration timeout) {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(timeout, "timeout");
    if (state.get() != State.STARTED) {
      return CompletableFuture.failedFuture(
          new TransportException(
              "transport of " + localNode + " is " + state.get() + ": no request can be sent"));
    }
    Address to = nodes.get(toNode);
    if (to == null) {
      droppedUnknownNode.increment();
      return CompletableFuture.failedFuture(unreachable(toNode, "is not in the view of"));
    }
    PendingRequests.Opened r = requests.open(toNode, to, service, timeout);
    if (r == null) {
      return CompletableFuture.failedFuture(
          new TransportException("transport of " + localNode + " closed"));
    }
    Envelope e = new Envelope(Envelope.Kind.REQUEST, localNode, service, r.id(), payload);
    if (!transmit(to, e, false)) {
      requests.fail(r.id(), unreachable(toNode, "could not be sent a request by"));
    }
    return r.future();
  }

  private NodeUnreachableException unreachable(String node, String what) {
    return new NodeUnreachableException(
        node,
        "node "
            + node
            + " "
            + what
            + " node "
            + localNode
            + ": it is down, not started yet, or partitioned away; retry later");
  }

  private boolean transmit(Address to, Envelope e, boolean bypassFlowControl) {
    JChannel ch = channel;
    if (ch == null || state.get() != State.STARTED) {
      sendFailures.increment();
      return false;
    }
    Message m = new BytesMessage(to, e.encode());
    if (bypassFlowControl) {
      m.setFlag(Message.Flag.NO_FC);
    }
    try {
      ch.send(m);
      sent.increment();
      return true;
    } catch (Exception ex) {
      sendFailures.increment();
      LOG.log(Level.DEBUG, () -> "send to " + to + " failed: " + ex);
      return false;
    }
  }

  @Override
  public void addViewListener(ViewListener listener) {
    viewListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void removeViewListener(ViewListener listener) {
    viewListeners.remove(listener);
  }

  @Override
  public Set<String> reachableNodes() {
    return Set.copyOf(nodes.keySet());
  }

  @Override
  public Optional<String> nodeAt(NodeAddress address) {
    Objects.requireNonNull(address, "address");
    Set<InetAddress> wanted = resolve(address.host());
    for (Map.Entry<String, Address> e : nodes.entrySet()) {
      NodeAddress internal = NodeIdentity.internalAddress(e.getValue());
      if (internal == null || internal.port() != address.port()) {
        continue;
      }
      if (internal.host().equalsIgnoreCase(address.host())
          || resolve(internal.host()).stream().anyMatch(wanted::contains)) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  private static Set<InetAddress> resolve(String host) {
    try {
      return Set.of(InetAddress.getAllByName(host));
    } catch (UnknownHostException | IllegalArgumentException e) {
      return Set.of();
    }
  }

  @Override
  public TransportStats stats() {
    return new TransportStats(
        sent.sum(),
        delivered.sum(),
        droppedUnknownNode.sum(),
        droppedUnknownGroup.sum(),
        malformed.sum(),
        sendFailures.sum(),
        handlerFailures.sum(),
        requests.timedOut());
  }

  @Override
  public void close() {
    State previous = state.getAndSet(State.CLOSED);
    if (previous == State.CLOSED) {
      return;
    }
    nodes = Map.of();
    TransportException closed =
        new TransportException("transport of " + localNode + " closed before the reply came");
    requests.failAll(closed);
    JChannel ch = channel;
    if (ch != null) {
      ch.close();
    }
    requests.shutdown();
    if (previous == State.STARTED) {
      LOG.log(Level.INFO, "node {0} left cluster ''{1}''", localNode, config.clusterName());
    }
  }

  /** The channel, for tests that simulate a crash; {@code null} before start. */
  JChannel channel() {
    return channel;
  }

  // ---- receiving ----------------------------------------------------------------------------

  private void onMessage(Message msg) {
    Envelope e;
    try {
      e = Envelope.decode(msg.getArray(), msg.getOffset(), msg.getLength());
    } catch (RuntimeException bad) {
      malformed.increment();
      LOG.log(Level.WARNING, "dropped a malformed message from {0}: {1}", msg.getSrc(), bad);
      return;
    }
    switch (e.kind()) {
      case GROUP -> deliver(e);
      case REQUEST -> answer(msg.getSrc(), e);
      case REPLY, REPLY_ERROR -> requests.complete(msg.getSrc(), e);
    }
  }

  private void deliver(Envelope e) {
    GroupMessageHandler h = groups.get(e.target());
    if (h == null) {
      droppedUnknownGroup.increment();
      LOG.log(
          Level.DEBUG,
          "dropped a message for group {0} from {1}: no handler on {2}",
          e.target(),
          e.fromNode(),
          localNode);
      return;
    }
    try {
      h.onMessage(e.fromNode(), e.payload());
      delivered.increment();
    } catch (RuntimeException ex) {
      handlerFailures.increment();
      LOG.log(Level.WARNING, "handler of group " + e.target() + " failed; message dropped", ex);
    }
  }

  private void answer(Address replyTo, Envelope e) {
    RequestHandler h = services.get(e.target());
    if (h == null) {
      reply(
          replyTo,
          e.correlationId(),
          null,
          "node " + localNode + " has no service '" + e.target() + "'");
      return;
    }
    CompletableFuture<byte[]> result;
    try {
      result = Objects.requireNonNull(h.handle(e.fromNode(), e.payload()), "handler result");
    } catch (RuntimeException ex) {
      handlerFailures.increment();
      reply(replyTo, e.correlationId(), null, describe(ex));
      return;
    }
    result.whenComplete(
        (bytes, ex) -> {
          if (ex != null) {
            reply(replyTo, e.correlationId(), null, describe(ex));
          } else {
            reply(replyTo, e.correlationId(), bytes == null ? new byte[0] : bytes, null);
          }
        });
  }

  private String describe(Throwable ex) {
    Throwable t = ex;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    String msg = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    return "request failed on node " + localNode + ": " + msg;
  }

  private void reply(Address to, long id, byte[] payload, String error) {
    Envelope e =
        error == null
            ? new Envelope(Envelope.Kind.REPLY, localNode, "", id, payload)
            : new Envelope(
                Envelope.Kind.REPLY_ERROR,
                localNode,
                "",
                id,
                error.getBytes(StandardCharsets.UTF_8));
    transmit(to, e, true);
  }

  private void onView(View view) {
    ClusterView changed;
    synchronized (viewLock) {
      Map<String, Address> next = NodeIdentity.newestIncarnations(view.getMembers());
      Map<String, Address> previous = nodes;
      if (state.get() == State.CLOSED) {
        return;
      }
      nodes = Map.copyOf(next);
      Set<String> joined = new HashSet<>();
      for (Map.Entry<String, Address> en : next.entrySet()) {
        if (!en.getValue().equals(previous.get(en.getKey()))) {
          joined.add(en.getKey());
        }
      }
      Set<String> left = new HashSet<>(previous.keySet());
      left.removeAll(next.keySet());
      changed = new ClusterView(view.getViewId().getId(), next.keySet(), joined, left);
    }
    Set<Address> members = new HashSet<>(view.getMembers());
    requests.failOutside(members, (node, address) -> unreachable(node, "left the view of"));
    LOG.log(
        Level.INFO,
        "node {0} sees nodes {1} (joined {2}, left {3})",
        localNode,
        changed.members(),
        changed.joined(),
        changed.left());
    for (ViewListener l : viewListeners) {
      try {
        l.onViewChange(changed);
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, "a view listener failed", ex);
      }
    }
  }

  private static String requireName(String name, String what) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(what + " name must not be empty");
    }
    return name;
  }

  /** Receives from JGroups; an inner class so that the transport itself exposes no JGroups type. */
  private final class ChannelReceiver implements Receiver {
    @Override
    public void receive(Message msg) {
      onMessage(msg);
    }

    @Override
    public void viewAccepted(View view) {
      onView(view);
    }
  }
}

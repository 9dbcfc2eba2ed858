package io.caucus.cluster;

import io.caucus.cluster.transport.GroupMessageHandler;
import io.caucus.cluster.transport.NodeAddress;
import io.caucus.cluster.transport.NodeUnreachableException;
import io.caucus.cluster.transport.RequestHandler;
import io.caucus.cluster.transport.RequestTimeoutException;
import io.caucus.cluster.transport.Transport;
import io.caucus.cluster.transport.TransportStats;
import io.caucus.cluster.transport.ViewListener;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A network of {@link Transport}s inside one JVM, for tests of a group runner without JGroups:
 * every node delivers on its own single receive thread (so, as with JGroups, one sender's messages
 * arrive in order and handlers only enqueue), requests time out as the interface says, and a node
 * can be frozen: nothing reaches it and nothing it sends leaves, while its threads keep running (a
 * process stopped by SIGSTOP, as seen by the others).
 *
 * <p><b>Lifecycle.</b> {@link #node} creates a transport (started at once); {@link #close} ends
 * every receive thread. <b>Threads.</b> Thread safe.
 */
final class InMemoryNetwork implements AutoCloseable {

  private final Map<String, Node> nodes = new ConcurrentHashMap<>();
  private final Set<String> frozen = ConcurrentHashMap.newKeySet();
  private final ExecutorService timers = Executors.newSingleThreadExecutor();
  private volatile BiConsumer<String, byte[]> sendObserver = (from, payload) -> {};

  /** Called with (sending node, payload) on the sender's thread for every group message sent. */
  void observeSends(BiConsumer<String, byte[]> observer) {
    sendObserver = observer;
  }

  Transport node(String name) {
    Node n = new Node(name);
    nodes.put(name, n);
    return n;
  }

  void freeze(String name) {
    frozen.add(name);
  }

  void thaw(String name) {
    frozen.remove(name);
  }

  private boolean cut(String from, String to) {
    return frozen.contains(from) || frozen.contains(to);
  }

  @Override
  public void close() {
    nodes.values().forEach(Node::close);
    timers.shutdownNow();
  }

  private final class Node implements Transport {
    private final String name;
    private final ExecutorService receiver;
    private final Map<String, GroupMessageHandler> groups = new ConcurrentHashMap<>();
    private final Map<String, RequestHandler> services = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Node(String name) {
      this.name = name;
      this.receiver =
          Executors.newSingleThreadExecutor(r -> new Thread(r, "in-memory-receive-" + name));
    }

    @Override
    public String localNode() {
      return name;
    }

    @Override
    public void start() {}

    @Override
    public void register(String group, GroupMessageHandler handler) {
      groups.put(group, handler);
    }

    @Override
    public void unregister(String group) {
      groups.remove(group);
    }

    @Override
    public void registerService(String service, RequestHandler handler) {
      services.put(service, handler);
    }

    @Override
    public void unregisterService(String service) {
      services.remove(service);
    }

    @Override
    public boolean send(String group, String toNode, byte[] payload) {
      Node to = nodes.get(toNode);
      if (closed || to == null || to.closed) {
        return false;
      }
      sendObserver.accept(name, payload);
      if (cut(name, toNode)) {
        return true; // sent, and lost on the way, as a datagram to a frozen process is
      }
      to.receiver.execute(
          () -> {
            GroupMessageHandler h = to.groups.get(group);
            if (h != null && !cut(name, toNode)) {
              h.onMessage(name, payload);
            }
          });
      return true;
    }

    @Override
    public CompletableFuture<byte[]> request(
        String toNode, String service, byte[] payload, Duration timeout) {
      Node to = nodes.get(toNode);
      if (closed || to == null || to.closed) {
        return CompletableFuture.failedFuture(
            new NodeUnreachableException(toNode, "node " + toNode + " is not in the network"));
      }
      CompletableFuture<byte[]> reply = new CompletableFuture<>();
      CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS, timers)
          .execute(
              () ->
                  reply.completeExceptionally(
                      new RequestTimeoutException(toNode + " did not answer " + service)));
      if (cut(name, toNode)) {
        return reply;
      }
      to.receiver.execute(
          () -> {
            RequestHandler h = to.services.get(service);
            if (h == null) {
              reply.completeExceptionally(new IllegalStateException("no service " + service));
              return;
            }
            h.handle(name, payload)
                .whenComplete(
                    (bytes, e) -> {
                      if (cut(name, toNode)) {
                        return; // the answer is lost: the caller times out
                      }
                      if (e != null) {
                        reply.completeExceptionally(e);
                      } else {
                        reply.complete(bytes);
                      }
                    });
          });
      return reply;
    }

    @Override
    public void addViewListener(ViewListener listener) {}

    @Override
    public void removeViewListener(ViewListener listener) {}

    @Override
    public Set<String> reachableNodes() {
      return Set.copyOf(nodes.keySet());
    }

    @Override
    public Optional<String> nodeAt(NodeAddress address) {
      return Optional.empty();
    }

    @Override
    public TransportStats stats() {
      return new TransportStats(0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void close() {
      closed = true;
      receiver.shutdownNow();
    }
  }
}

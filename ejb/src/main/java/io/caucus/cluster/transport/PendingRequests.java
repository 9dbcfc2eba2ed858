package io.caucus.cluster.transport;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import org.jgroups.Address;

/**
 * The requests a {@link JGroupsTransport} sent and still waits for: each has a correlation id, a
 * time-out, and a future completed exactly once, by the reply, the time-out, the member leaving the
 * view, a failed send, or the transport closing.
 *
 * <p><b>Lifecycle.</b> {@link #start} (creates the scheduler thread) → {@link #open} and the
 * completions → {@link #close} (fails what is left, ends the thread). <b>Threads.</b> Thread safe:
 * opened on callers' threads, completed from JGroups receive threads; every future is completed on
 * the one scheduler thread (from the transport's thread factory), so that a caller's dependent
 * stages never run on a JGroups thread.
 */
final class PendingRequests {

  private static final Logger LOG = System.getLogger(PendingRequests.class.getName());

  /** An open request: its correlation id and the future its reply completes. */
  record Opened(long id, CompletableFuture<byte[]> future) {}

  private static final class Pending {
    final String node;
    final Address address;
    final String service;
    final CompletableFuture<byte[]> future = new CompletableFuture<>();
    volatile ScheduledFuture<?> timeout;

    Pending(String node, Address address, String service) {
      this.node = node;
      this.address = address;
      this.service = service;
    }

    void cancelTimeout() {
      ScheduledFuture<?> t = timeout;
      if (t != null) {
        t.cancel(false);
      }
    }
  }

  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong correlationIds = new AtomicLong();
  private final LongAdder timedOut = new LongAdder();
  private volatile ScheduledExecutorService scheduler;

  void start(ThreadFactory threads) {
    scheduler = Executors.newSingleThreadScheduledExecutor(threads);
  }

  /**
   * Opens a request to {@code node} at {@code address}; it times out after {@code timeout}.
   *
   * @return the open request, or null when the transport is closed
   */
  Opened open(String node, Address address, String service, Duration timeout) {
    long id = correlationIds.incrementAndGet();
    Pending p = new Pending(node, address, service);
    pending.put(id, p);
    try {
      p.timeout =
          scheduler.schedule(() -> timeOut(id, timeout), timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      pending.remove(id);
      return null;
    }
    return new Opened(id, p.future);
  }

  /** Fails the request {@code id} (if still open) with {@code cause}. */
  void fail(long id, Throwable cause) {
    Pending p = pending.remove(id);
    if (p != null) {
      p.cancelTimeout();
      completeLater(() -> p.future.completeExceptionally(cause));
    }
  }

  /**
   * Completes a request with the reply (or the remote error) {@code e} that {@code from} sent;
   * ignores a reply from another address than the request went to, and late or stray ones.
   */
  void complete(Address from, Envelope e) {
    Pending p = pending.get(e.correlationId());
    if (p == null || !p.address.equals(from)) {
      LOG.log(Level.DEBUG, "ignored a late or stray reply {0} from {1}", e.correlationId(), from);
      return;
    }
    if (!pending.remove(e.correlationId(), p)) {
      return;
    }
    p.cancelTimeout();
    if (e.kind() == Envelope.Kind.REPLY) {
      completeLater(() -> p.future.complete(e.payload()));
    } else {
      String message = new String(e.payload(), StandardCharsets.UTF_8);
      completeLater(() -> p.future.completeExceptionally(new RemoteRequestException(message)));
    }
  }

  /**
   * Fails the requests to addresses that are not in {@code members} with {@code why(node,
   * address)}: their replies can no longer come.
   */
  void failOutside(Set<Address> members, BiFunction<String, Address, Throwable> why) {
    for (Map.Entry<Long, Pending> en : pending.entrySet()) {
      Pending p = en.getValue();
      if (!members.contains(p.address)) {
        fail(en.getKey(), why.apply(p.node, p.address));
      }
    }
  }

  /** Requests that timed out so far. */
  long timedOut() {
    return timedOut.sum();
  }

  /** Fails every open request with {@code closed} (on the calling thread). */
  void failAll(TransportException closed) {
    for (Long id : Set.copyOf(pending.keySet())) {
      Pending p = pending.remove(id);
      if (p != null) {
        p.cancelTimeout();
        p.future.completeExceptionally(closed);
      }
    }
  }

  /** Ends the scheduler thread; requests opened afterwards are refused. */
  void shutdown() {
    ScheduledExecutorService s = scheduler;
    if (s != null) {
      s.shutdownNow();
    }
  }

  private void timeOut(long id, Duration timeout) {
    Pending p = pending.remove(id);
    if (p != null) {
      timedOut.increment();
      p.future.completeExceptionally(
          new RequestTimeoutException(
              "node "
                  + p.node
                  + " did not answer request '"
                  + p.service
                  + "' within "
                  + timeout.toMillis()
                  + " ms; it may be overloaded or partitioned away (the work may still happen)"));
    }
  }

  private void completeLater(Runnable r) {
    try {
      scheduler.execute(r);
    } catch (RejectedExecutionException closed) {
      r.run();
    }
  }
}

package io.caucus.cluster;

import io.caucus.cluster.admin.AdminCommandCodec;
import io.caucus.cluster.admin.AdminResult;
import io.caucus.cluster.admin.ClusterStructure;
import io.caucus.cluster.rpc.AppendReply;
import io.caucus.cluster.rpc.LeaderRead;
import io.caucus.cluster.rpc.LeaderRequest;
import io.caucus.cluster.rpc.NotLeaderReply;
import io.caucus.cluster.rpc.ReadReply;
import io.caucus.cluster.rpc.RpcCodec;
import io.caucus.cluster.rpc.Services;
import io.caucus.cluster.transport.Transport;
import io.caucus.cluster.transport.TransportException;
import io.caucus.consensus.Role;
import io.caucus.error.ErrorCode;
import io.caucus.eventstore.ApplyResult;
import io.caucus.eventstore.EventStore;
import io.caucus.eventstore.EventStoreException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The one path from this node to a replication group's leader, for appends, reads forced to the
 * leader and admin commands ({@link LeaderRequest}, typed by its reply): served here when this node
 * leads the group, else sent over the transport to the leader this node knows of (or, knowing none,
 * to the last leader hint, or to a reachable PRIMARY of the group, which answers "not the leader"
 * with its own hint). One deadline and one retry policy for all of them.
 *
 * <p><b>Retries.</b> Until the request's deadline, with exponential back-off ({@link RetryPolicy}),
 * the forwarder retries every failure that certainly had no effect: "not the leader" answers and
 * refusals that say so ({@link NotLeaderException#retryable()}: no leader elected yet, leader
 * moved, a new leader that cannot serve reads yet), and a leader that is not in this node's view
 * (the request was never sent). Idempotent requests (reads) are retried after any transport failure
 * and after a timeout of one attempt, too. It does <em>not</em> retry what may have taken effect:
 * an append or admin command whose answer was lost (transport timeout, the leader left after
 * receiving it) or whose leader lost leadership before the commit ({@code retryable() == false});
 * such failures reach the caller as they are. Nor does it retry answers: a rejection by the state
 * machine is a result, not a failure, and {@link ContextNotFoundException} or {@link
 * EventStoreException} from the leader's store are final. A read that runs out of time on a
 * transport failure or timeout fails with {@link NotLeaderException} (no leader confirmed it).
 *
 * <p><b>Threads.</b> Thread safe; {@link #send} never blocks: attempts run on the caller's thread
 * or on the given scheduler (back-off waits, store reads after a barrier, attempt timeouts), never
 * on a runner or transport thread. {@link #call} blocks only its caller. Clock, transport, runners,
 * structure and stores are parameters, so that a simulation can drive it.
 */
public final class LeaderForwarder {

  /** Back-off between attempts: {@code first}, doubling up to {@code max}. */
  public record RetryPolicy(Duration first, Duration max) {
    /** 25 ms doubling to 400 ms: quick while an election settles, gentle when it takes long. */
    public static final RetryPolicy DEFAULT =
        new RetryPolicy(Duration.ofMillis(25), Duration.ofMillis(400));

    public RetryPolicy {
      if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
        throw new IllegalArgumentException("back-off must be positive and max >= first");
      }
    }
  }

  private final String self;
  private final Transport transport;
  private final Function<String, GroupRunner> runners;
  private final Supplier<ClusterStructure> structure;
  private final Function<String, Optional<EventStore>> stores;
  private final ScheduledExecutorService scheduler;
  private final Duration requestTimeout;
  private final RetryPolicy policy;
  private final LongSupplier nanoClock;

  /**
   * @param runners the runner of a group on this node, or null
   * @param stores this node's store of a context
   * @param scheduler runs back-off waits, attempt timeouts and store reads after a barrier
   * @param requestTimeout the longest one request over the transport may take
   * @param nanoClock monotonic nanoseconds ({@code System::nanoTime})
   */
  public LeaderForwarder(
      String self,
      Transport transport,
      Function<String, GroupRunner> runners,
      Supplier<ClusterStructure> structure,
      Function<String, Optional<EventStore>> stores,
      ScheduledExecutorService scheduler,
      Duration requestTimeout,
      RetryPolicy policy,
      LongSupplier nanoClock) {
    this.self = Objects.requireNonNull(self, "self");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.runners = Objects.requireNonNull(runners, "runners");
    this.structure = Objects.requireNonNull(structure, "structure");
    this.stores = Objects.requireNonNull(stores, "stores");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /**
   * Sends {@code request} to its group's leader and waits for the answer, retrying as the class
   * says until {@code timeout}.
   *
   * @throws NotLeaderException no leader served it in time (or one lost leadership mid-way)
   * @throws TimeoutException an attempt that must not be retried ran out of time
   * @throws TransportException a request that must not be retried failed on the way
   */
  public <R> R call(LeaderRequest<R> request, Duration timeout)
      throws InterruptedException, TimeoutException {
    try {
      return send(request, timeout).get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof TimeoutException t) {
        throw t;
      }
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(c);
    }
  }

  /** {@link #call} without blocking: the future fails with the exceptions {@code call} throws. */
  public <R> CompletableFuture<R> send(LeaderRequest<R> request, Duration timeout) {
    Attempts<R> attempts =
        new Attempts<>(request, nanoClock.getAsLong() + timeout.toNanos(), timeout);
    attempts.next();
    return attempts.result;
  }

  /** The attempts of one request: each runs, and on a retryable failure schedules the next. */
  private final class Attempts<R> {
    final LeaderRequest<R> request;
    final long deadline;
    final Duration timeout;
    final CompletableFuture<R> result = new CompletableFuture<>();
    String hint;
    long backoff = policy.first().toNanos();

    Attempts(LeaderRequest<R> request, long deadline, Duration timeout) {
      this.request = request;
      this.deadline = deadline;
      this.timeout = timeout;
    }

    void next() {
      long remaining = Math.max(1, deadline - nanoClock.getAsLong());
      CompletableFuture<R> attempt;
      try {
        attempt = once(request, hint, remaining);
      } catch (RuntimeException e) {
        attempt = CompletableFuture.failedFuture(e);
      }
      CompletableFuture<R> bounded = attempt.thenApply(r -> r);
      ScheduledFuture<?> timer;
      try {
        timer =
            scheduler.schedule(
                () ->
                    bounded.completeExceptionally(
                        new TimeoutException(
                            "no answer from the leader of "
                                + request.group()
                                + " within "
                                + timeout)),
                remaining,
                TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // The attempt may be on its way already: only a read may be said to have had no effect.
        result.completeExceptionally(shuttingDown(request.idempotent()));
        return;
      }
      bounded.whenComplete(
          (r, e) -> {
            timer.cancel(false);
            if (e == null) {
              result.complete(r);
            } else {
              failed(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
          });
    }

    void failed(Throwable e) {
      boolean retry;
      if (e instanceof NotLeaderException n) {
        retry = n.retryable();
        hint = n.leaderHint();
      } else if (e instanceof TimeoutException || e instanceof TransportException) {
        retry = request.idempotent();
        hint = null;
      } else {
        retry = false;
      }
      if (!retry) {
        result.completeExceptionally(e);
      } else if (nanoClock.getAsLong() + backoff > deadline) {
        result.completeExceptionally(outOfTime(e));
      } else {
        long wait = backoff;
        backoff = Math.min(backoff * 2, policy.max().toNanos());
        try {
          scheduler.schedule(this::next, wait, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException rejected) {
          result.completeExceptionally(shuttingDown(true));
        }
      }
    }

    /** The scheduler refuses work: this node is closing; nothing more is sent. */
    private NotLeaderException shuttingDown(boolean retryable) {
      return new NotLeaderException(request.group(), null, "this node is shutting down", retryable);
    }

    private Throwable outOfTime(Throwable e) {
      if (e instanceof TimeoutException) {
        return new NotLeaderException(
            request.group(), null, "no leader confirmed the read within " + timeout, true);
      }
      if (e instanceof TransportException) {
        return new NotLeaderException(
            request.group(), null, "the leader is unreachable: " + e, true);
      }
      return e;
    }
  }

  /** One attempt: here when this node leads, else one request to the leader it chose. */
  private <R> CompletableFuture<R> once(LeaderRequest<R> request, String hint, long remaining) {
    String group = request.group();
    GroupRunner local = runners.apply(group);
    String leader = local == null ? null : local.status().leader();
    if (leader == null) {
      leader = hint != null ? hint : fallbackTarget(request);
    }
    if (leader == null && request instanceof LeaderRequest.Admin a && a.via() != null) {
      // Not following _admin yet: the node asked forwards once to the leader it knows.
      return remote(a.via(), Services.ADMIN, AdminCommandCodec.encode(a.command()))
          .thenApply(bytes -> cast(request, RpcCodec.decodeAdminResult(bytes)));
    }
    if (leader == null) {
      throw new NotLeaderException(group, null, "no leader is elected yet", true);
    }
    if (leader.equals(self) && local != null) {
      return here(request, local);
    }
    if (!transport.reachableNodes().contains(leader)) {
      // Never sent, so safe to retry whatever the request is.
      throw new NotLeaderException(
          group, null, "the leader " + leader + " is not reachable from " + self, true);
    }
    return there(request, leader, remaining);
  }

  /** Where to ask when this node knows no leader: any reachable PRIMARY (not for _admin). */
  private String fallbackTarget(LeaderRequest<?> request) {
    if (request instanceof LeaderRequest.Admin) {
      return null;
    }
    Set<String> reachable = transport.reachableNodes();
    return structure
        .get()
        .group(request.group())
        .flatMap(
            g ->
                g.members().withRole(Role.PRIMARY).stream().filter(reachable::contains).findFirst())
        .orElse(null);
  }

  private <R> CompletableFuture<R> here(LeaderRequest<R> request, GroupRunner leader) {
    if (request instanceof LeaderRequest.Append a) {
      return leader.propose(a.command(), ApplyResult.class).thenApply(r -> cast(request, r));
    }
    if (request instanceof LeaderRequest.Read r) {
      // The barrier completes on the runner thread; the store read runs on the scheduler, so that
      // it never holds up the group.
      return leader
          .readBarrier()
          .thenApplyAsync(
              index -> cast(request, checked(r.read(), serveFromStore(r.read()))), scheduler);
    }
    LeaderRequest.Admin a = (LeaderRequest.Admin) request;
    return leader
        .propose(AdminCommandCodec.encode(a.command()), AdminResult.class)
        .thenApply(r -> cast(request, r));
  }

  private <R> CompletableFuture<R> there(LeaderRequest<R> request, String leader, long remaining) {
    if (request instanceof LeaderRequest.Append a) {
      return remote(leader, Services.APPEND, RpcCodec.encodeAppend(a))
          .thenApply(bytes -> cast(request, applied(RpcCodec.decodeAppendReply(bytes))));
    }
    if (request instanceof LeaderRequest.Read r) {
      Duration wait = Duration.ofNanos(Math.min(remaining, requestTimeout.toNanos()));
      return transport
          .request(leader, Services.READ, RpcCodec.encodeRead(r.read()), wait)
          .thenApply(bytes -> cast(request, checked(r.read(), RpcCodec.decodeReadReply(bytes))));
    }
    LeaderRequest.Admin a = (LeaderRequest.Admin) request;
    return remote(leader, Services.ADMIN_ON_LEADER, AdminCommandCodec.encode(a.command()))
        .thenApply(bytes -> cast(request, RpcCodec.decodeAdminResult(bytes)));
  }

  private CompletableFuture<byte[]> remote(String node, String service, byte[] payload) {
    return transport.request(node, service, payload, requestTimeout);
  }

  /** The reply as the request's type: each request kind is answered by its own reply type. */
  @SuppressWarnings("unchecked")
  private static <R> R cast(LeaderRequest<R> request, Object reply) {
    return (R) reply;
  }

  /** The store's verdict, or the {@link NotLeaderException} the leader answered with. */
  private static ApplyResult applied(AppendReply reply) {
    if (reply instanceof NotLeaderReply n) {
      throw new NotLeaderException(n.group(), n.leaderHint(), n.why(), n.retryable());
    }
    return ((AppendReply.Applied) reply).result();
  }

  /** The reply, or the exception a "not the leader" or error reply stands for. */
  private static ReadReply checked(LeaderRead read, ReadReply reply) {
    if (reply instanceof NotLeaderReply n) {
      throw new NotLeaderException(n.group(), n.leaderHint(), n.why(), n.retryable());
    }
    if (reply instanceof ReadReply.Error err) {
      if (err.code() == ErrorCode.CONTEXT_NOT_FOUND) {
        throw new ContextNotFoundException(read.context());
      }
      throw new EventStoreException(err.code(), err.message());
    }
    return reply;
  }

  /** Reads this node's store (after a barrier); store refusals become an error reply. */
  ReadReply serveFromStore(LeaderRead read) {
    Optional<EventStore> store = stores.apply(read.context());
    if (store.isEmpty()) {
      return new ReadReply.Error(
          ErrorCode.CONTEXT_NOT_FOUND, ErrorCode.CONTEXT_NOT_FOUND.message(read.context()));
    }
    try {
      if (read instanceof LeaderRead.AggregateEvents a) {
        return new ReadReply.Events(
            store.get().aggregateEvents(a.aggregateId(), a.fromSequence(), a.fromLatestSnapshot()));
      }
      LeaderRead.HighestSequence h = (LeaderRead.HighestSequence) read;
      return new ReadReply.Sequence(store.get().highestSequence(h.aggregateId()));
    } catch (EventStoreException e) {
      return new ReadReply.Error(e.code(), e.getMessage());
    }
  }
}

package io.caucus.cluster;

import io.caucus.cluster.admin.AdminResult;
import io.caucus.cluster.admin.ClusterStructure;
import io.caucus.cluster.rpc.AppendReply;
import io.caucus.cluster.rpc.LeaderRead;
import io.caucus.cluster.rpc.LeaderRequest;
import io.caucus.cluster.rpc.NotLeaderReply;
import io.caucus.cluster.rpc.ReadReply;
import io.caucus.cluster.rpc.RpcCodec;
import io.caucus.cluster.rpc.RpcFormatException;
import io.caucus.cluster.rpc.Services;
import io.caucus.cluster.transport.Transport;
import io.caucus.error.ErrorCode;
import io.caucus.eventstore.ApplyResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The leader's side of {@link LeaderForwarder}: answers the appends, reads and admin commands other
 * nodes forward to this node (services in {@link Services}). A request for a group this node does
 * not lead is answered "not the leader" with the leader it knows of, so that the sender retries
 * there; only the {@code caucus.admin} service forwards once itself (for nodes that do not follow
 * {@code _admin} yet).
 *
 * <p><b>Threads.</b> Thread safe. Called on transport threads: each handler only looks up the
 * runner and hands the request to it (or to the transport), then returns; store reads after a read
 * barrier run on the given executor, never on the runner or transport thread.
 *
 * <p><b>Failure.</b> Malformed requests fail the reply future with {@link IllegalArgumentException}
 * (the sender sees a remote failure); nothing is proposed for them.
 */
final class LeaderEndpoint {

  private final String self;
  private final Function<String, GroupRunner> runners;
  private final Function<String, String> groupOfContext;
  private final LeaderForwarder forwarder;
  private final Transport transport;
  private final Executor storeReads;
  private final Duration requestTimeout;

  /**
   * @param groupOfContext the group of a context, or throws {@link ContextNotFoundException}
   * @param forwarder serves reads from this node's store once the barrier passed
   * @param storeReads runs those store reads
   */
  LeaderEndpoint(
      String self,
      Function<String, GroupRunner> runners,
      Function<String, String> groupOfContext,
      LeaderForwarder forwarder,
      Transport transport,
      Executor storeReads,
      Duration requestTimeout) {
    this.self = self;
    this.runners = runners;
    this.groupOfContext = groupOfContext;
    this.forwarder = forwarder;
    this.transport = transport;
    this.storeReads = storeReads;
    this.requestTimeout = requestTimeout;
  }

  /** Registers the handlers of the forwarded requests on the transport. */
  void register() {
    transport.registerService(Services.APPEND, (from, payload) -> append(payload));
    transport.registerService(Services.ADMIN, (from, payload) -> admin(payload, true));
    transport.registerService(Services.ADMIN_ON_LEADER, (from, payload) -> admin(payload, false));
    transport.registerService(Services.READ, (from, payload) -> read(payload));
  }

  private GroupRunner ledHere(String group) {
    GroupRunner r = runners.apply(group);
    return r != null && self.equals(r.status().leader()) ? r : null;
  }

  private String leaderKnown(String group) {
    GroupRunner r = runners.apply(group);
    return r == null ? null : r.status().leader();
  }

  private static Throwable cause(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  CompletableFuture<byte[]> append(byte[] payload) {
    LeaderRequest.Append append;
    try {
      append = RpcCodec.decodeAppend(payload);
    } catch (RpcFormatException e) {
      return CompletableFuture.failedFuture(e);
    }
    String group = append.group();
    GroupRunner r = ledHere(group);
    if (r == null) {
      return CompletableFuture.completedFuture(
          RpcCodec.encodeAppendReply(
              new NotLeaderReply(group, leaderKnown(group), "not the leader", true)));
    }
    return r.propose(append.command(), ApplyResult.class)
        .handle(
            (result, e) -> {
              if (e == null) {
                return RpcCodec.encodeAppendReply(new AppendReply.Applied(result));
              }
              Throwable c = cause(e);
              if (c instanceof NotLeaderException nle) {
                return RpcCodec.encodeAppendReply(notLeader(nle));
              }
              throw new CompletionException(c);
            });
  }

  private static NotLeaderReply notLeader(NotLeaderException e) {
    return new NotLeaderReply(
        e.group(), e.leaderHint(), "the forwarded node is not the leader", e.retryable());
  }

  CompletableFuture<byte[]> read(byte[] payload) {
    LeaderRead read;
    String group;
    try {
      read = RpcCodec.decodeRead(payload);
      group = groupOfContext.apply(read.context());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    } catch (ContextNotFoundException e) {
      return CompletableFuture.completedFuture(
          RpcCodec.encodeReadReply(
              new ReadReply.Error(ErrorCode.CONTEXT_NOT_FOUND, e.getMessage())));
    }
    GroupRunner r = ledHere(group);
    if (r == null) {
      return CompletableFuture.completedFuture(
          RpcCodec.encodeReadReply(
              new NotLeaderReply(group, leaderKnown(group), "not the leader", true)));
    }
    LeaderRead forwarded = read;
    // The barrier completes on the runner thread; the store read runs elsewhere so that it never
    // holds up the group.
    return r.readBarrier()
        .handleAsync(
            (index, e) -> {
              if (e == null) {
                return RpcCodec.encodeReadReply(forwarder.serveFromStore(forwarded));
              }
              Throwable c = cause(e);
              if (c instanceof NotLeaderException nle) {
                return RpcCodec.encodeReadReply(
                    new NotLeaderReply(group, nle.leaderHint(), nle.getMessage(), true));
              }
              throw new CompletionException(c);
            },
            storeReads);
  }

  CompletableFuture<byte[]> admin(byte[] payload, boolean mayForward) {
    String admin = ClusterStructure.ADMIN;
    GroupRunner r = ledHere(admin);
    if (r != null) {
      return r.propose(payload, AdminResult.class).thenApply(RpcCodec::encodeAdminResult);
    }
    String leader = leaderKnown(admin);
    if (leader != null && mayForward) {
      return transport.request(leader, Services.ADMIN_ON_LEADER, payload, requestTimeout);
    }
    return CompletableFuture.failedFuture(
        new NotLeaderException(admin, leader, "not the leader", true));
  }
}

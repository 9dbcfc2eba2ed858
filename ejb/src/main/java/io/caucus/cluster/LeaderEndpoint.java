package io.caucus.cluster;

import io.caucus.cluster.admin.AdminResult;
import io.caucus.cluster.admin.ClusterStructure;
import io.caucus.cluster.transport.Transport;
import io.caucus.error.ErrorCode;
import io.caucus.eventstore.ApplyResult;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The leader's side of {@link LeaderForwarder}: answers the appends, reads and admin commands other
 * nodes forward to this node (services in {@link ForwardingServices}). A request for a group this
 * node does not lead is answered "not the leader" with the leader it knows of, so that the sender
 * retries there; only the {@code caucus.admin} service forwards once itself (for nodes that do not
 * follow {@code _admin} yet).
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
    transport.registerService(ForwardingServices.APPEND, (from, payload) -> append(payload));
    transport.registerService(ForwardingServices.ADMIN, (from, payload) -> admin(payload, true));
    transport.registerService(
        ForwardingServices.ADMIN_ON_LEADER, (from, payload) -> admin(payload, false));
    transport.registerService(ForwardingServices.READ, (from, payload) -> read(payload));
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
    String group;
    byte[] command;
    try (var in = new DataInputStream(new ByteArrayInputStream(payload))) {
      group = in.readUTF();
      command = in.readAllBytes();
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("malformed forward"));
    }
    GroupRunner r = ledHere(group);
    if (r == null) {
      return CompletableFuture.completedFuture(
          AppendReply.notLeader(
              new NotLeaderException(group, leaderKnown(group), "not the leader", true)));
    }
    return r.propose(command)
        .handle(
            (result, e) -> {
              if (e == null) {
                return AppendReply.encode((ApplyResult) result);
              }
              Throwable c = cause(e);
              if (c instanceof NotLeaderException nle) {
                return AppendReply.notLeader(nle);
              }
              throw new CompletionException(c);
            });
  }

  CompletableFuture<byte[]> read(byte[] payload) {
    LeaderRead read;
    String group;
    try {
      read = LeaderReadCodec.decodeRead(payload);
      group = groupOfContext.apply(read.context());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    } catch (ContextNotFoundException e) {
      return CompletableFuture.completedFuture(
          LeaderReadCodec.encode(
              new LeaderReadCodec.Reply.Error(ErrorCode.CONTEXT_NOT_FOUND, e.getMessage())));
    }
    GroupRunner r = ledHere(group);
    if (r == null) {
      return CompletableFuture.completedFuture(
          LeaderReadCodec.encode(
              new LeaderReadCodec.Reply.NotLeader(group, leaderKnown(group), "not the leader")));
    }
    LeaderRead forwarded = read;
    // The barrier completes on the runner thread; the store read runs elsewhere so that it never
    // holds up the group.
    return r.readBarrier()
        .handleAsync(
            (index, e) -> {
              if (e == null) {
                return LeaderReadCodec.encode(forwarder.serveFromStore(forwarded));
              }
              Throwable c = cause(e);
              if (c instanceof NotLeaderException nle) {
                return LeaderReadCodec.encode(
                    new LeaderReadCodec.Reply.NotLeader(group, nle.leaderHint(), nle.getMessage()));
              }
              throw new CompletionException(c);
            },
            storeReads);
  }

  CompletableFuture<byte[]> admin(byte[] payload, boolean mayForward) {
    String admin = ClusterStructure.ADMIN;
    GroupRunner r = ledHere(admin);
    if (r != null) {
      return r.propose(payload).thenApply(result -> ((AdminResult) result).encode());
    }
    String leader = leaderKnown(admin);
    if (leader != null && mayForward) {
      return transport.request(leader, ForwardingServices.ADMIN_ON_LEADER, payload, requestTimeout);
    }
    return CompletableFuture.failedFuture(
        new NotLeaderException(admin, leader, "not the leader", true));
  }
}

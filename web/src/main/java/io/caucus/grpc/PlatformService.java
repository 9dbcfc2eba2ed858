package io.caucus.grpc;

import io.axoniq.axonserver.grpc.InstructionAck;
import io.axoniq.axonserver.grpc.control.ClientIdentification;
import io.axoniq.axonserver.grpc.control.NodeInfo;
import io.axoniq.axonserver.grpc.control.PlatformInboundInstruction;
import io.axoniq.axonserver.grpc.control.PlatformInfo;
import io.axoniq.axonserver.grpc.control.PlatformOutboundInstruction;
import io.axoniq.axonserver.grpc.control.PlatformServiceGrpc;
import io.axoniq.axonserver.grpc.control.RequestReconnect;
import io.caucus.api.ClusterInfoFacade;
import io.caucus.api.ContextView;
import io.grpc.stub.StreamObserver;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Axon Server's {@code PlatformService}: tells a client which node to use for its context and keeps
 * the instruction stream it opens there.
 *
 * <p>{@code GetPlatformServer} answers, on every node, one of the context's serving members
 * (PRIMARY or MESSAGING_ONLY; connected ones first), chosen by the client id's hash so clients
 * spread over them and a client keeps its node while the membership stays the same; {@code
 * same_connection} when that is this node. While the structure or the context is unknown it answers
 * this node.
 *
 * <p>{@code OpenStream} acknowledges every instruction that carries an {@code instruction_id}
 * (heartbeats included: the connector reconnects when one goes unacknowledged). On a graceful stop
 * ({@link #requestReconnectAll()}) every open stream gets a {@code request_reconnect}. Not done
 * yet: request_reconnect when this node leaves the context's serving members; event processor
 * instructions (their info is accepted and ignored).
 *
 * <p>Thread safe: the open streams are a concurrent set, each stream's sends are synchronized on
 * it.
 */
final class PlatformService extends PlatformServiceGrpc.PlatformServiceImplBase {

  private static final Logger LOG = Logger.getLogger(PlatformService.class.getName());

  private static final Set<String> SERVING_ROLES = Set.of("PRIMARY", "MESSAGING_ONLY");

  private final ClusterInfoFacade cluster;
  private final Set<StreamObserver<PlatformOutboundInstruction>> streams =
      ConcurrentHashMap.newKeySet();

  PlatformService(ClusterInfoFacade cluster) {
    this.cluster = cluster;
  }

  @Override
  public void getPlatformServer(
      ClientIdentification request, StreamObserver<PlatformInfo> responses) {
    try {
      String context = AxonContext.current();
      io.caucus.api.NodeInfo me = cluster.me().orElseThrow();
      io.caucus.api.NodeInfo chosen = choose(context, request.getClientId()).orElse(me);
      responses.onNext(
          PlatformInfo.newBuilder()
              .setPrimary(
                  NodeInfo.newBuilder()
                      .setNodeName(chosen.name())
                      .setHostName(chosen.hostName())
                      .setGrpcPort(chosen.grpcPort())
                      .setHttpPort(chosen.httpPort()))
              .setSameConnection(chosen.name().equals(me.name()))
              .build());
      responses.onCompleted();
    } catch (RuntimeException e) {
      responses.onError(GrpcErrors.of(e));
    }
  }

  private Optional<io.caucus.api.NodeInfo> choose(String context, String clientId) {
    Optional<ContextView> view =
        cluster.contexts().stream().filter(c -> c.context().equals(context)).findFirst();
    if (view.isEmpty()) {
      return Optional.empty();
    }
    Set<String> serving =
        view.get().roles().stream()
            .filter(r -> SERVING_ROLES.contains(r.role()))
            .map(ContextView.NodeRole::node)
            .collect(Collectors.toSet());
    Map<String, io.caucus.api.NodeInfo> nodes =
        cluster.nodes().stream()
            .collect(Collectors.toMap(io.caucus.api.NodeInfo::name, Function.identity()));
    List<io.caucus.api.NodeInfo> candidates =
        serving.stream()
            .map(nodes::get)
            .filter(n -> n != null)
            .sorted(Comparator.comparing(io.caucus.api.NodeInfo::name))
            .toList();
    List<io.caucus.api.NodeInfo> connected =
        candidates.stream().filter(io.caucus.api.NodeInfo::connected).toList();
    List<io.caucus.api.NodeInfo> pick = connected.isEmpty() ? candidates : connected;
    if (pick.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(pick.get(Math.floorMod(clientId.hashCode(), pick.size())));
  }

  @Override
  public StreamObserver<PlatformInboundInstruction> openStream(
      StreamObserver<PlatformOutboundInstruction> responses) {
    streams.add(responses);
    String context = AxonContext.current();
    return new StreamObserver<>() {
      @Override
      public void onNext(PlatformInboundInstruction instruction) {
        if (instruction.hasRegister()) {
          ClientIdentification client = instruction.getRegister();
          LOG.info(
              () ->
                  "Axon client "
                      + client.getClientId()
                      + " ("
                      + client.getComponentName()
                      + ") registered on this node for context "
                      + context);
        }
        if (!instruction.getInstructionId().isEmpty()) {
          send(
              responses,
              PlatformOutboundInstruction.newBuilder()
                  .setAck(
                      InstructionAck.newBuilder()
                          .setInstructionId(instruction.getInstructionId())
                          .setSuccess(true))
                  .build());
        }
      }

      @Override
      public void onError(Throwable t) {
        streams.remove(responses);
      }

      @Override
      public void onCompleted() {
        streams.remove(responses);
        synchronized (responses) {
          try {
            responses.onCompleted();
          } catch (IllegalStateException alreadyClosed) {
            // cancelled meanwhile
          }
        }
      }
    };
  }

  /** Asks every connected client to reconnect elsewhere (this node is stopping). */
  void requestReconnectAll() {
    PlatformOutboundInstruction reconnect =
        PlatformOutboundInstruction.newBuilder()
            .setRequestReconnect(RequestReconnect.getDefaultInstance())
            .build();
    for (StreamObserver<PlatformOutboundInstruction> stream : streams) {
      send(stream, reconnect);
    }
  }

  private void send(
      StreamObserver<PlatformOutboundInstruction> stream, PlatformOutboundInstruction message) {
    synchronized (stream) {
      try {
        stream.onNext(message);
      } catch (RuntimeException closed) {
        streams.remove(stream);
      }
    }
  }
}

package io.caucus.grpc;

import io.caucus.api.ClusterInfoFacade;
import io.caucus.api.EventFacade;
import io.caucus.api.NodeInfo;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The node's Axon Server gRPC endpoint: started with the deployment, on the node's client host name
 * ({@code axoniq.axonserver.hostname}) and gRPC port ({@code axoniq.axonserver.port}), stopped on
 * undeploy.
 *
 * <p><b>Lifecycle.</b> {@code @Startup}: {@link #start()} asks {@link ClusterInfoFacade#me()} for
 * the node's configuration, which first creates the node's startup bean (the configuration is read
 * there); a node without a usable configuration starts no gRPC server (its start-up failure is
 * logged by the startup bean). {@link #stop()} asks connected clients to reconnect elsewhere, then
 * stops accepting calls, waits up to {@link #SHUTDOWN_SECONDS} s for running ones, and stops every
 * thread it started.
 *
 * <p><b>Threads</b> (all named {@code caucus-grpc-*}, all bounded): one acceptor, {@link
 * #IO_THREADS} network threads, {@link #CALL_THREADS} threads running the calls (appends block on
 * the facade until committed), {@link #TRACKER_THREADS} threads feeding tracking streams.
 *
 * <p><b>Limits.</b> Inbound messages larger than {@link ClusterInfoFacade#maxMessageBytes()} are
 * refused by gRPC with {@code RESOURCE_EXHAUSTED}; the facade refuses a transaction larger than
 * that with AXONIQ-2001.
 */
@Singleton
@Startup
public class GrpcServer {

  private static final Logger LOG = Logger.getLogger(GrpcServer.class.getName());

  static final int IO_THREADS = 2;
  static final int CALL_THREADS = 32;
  static final int TRACKER_THREADS = 2;
  static final int SHUTDOWN_SECONDS = 5;

  @Inject ClusterInfoFacade cluster;
  @Inject EventFacade events;

  private Server server;
  private PlatformService platform;
  private NioEventLoopGroup boss;
  private NioEventLoopGroup workers;
  private ExecutorService calls;
  private ScheduledExecutorService trackers;

  @PostConstruct
  void start() {
    Optional<NodeInfo> me = cluster.me();
    if (me.isEmpty()) {
      LOG.warning("No gRPC server: this node has no usable configuration (see the log above).");
      return;
    }
    InetSocketAddress address = new InetSocketAddress(me.get().hostName(), me.get().grpcPort());
    boss = new NioEventLoopGroup(1, new DefaultThreadFactory("caucus-grpc-accept", true));
    workers = new NioEventLoopGroup(IO_THREADS, new DefaultThreadFactory("caucus-grpc-io", true));
    calls =
        Executors.newFixedThreadPool(
            CALL_THREADS, new DefaultThreadFactory("caucus-grpc-call", true));
    trackers =
        Executors.newScheduledThreadPool(
            TRACKER_THREADS, new DefaultThreadFactory("caucus-grpc-tracker", true));
    platform = new PlatformService(cluster);
    AxonContext context = new AxonContext();
    server =
        NettyServerBuilder.forAddress(address)
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            .channelType(NioServerSocketChannel.class)
            .executor(calls)
            .maxInboundMessageSize(cluster.maxMessageBytes())
            .addService(ServerInterceptors.intercept(platform, context))
            .addService(
                ServerInterceptors.intercept(
                    new EventStoreService(events, trackers, cluster.maxMessageBytes()), context))
            .fallbackHandlerRegistry(new NotServedRegistry())
            .build();
    try {
      server.start();
    } catch (IOException e) {
      stop();
      throw new UncheckedIOException(
          "the gRPC server cannot listen on "
              + address
              + " (axoniq.axonserver.hostname, axoniq.axonserver.port): "
              + e.getMessage(),
          e);
    }
    LOG.info(() -> "Axon Server gRPC API listening on " + address);
  }

  @PreDestroy
  void stop() {
    if (platform != null) {
      platform.requestReconnectAll();
    }
    if (server != null) {
      server.shutdown();
      try {
        if (!server.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
          server.shutdownNow();
        }
      } catch (InterruptedException e) {
        server.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    if (trackers != null) {
      trackers.shutdownNow();
    }
    if (calls != null) {
      calls.shutdownNow();
    }
    if (workers != null) {
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    if (boss != null) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}

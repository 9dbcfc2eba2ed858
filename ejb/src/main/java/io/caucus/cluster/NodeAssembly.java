package io.caucus.cluster;

import io.caucus.cluster.admin.ClusterStructure;
import io.caucus.cluster.transport.JGroupsTransport;
import io.caucus.cluster.transport.NodeAddress;
import io.caucus.cluster.transport.Transport;
import io.caucus.cluster.transport.TransportConfig;
import io.caucus.consensus.Membership;
import io.caucus.consensus.RaftConfig;
import io.caucus.eventstore.infinispan.InfinispanConfigurationFile;
import io.caucus.eventstore.infinispan.InfinispanStorageFactory;
import io.caucus.log.FileRaftLog;
import io.caucus.log.LogSettings;
import java.util.concurrent.ThreadFactory;

/**
 * Builds the parts of one node from its {@link ClusterSettings}: the Infinispan storage factory of
 * the event stores, the JGroups transport, each group's file log and consensus configuration, and
 * the group runners made of them. The one place that turns settings into parts, so that the runtime
 * only composes them and a test or simulation can build the same parts (or swap one).
 *
 * <p><b>Lifecycle.</b> Stateless besides the settings and the thread factory: every method builds a
 * new part, which the caller owns and closes (storage factory, transport, log through its runner).
 *
 * <p><b>Threads.</b> Thread safe (immutable); the parts it builds document their own thread rules.
 *
 * <p><b>Failures.</b> A storage folder that cannot be opened fails with the log's or Infinispan's
 * exception; nothing is left open then.
 */
final class NodeAssembly {

  private final ClusterSettings settings;
  private final ThreadFactory threads;

  /**
   * @param settings the node's settings
   * @param threads container-managed threads for the transport and the runners
   */
  NodeAssembly(ClusterSettings settings, ThreadFactory threads) {
    this.settings = settings;
    this.threads = threads;
  }

  ClusterSettings settings() {
    return settings;
  }

  /** The storage of every context's event store, under the settings' event storage folder. */
  InfinispanStorageFactory storageFactory() {
    return new InfinispanStorageFactory(
        settings.eventStorage(),
        InfinispanConfigurationFile.readOrBuiltIn(settings.infinispanConfigFile()));
  }

  /**
   * The node's transport (not started), bound to its internal address, looking for its cluster at
   * {@code initialHosts}.
   */
  Transport transport(Iterable<NodeAddress> initialHosts) {
    TransportConfig.Builder config =
        TransportConfig.builder(settings.name())
            .bindHost(settings.me().internalHostName())
            .bindPort(settings.me().internalGrpcPort())
            .threadFactory(threads);
    if (settings.jgroupsStackFile() != null) {
      config.stackFile(settings.jgroupsStackFile());
    }
    for (NodeAddress a : initialHosts) {
      config.initialHost(a);
    }
    return new JGroupsTransport(config.build());
  }

  /** This node's own internal address, the one the others reach it at. */
  NodeAddress internalAddress() {
    return new NodeAddress(settings.me().internalHostName(), settings.me().internalGrpcPort());
  }

  /** Opens (or creates) the file log of {@code group} under the settings' log storage folder. */
  FileRaftLog openLog(String group) {
    return FileRaftLog.open(
        new LogSettings(
            settings.logStorage().resolve(group),
            settings.segmentSize(),
            settings.logCompaction(),
            settings.logRetention()));
  }

  /**
   * The consensus configuration of a group on this node. Flow control, pre-vote and check-quorum
   * keep the core's defaults ({@link RaftConfig#defaults}); only the timing and the backups come
   * from the node's settings.
   */
  RaftConfig raftConfig(Membership bootstrap) {
    return RaftConfig.defaults(settings.name())
        .withTimeouts(
            settings.heartbeatMillis(),
            settings.minElectionMillis(),
            settings.maxElectionMillis(),
            settings.tickMillis())
        .withMinActiveBackups(settings.minActiveBackups())
        .withBootstrap(bootstrap);
  }

  /**
   * A runner (not started) of {@code group} over its opened log and state machine.
   *
   * @param bootstrap the membership to create the group with when its log is empty
   */
  GroupRunner runner(
      String group,
      Membership bootstrap,
      FileRaftLog log,
      GroupStateMachine stateMachine,
      Transport transport,
      GroupListener listener) {
    return new GroupRunner(
        group,
        raftConfig(bootstrap),
        new FileReplicationLog(log),
        stateMachine,
        RunnerEnvironment.of(transport, threads),
        listener,
        // _admin's state machine lives in memory and is rebuilt from its whole log.
        group.equals(ClusterStructure.ADMIN) ? 0 : settings.compactionThreshold());
  }
}

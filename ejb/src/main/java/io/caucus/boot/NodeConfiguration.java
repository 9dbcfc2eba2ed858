package io.caucus.boot;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated configuration of one node, with Axon Server's property names (see {@link
 * ConfigurationLoader} for names and defaults). Immutable; safe to share.
 *
 * @param name the node's unique name in the cluster ({@code axoniq.axonserver.name})
 * @param hostname host name clients use ({@code axoniq.axonserver.hostname})
 * @param internalHostname host name other nodes use; the JGroups transport binds to it ({@code
 *     axoniq.axonserver.internal-hostname})
 * @param httpPort HTTP port ({@code server.port})
 * @param grpcPort gRPC port for clients ({@code axoniq.axonserver.port})
 * @param internalPort port for other nodes ({@code axoniq.axonserver.internal-port})
 * @param eventStorage where context event stores live ({@code axoniq.axonserver.event.storage})
 * @param logStorage where replication logs live ({@code
 *     axoniq.axonserver.replication.log-storage-folder})
 * @param replication the RAFT timing and quorum settings
 * @param autoclusterFirst {@code internal-hostname:internal-port} of the first node, if set
 * @param autoclusterContexts contexts autocluster creates or joins (possibly empty)
 * @param jgroupsStackFile a JGroups stack file replacing the built-in one ({@code
 *     caucus.jgroups.stack-file})
 * @param infinispanConfigFile an Infinispan configuration file replacing the built-in {@code
 *     caucus-infinispan.xml} ({@code caucus.infinispan.config-file}), already checked to be usable
 * @param maxMessageSizeBytes the largest encoded transaction or snapshot an append may propose
 *     ({@code axoniq.axonserver.max-message-size}, default 4 MB)
 */
public record NodeConfiguration(
    String name,
    String hostname,
    String internalHostname,
    int httpPort,
    int grpcPort,
    int internalPort,
    Path eventStorage,
    Path logStorage,
    Replication replication,
    Optional<HostAndPort> autoclusterFirst,
    List<String> autoclusterContexts,
    Optional<Path> jgroupsStackFile,
    Optional<Path> infinispanConfigFile,
    int maxMessageSizeBytes) {

  public NodeConfiguration {
    Objects.requireNonNull(jgroupsStackFile, "jgroupsStackFile");
    Objects.requireNonNull(infinispanConfigFile, "infinispanConfigFile");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(replication, "replication");
    Objects.requireNonNull(autoclusterFirst, "autoclusterFirst");
    autoclusterContexts = List.copyOf(autoclusterContexts);
  }

  /** The address other nodes use to reach this one. */
  public HostAndPort internalAddress() {
    return new HostAndPort(internalHostname, internalPort);
  }

  /** Whether autocluster is configured (it acts only on a clean node). */
  public boolean autoclusterConfigured() {
    return autoclusterFirst.isPresent();
  }

  /** Whether this node is the one autocluster names as first. */
  public boolean isAutoclusterFirst() {
    return autoclusterFirst.map(first -> first.sameAs(internalAddress())).orElse(false);
  }

  /**
   * RAFT timing and quorum settings ({@code axoniq.axonserver.replication.*}).
   *
   * @param minElectionTimeoutMillis lower bound of the randomized election timeout
   * @param maxElectionTimeoutMillis upper bound of the randomized election timeout
   * @param heartbeatTimeoutMillis interval between leader heartbeats
   * @param minActiveBackups active backups that must hold an entry before it commits
   * @param segmentSizeBytes size of a log segment file
   * @param logCompactionEnabled whether applied log segments are deleted after the retention time
   * @param logRetentionHours how long applied segments are kept
   * @param compactionThreshold applied entries a context's log keeps before it is compacted into a
   *     snapshot ({@code caucus.replication.compaction-threshold}; 0: never)
   */
  public record Replication(
      long minElectionTimeoutMillis,
      long maxElectionTimeoutMillis,
      long heartbeatTimeoutMillis,
      int minActiveBackups,
      long segmentSizeBytes,
      boolean logCompactionEnabled,
      long logRetentionHours,
      long compactionThreshold) {}

  /**
   * A host and port as written in {@code autocluster.first}.
   *
   * @param host host name or address
   * @param port port (the internal port)
   */
  public record HostAndPort(String host, int port) {

    /** Same port, and the same host name, or both naming this machine's loopback. */
    public boolean sameAs(HostAndPort other) {
      return port == other.port && normalise(host).equals(normalise(other.host));
    }

    private static String normalise(String host) {
      String h = host.toLowerCase(java.util.Locale.ROOT);
      return h.equals("localhost") ? "127.0.0.1" : h;
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }
}

package io.caucus.cluster;

import io.caucus.cluster.admin.NodeInfo;
import io.caucus.cluster.transport.NodeAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the cluster runtime needs to know about its node, taken from the node's configuration.
 *
 * @param me this node as it registers in the structure
 * @param eventStorage the directory of the contexts' event stores
 * @param logStorage the directory of the replication logs (one folder per group)
 * @param tickMillis length of one consensus tick
 * @param heartbeatMillis leader heartbeat interval
 * @param minElectionMillis lower bound of the election timeout
 * @param maxElectionMillis upper bound of the election timeout
 * @param minActiveBackups active backups needed for commit
 * @param segmentSize log segment size in bytes
 * @param logCompaction whether applied log segments are deleted after the retention time
 * @param logRetention how long applied segments are kept
 * @param knownNodes internal addresses to look for other nodes at (autocluster first, known nodes)
 * @param requestTimeout how long a forwarded request may take
 * @param jgroupsStackFile a JGroups stack file replacing the built-in one, or {@code null}
 * @param compactionThreshold applied entries a context's log holds before it is compacted (0:
 *     never)
 * @param infinispanConfigFile an Infinispan configuration file replacing the built-in {@code
 *     caucus-infinispan.xml}, or {@code null}
 */
public record ClusterSettings(
    NodeInfo me,
    Path eventStorage,
    Path logStorage,
    long tickMillis,
    long heartbeatMillis,
    long minElectionMillis,
    long maxElectionMillis,
    int minActiveBackups,
    long segmentSize,
    boolean logCompaction,
    Duration logRetention,
    List<NodeAddress> knownNodes,
    Duration requestTimeout,
    Path jgroupsStackFile,
    long compactionThreshold,
    Path infinispanConfigFile) {

  public ClusterSettings {
    Objects.requireNonNull(me, "me");
    knownNodes = List.copyOf(knownNodes);
  }

  /** Settings with the built-in Infinispan configuration. */
  public ClusterSettings(
      NodeInfo me,
      Path eventStorage,
      Path logStorage,
      long tickMillis,
      long heartbeatMillis,
      long minElectionMillis,
      long maxElectionMillis,
      int minActiveBackups,
      long segmentSize,
      boolean logCompaction,
      Duration logRetention,
      List<NodeAddress> knownNodes,
      Duration requestTimeout,
      Path jgroupsStackFile,
      long compactionThreshold) {
    this(
        me,
        eventStorage,
        logStorage,
        tickMillis,
        heartbeatMillis,
        minElectionMillis,
        maxElectionMillis,
        minActiveBackups,
        segmentSize,
        logCompaction,
        logRetention,
        knownNodes,
        requestTimeout,
        jgroupsStackFile,
        compactionThreshold,
        null);
  }

  public String name() {
    return me.name();
  }
}

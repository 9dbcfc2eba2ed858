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

  /**
   * A builder starting from {@code me}, the two storage folders and the defaults below; each setter
   * replaces one value. Defaults: 100 ms ticks, 150 ms heartbeats, elections after 500 to 1000 ms,
   * one active backup, 1 MiB segments, no log compaction, 1 h retention, no known nodes, 10 s
   * request timeout, built-in JGroups stack and Infinispan configuration, no compaction threshold.
   * Not thread-safe; use one builder on one thread.
   */
  public static Builder builder(NodeInfo me, Path eventStorage, Path logStorage) {
    return new Builder(me, eventStorage, logStorage);
  }

  /** Collects the settings one value at a time; see {@link ClusterSettings#builder}. */
  public static final class Builder {
    private final NodeInfo me;
    private final Path eventStorage;
    private final Path logStorage;
    private long tickMillis = 100;
    private long heartbeatMillis = 150;
    private long minElectionMillis = 500;
    private long maxElectionMillis = 1000;
    private int minActiveBackups = 1;
    private long segmentSize = 1 << 20;
    private boolean logCompaction;
    private Duration logRetention = Duration.ofHours(1);
    private List<NodeAddress> knownNodes = List.of();
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Path jgroupsStackFile;
    private long compactionThreshold;
    private Path infinispanConfigFile;

    private Builder(NodeInfo me, Path eventStorage, Path logStorage) {
      this.me = me;
      this.eventStorage = eventStorage;
      this.logStorage = logStorage;
    }

    public Builder tickMillis(long v) {
      tickMillis = v;
      return this;
    }

    public Builder heartbeatMillis(long v) {
      heartbeatMillis = v;
      return this;
    }

    /** The election timeout's bounds. */
    public Builder electionMillis(long min, long max) {
      minElectionMillis = min;
      maxElectionMillis = max;
      return this;
    }

    public Builder minActiveBackups(int v) {
      minActiveBackups = v;
      return this;
    }

    public Builder segmentSize(long v) {
      segmentSize = v;
      return this;
    }

    /** Whether applied segments are deleted, and after how long. */
    public Builder logCompaction(boolean enabled, Duration retention) {
      logCompaction = enabled;
      logRetention = retention;
      return this;
    }

    public Builder knownNodes(List<NodeAddress> v) {
      knownNodes = v;
      return this;
    }

    public Builder requestTimeout(Duration v) {
      requestTimeout = v;
      return this;
    }

    /** A JGroups stack file replacing the built-in one, or {@code null}. */
    public Builder jgroupsStackFile(Path v) {
      jgroupsStackFile = v;
      return this;
    }

    public Builder compactionThreshold(long v) {
      compactionThreshold = v;
      return this;
    }

    /** An Infinispan configuration file replacing the built-in one, or {@code null}. */
    public Builder infinispanConfigFile(Path v) {
      infinispanConfigFile = v;
      return this;
    }

    public ClusterSettings build() {
      return new ClusterSettings(
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
          infinispanConfigFile);
    }
  }

  public String name() {
    return me.name();
  }
}

package io.caucus.cluster.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Pattern;

/**
 * Everything a node's transport needs to know. Immutable; build it with {@link #builder(String)}.
 *
 * @param nodeName this node's Caucus name ({@code axoniq.axonserver.name}); other nodes address it
 *     by this name, and it becomes the JGroups logical name
 * @param clusterName JGroups cluster name; nodes only talk to nodes with the same one
 * @param bindHost internal host name to bind to ({@code internal-hostname}); loopback by default
 * @param bindPort internal TCP port ({@code internal-port}); start-up fails if it is taken
 * @param failureDetectionPortOffset FD_SOCK2 listens on {@code bindPort + offset} (probing three
 *     more ports if taken)
 * @param initialHosts known node addresses for discovery; this node's own address is always added
 * @param failureDetectionTimeout how long a silent member stays in the view (FD_ALL3); a hint only
 * @param joinTimeout how long start-up looks for an existing cluster before this node forms its own
 *     view (it merges with the others later); GMS {@code join_timeout}
 * @param mergeMaxInterval upper bound of the interval between checks for split views (MERGE3): a
 *     node that started alone joins the others within roughly this time once they are reachable
 * @param stackFile a JGroups XML stack to use instead of the built-in {@code caucus-jgroups.xml};
 *     {@code null} for the built-in one. Its {@code ${caucus.*}} placeholders are filled from this
 *     configuration (see {@link JGroupsStack})
 * @param threadFactory creates the transport's own thread (request time-outs and reply completion);
 *     in a container, pass the container's managed thread factory
 */
public record TransportConfig(
    String nodeName,
    String clusterName,
    String bindHost,
    int bindPort,
    int failureDetectionPortOffset,
    List<NodeAddress> initialHosts,
    Duration failureDetectionTimeout,
    Duration joinTimeout,
    Duration mergeMaxInterval,
    Path stackFile,
    ThreadFactory threadFactory) {

  /** Axon Server's default internal port. */
  public static final int DEFAULT_INTERNAL_PORT = 8224;

  private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

  public TransportConfig {
    Objects.requireNonNull(nodeName, "nodeName");
    if (!NODE_NAME.matcher(nodeName).matches()) {
      throw new IllegalArgumentException(
          "node name '"
              + nodeName
              + "' is not valid: use 1-255 letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
    if (clusterName == null || clusterName.isBlank()) {
      throw new IllegalArgumentException("cluster name must not be empty");
    }
    new NodeAddress(bindHost, bindPort); // validates host and port with a clear message
    if (bindPort + failureDetectionPortOffset < 1
        || bindPort + failureDetectionPortOffset + 3 > 65_535) {
      throw new IllegalArgumentException(
          "failure-detection port "
              + (bindPort + failureDetectionPortOffset)
              + " (internal port + offset) is out of range: choose another offset");
    }
    initialHosts = List.copyOf(Objects.requireNonNull(initialHosts, "initialHosts"));
    requirePositive(failureDetectionTimeout, "failureDetectionTimeout");
    requirePositive(joinTimeout, "joinTimeout");
    requirePositive(mergeMaxInterval, "mergeMaxInterval");
    Objects.requireNonNull(threadFactory, "threadFactory");
  }

  private static void requirePositive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
  }

  /** This node's own internal address. */
  public NodeAddress localAddress() {
    return new NodeAddress(bindHost, bindPort);
  }

  /** A builder with the defaults: loopback, port 8224, cluster "caucus", no other hosts. */
  public static Builder builder(String nodeName) {
    return new Builder(nodeName);
  }

  /** Builds a {@link TransportConfig}; every setter returns the builder. Not thread safe. */
  public static final class Builder {
    private final String nodeName;
    private String clusterName = "caucus";
    private String bindHost = "127.0.0.1";
    private int bindPort = DEFAULT_INTERNAL_PORT;
    private int failureDetectionPortOffset = 100;
    private final List<NodeAddress> initialHosts = new ArrayList<>();
    private Duration failureDetectionTimeout = Duration.ofSeconds(40);
    private Duration joinTimeout = Duration.ofSeconds(2);
    private Duration mergeMaxInterval = Duration.ofSeconds(10);
    private Path stackFile;
    private ThreadFactory threadFactory = Executors.defaultThreadFactory();

    private Builder(String nodeName) {
      this.nodeName = nodeName;
    }

    public Builder clusterName(String v) {
      clusterName = v;
      return this;
    }

    public Builder bindHost(String v) {
      bindHost = v;
      return this;
    }

    public Builder bindPort(int v) {
      bindPort = v;
      return this;
    }

    public Builder failureDetectionPortOffset(int v) {
      failureDetectionPortOffset = v;
      return this;
    }

    /** Adds known node addresses (duplicates and this node's own address are harmless). */
    public Builder initialHosts(List<NodeAddress> v) {
      initialHosts.addAll(v);
      return this;
    }

    public Builder initialHost(NodeAddress v) {
      initialHosts.add(v);
      return this;
    }

    public Builder failureDetectionTimeout(Duration v) {
      failureDetectionTimeout = v;
      return this;
    }

    public Builder joinTimeout(Duration v) {
      joinTimeout = v;
      return this;
    }

    public Builder mergeMaxInterval(Duration v) {
      mergeMaxInterval = v;
      return this;
    }

    public Builder stackFile(Path v) {
      stackFile = v;
      return this;
    }

    public Builder threadFactory(ThreadFactory v) {
      threadFactory = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException with a sentence naming the bad value
     */
    public TransportConfig build() {
      return new TransportConfig(
          nodeName,
          clusterName,
          bindHost,
          bindPort,
          failureDetectionPortOffset,
          initialHosts,
          failureDetectionTimeout,
          joinTimeout,
          mergeMaxInterval,
          stackFile,
          threadFactory);
    }
  }
}

package io.caucus.boot;

import io.caucus.cluster.ClusterHost;
import io.caucus.cluster.ClusterNode;
import io.caucus.cluster.ClusterRuntime;
import io.caucus.cluster.ClusterSettings;
import io.caucus.cluster.admin.NodeInfo;
import io.caucus.cluster.transport.NodeAddress;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts a node: reads the configuration, checks its directories and decides between autocluster,
 * resuming from local state and waiting to be initialised ({@link StartupDecision}).
 *
 * <p><b>Lifecycle.</b> Created once at deployment ({@code @Startup}). A configuration that cannot
 * be used fails the deployment with a message naming the property or path; when the launcher set
 * {@value #EXIT_ON_FAILURE} (bin/caucus does), the process exits too, so that a misconfigured node
 * stops instead of running without its application.
 *
 * <p><b>Thread safety.</b> Bean-managed concurrency; the state is published through volatile fields
 * and read by the health check and the REST layer from any thread.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@DependsOn("ClusterHost")
public class StartupBean {

  /** System property set by the launcher: exit the JVM when the node cannot start. */
  public static final String EXIT_ON_FAILURE = "caucus.exit-on-startup-failure";

  private static final Logger LOG = Logger.getLogger(StartupBean.class.getName());

  private volatile NodeState state = NodeState.STARTING;
  private volatile String detail = "reading the configuration";
  private volatile NodeConfiguration configuration;
  private volatile StartupDecision decision;

  @EJB ClusterHost host;

  /**
   * TEST ONLY: started with this system property set to {@code true}, the node skips the per-event
   * checks at the door (identifier lengths, sequence, type) for an append whose caller asks for it
   * (over REST the header {@value #UNCHECKED_APPENDS_HEADER}: true), so that tests can force into
   * the log an entry the apply step must reject on every member (issue 8). Never on by default; the
   * node logs a WARNING at start when it is. The size and count limits still apply.
   */
  public static final String UNCHECKED_APPENDS_PROPERTY = ClusterNode.UNCHECKED_APPENDS_PROPERTY;

  /** The REST header that asks for {@link #UNCHECKED_APPENDS_PROPERTY}'s test-only path. */
  public static final String UNCHECKED_APPENDS_HEADER = ClusterNode.UNCHECKED_APPENDS_HEADER;

  /** Whether this JVM was started with the test-only {@link #UNCHECKED_APPENDS_PROPERTY}. */
  public static boolean uncheckedAppendsEnabled() {
    return Boolean.getBoolean(UNCHECKED_APPENDS_PROPERTY);
  }

  @PostConstruct
  void start() {
    if (uncheckedAppendsEnabled()) {
      LOG.warning(
          "TEST ONLY: "
              + UNCHECKED_APPENDS_PROPERTY
              + "=true: appends carrying the header "
              + UNCHECKED_APPENDS_HEADER
              + " skip the checks at the door. Never run a real node with it.");
    }
    try {
      configuration = new ConfigurationLoader(PropertySource.fromEnvironment()).load();
    } catch (ConfigurationException e) {
      fail(e);
      throw e;
    }
    boolean clean = DataDirectories.clean(configuration);
    decision = StartupDecision.decide(configuration, clean);
    LOG.info(
        () ->
            "Caucus node "
                + configuration.name()
                + " starting: internal address "
                + configuration.internalAddress()
                + ", data "
                + configuration.eventStorage()
                + ", log "
                + configuration.logStorage()
                + ", decision "
                + decision);
    if (decision == StartupDecision.RESUME && configuration.autoclusterConfigured()) {
      LOG.info(
          "Autocluster properties ignored: this node already holds state in "
              + configuration.eventStorage()
              + " or "
              + configuration.logStorage());
    }
    if (decision == StartupDecision.WAIT_FOR_INITIALISATION) {
      waitForInitialisation();
      return;
    }
    ClusterRuntime runtime;
    try {
      runtime =
          host.start(settings(configuration), decision == StartupDecision.INITIALISE_AS_FIRST);
    } catch (RuntimeException e) {
      fail(
          new ConfigurationException(
              "the cluster runtime cannot start on internal address "
                  + configuration.internalAddress()
                  + " (properties "
                  + ConfigurationLoader.INTERNAL_HOSTNAME
                  + ", "
                  + ConfigurationLoader.INTERNAL_PORT
                  + "): "
                  + e.getMessage(),
              e));
      throw e;
    }
    switch (decision) {
      case INITIALISE_AS_FIRST -> {
        LOG.info(
            "Autocluster: this node is the first; creating _admin and contexts "
                + configuration.autoclusterContexts());
        runtime.initialise(configuration.autoclusterContexts());
        state = NodeState.RUNNING;
        detail = "initialising the cluster";
      }
      case JOIN_FIRST -> {
        NodeConfiguration.HostAndPort first = configuration.autoclusterFirst().orElseThrow();
        LOG.info(
            "Autocluster: registering with the first node "
                + first
                + " and joining contexts "
                + configuration.autoclusterContexts());
        runtime.joinAutocluster(
            new NodeAddress(first.host(), first.port()), configuration.autoclusterContexts());
        state = NodeState.JOINING;
        detail = "registering with the first node " + first;
      }
      default -> {
        state = NodeState.RUNNING;
        detail = "resuming from the state on disk";
      }
    }
  }

  /** The runtime's settings from the node's configuration (package-private for tests). */
  static ClusterSettings settings(NodeConfiguration c) {
    List<NodeAddress> known = new ArrayList<>();
    c.autoclusterFirst().ifPresent(f -> known.add(new NodeAddress(f.host(), f.port())));
    NodeConfiguration.Replication r = c.replication();
    return ClusterSettings.builder(nodeInfo(c), c.eventStorage(), c.logStorage())
        .heartbeatMillis(r.heartbeatTimeoutMillis())
        .electionMillis(r.minElectionTimeoutMillis(), r.maxElectionTimeoutMillis())
        .minActiveBackups(r.minActiveBackups())
        .segmentSize(r.segmentSizeBytes())
        .logCompaction(r.logCompactionEnabled(), Duration.ofHours(r.logRetentionHours()))
        .knownNodes(known)
        .jgroupsStackFile(c.jgroupsStackFile().orElse(null))
        .compactionThreshold(r.compactionThreshold())
        .infinispanConfigFile(c.infinispanConfigFile().orElse(null))
        .build();
  }

  /** This node as the cluster structure describes nodes, from its configuration. */
  static NodeInfo nodeInfo(NodeConfiguration c) {
    return new NodeInfo(
        c.name(), c.hostname(), c.internalHostname(), c.grpcPort(), c.internalPort(), c.httpPort());
  }

  private void waitForInitialisation() {
    state = NodeState.WAITING_FOR_INITIALISATION;
    detail =
        "Node "
            + configuration.name()
            + " is waiting to be initialised: call init-cluster on it, or register-node with a"
            + " node of an existing cluster";
    LOG.info(detail);
  }

  private void fail(ConfigurationException e) {
    state = NodeState.FAILED;
    detail = e.getMessage();
    LOG.log(Level.SEVERE, "Caucus cannot start: " + e.getMessage());
    if (Boolean.getBoolean(EXIT_ON_FAILURE)) {
      Thread exit =
          new Thread(
              () -> {
                System.err.println("Caucus cannot start: " + e.getMessage());
                System.exit(2);
              },
              "caucus-exit-on-startup-failure");
      exit.start();
    }
  }

  /** Where the node is in its start-up. */
  public NodeState state() {
    return state;
  }

  /** A sentence saying what the node is doing or waiting for. */
  public String detail() {
    return detail;
  }

  /** The configuration, once read. */
  public Optional<NodeConfiguration> configuration() {
    return Optional.ofNullable(configuration);
  }

  /** The cluster runtime, once started. */
  public Optional<ClusterRuntime> runtime() {
    return host.runtime();
  }

  /** What the node decided at start-up, once decided. */
  public Optional<StartupDecision> decision() {
    return Optional.ofNullable(decision);
  }
}

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
    NodeAddress first =
        configuration.autoclusterFirst().map(f -> new NodeAddress(f.host(), f.port())).orElse(null);
    startRuntime(decision, first, configuration.autoclusterContexts(), "Autocluster: ");
  }

  /**
   * {@code init-cluster} asked over the admin API: starts as autocluster's first node would, with
   * {@code contexts}.
   *
   * @throws IllegalStateException when this node does not wait to be initialised
   */
  public synchronized void initialiseOnRequest(List<String> contexts) {
    requireWaiting("initialise the cluster");
    decision = StartupDecision.INITIALISE_AS_FIRST;
    startRuntime(decision, null, contexts, "init-cluster (admin API): ");
  }

  /**
   * {@code register-node} asked over the admin API: starts as autocluster's joining node would,
   * registering through the node at {@code first}.
   *
   * @throws IllegalStateException when this node does not wait to be initialised
   */
  public synchronized void joinOnRequest(NodeAddress first, List<String> contexts) {
    requireWaiting("join a cluster");
    decision = StartupDecision.JOIN_FIRST;
    startRuntime(decision, first, contexts, "register-node (admin API): ");
  }

  private void requireWaiting(String what) {
    if (state != NodeState.WAITING_FOR_INITIALISATION) {
      throw new IllegalStateException(
          "node "
              + configuration().map(NodeConfiguration::name).orElse("(unconfigured)")
              + " cannot "
              + what
              + ": it is "
              + state
              + " ("
              + detail
              + "), not waiting to be initialised");
    }
  }

  /** Starts the runtime and its start-up commands; {@code by} prefixes the log lines. */
  private void startRuntime(
      StartupDecision how, NodeAddress first, List<String> contexts, String by) {
    ClusterRuntime runtime;
    try {
      runtime =
          host.start(settings(configuration, first), how == StartupDecision.INITIALISE_AS_FIRST);
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
    switch (how) {
      case INITIALISE_AS_FIRST -> {
        LOG.info(by + "this node is the first; creating _admin and contexts " + contexts);
        runtime.initialise(contexts);
        state = NodeState.RUNNING;
        detail = "initialising the cluster";
      }
      case JOIN_FIRST -> {
        LOG.info(
            by + "registering with the first node " + first + " and joining contexts " + contexts);
        runtime.joinAutocluster(first, contexts);
        state = NodeState.JOINING;
        detail = "registering with the node at " + first;
      }
      default -> {
        state = NodeState.RUNNING;
        detail = "resuming from the state on disk";
      }
    }
  }

  /** The runtime's settings from the node's configuration (package-private for tests). */
  static ClusterSettings settings(NodeConfiguration c) {
    return settings(
        c, c.autoclusterFirst().map(f -> new NodeAddress(f.host(), f.port())).orElse(null));
  }

  /** As {@link #settings(NodeConfiguration)}, knowing the node at {@code first} (may be null). */
  static ClusterSettings settings(NodeConfiguration c, NodeAddress first) {
    List<NodeAddress> known = new ArrayList<>();
    if (first != null) {
      known.add(first);
    }
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

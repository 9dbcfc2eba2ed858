package io.caucus.boot;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
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
public class StartupBean {

  /** System property set by the launcher: exit the JVM when the node cannot start. */
  public static final String EXIT_ON_FAILURE = "caucus.exit-on-startup-failure";

  private static final Logger LOG = Logger.getLogger(StartupBean.class.getName());

  private volatile NodeState state = NodeState.STARTING;
  private volatile String detail = "reading the configuration";
  private volatile NodeConfiguration configuration;
  private volatile StartupDecision decision;

  @PostConstruct
  void start() {
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
    waitForInitialisation();
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

  /** What the node decided at start-up, once decided. */
  public Optional<StartupDecision> decision() {
    return Optional.ofNullable(decision);
  }
}

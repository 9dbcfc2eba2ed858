package io.caucus.boot;

/**
 * What a node does at start-up, decided from its configuration and whether its directories hold
 * state (Axon Server's rule: autocluster acts only on a clean start).
 */
public enum StartupDecision {
  /** Clean, autocluster configured, this node is the first: create {@code _admin} and contexts. */
  INITIALISE_AS_FIRST,
  /** Clean, autocluster configured, another node is first: register with it and join. */
  JOIN_FIRST,
  /** The directories hold state: start the groups found on disk; autocluster is ignored. */
  RESUME,
  /** Clean and no autocluster: wait for {@code init-cluster} or {@code register-node}. */
  WAIT_FOR_INITIALISATION;

  /** The decision for a node with this configuration and directory state. */
  public static StartupDecision decide(NodeConfiguration config, boolean clean) {
    if (!clean) {
      return RESUME;
    }
    if (!config.autoclusterConfigured()) {
      return WAIT_FOR_INITIALISATION;
    }
    return config.isAutoclusterFirst() ? INITIALISE_AS_FIRST : JOIN_FIRST;
  }
}

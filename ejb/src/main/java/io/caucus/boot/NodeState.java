package io.caucus.boot;

/** Where a node is in its start-up; reported on {@code /health/ready} and in the log. */
public enum NodeState {
  /** The configuration is being read. */
  STARTING,
  /** The configuration cannot be used; the node does not run. */
  FAILED,
  /** A clean node without autocluster: waits for {@code init-cluster} or {@code register-node}. */
  WAITING_FOR_INITIALISATION,
  /** Autocluster is registering this node with the first node (retrying until it answers). */
  JOINING,
  /** The node knows the cluster structure and runs its replication groups. */
  RUNNING
}

package io.caucus.cluster.transport;

/**
 * Told when the set of reachable nodes changes. A failure hint only: never base a safety decision
 * on it. Called on a JGroups thread, in view order; must return quickly and must not call back into
 * the transport's {@code start} or {@code close}.
 */
@FunctionalInterface
public interface ViewListener {

  void onViewChange(ClusterView view);
}

/**
 * The cluster runtime: one group runner per replication group this node is a member of (a thread
 * that owns the group's consensus node and carries out its Ready loop with the group's log and
 * state machine), the host EJB that starts and stops runners as the {@code _admin} structure says,
 * and the forwarding of appends, admin changes and reads forced to the leader to a group's leader.
 *
 * <p>Classes with one job each: {@code ClusterRuntime} (composition and lifecycle of one node),
 * {@code NodeAssembly} (builds the node's parts from its settings: storage, transport, logs, {@code
 * RaftConfig}, runners), {@code Reconciler} (starts and stops runners as the structure says,
 * proposes membership changes; on its own thread), {@code LeftGroupDataPolicy} (deletes or keeps a
 * left group's data), {@code Autocluster} (a clean node's start-up commands), {@code Readiness}
 * (why the node is not ready), {@code ClusterNode} (the surface {@code io.caucus.api} uses), {@code
 * LeaderForwarder} and {@code LeaderEndpoint} (one way to reach a group's leader), {@code
 * ClusterSettings} (what the runtime needs from the node's configuration, built with {@code
 * ClusterSettings.builder}), {@code KnownNodesFile} (the addresses a restarted node looks for its
 * cluster at), {@code GroupRunner} (one group's Ready loop).
 *
 * <p>Threads: ticks run on a thread of their own that only enqueues, reconciliation on another, so
 * a slow group stop or forwarded read never delays another group's ticks.
 *
 * <p>Subpackages: {@code transport} (the JGroups channel) and {@code admin} (the {@code _admin}
 * state machine). What does not belong here: the consensus rules themselves ({@code
 * io.caucus.consensus}), log files ({@code io.caucus.log}), event storage ({@code
 * io.caucus.eventstore}) and anything HTTP.
 */
package io.caucus.cluster;

/**
 * The cluster runtime: one group runner per replication group this node is a member of (a thread
 * that owns the group's consensus node and carries out its Ready loop with the group's log and
 * state machine), the host EJB that starts and stops runners as the {@code _admin} structure says,
 * and the forwarding of appends, admin changes and reads forced to the leader to a group's leader.
 *
 * <p>Classes with one job each: {@code ClusterNode} (the one surface the outer layers use: append,
 * leader reads, admin commands, the structure, readiness; {@code
 * io.caucus.boot.DeployedClusterNode} implements it), {@code LeaderForwarder} (the one path to a
 * group's leader, with one deadline and back-off policy, for {@code rpc.LeaderRequest}s), {@code
 * LeaderEndpoint} (the leader's side of the forwarded requests), {@code ClusterRuntime}
 * (composition and lifecycle of one node), {@code NodeAssembly} (builds the node's parts from its
 * settings: storage, transport, logs, {@code RaftConfig}, runners), {@code Reconciler} (starts and
 * stops runners as the structure says, proposes membership changes; on its own thread), {@code
 * LeftGroupDataPolicy} (deletes or keeps a left group's data), {@code Autocluster} (a clean node's
 * start-up commands), {@code Readiness} (why the node is not ready), {@code ClusterSettings} (what
 * the runtime needs from the node's configuration, built with {@code ClusterSettings.builder}),
 * {@code KnownNodesFile} (the addresses a restarted node looks for its cluster at), {@code
 * GroupRunner} (one group's Ready loop) with its parts {@code RunnerInput} (the sealed inputs of
 * its inbox), {@code WaitingCallers} (proposals and read barriers waiting for their answer), {@code
 * SnapshotSender} and {@code SnapshotStaging} (the leader's and the follower's side of a snapshot
 * transfer in {@code rpc.SnapshotChunk}s), {@code LogCompaction} (when the log drops applied
 * entries) and {@code RunnerEnvironment} (transport, threads, clock and randomness, given, not
 * taken).
 *
 * <p>Threads: ticks run on a thread of their own that only enqueues, reconciliation on another, so
 * a slow group stop or forwarded read never delays another group's ticks.
 *
 * <p>Subpackages: {@code transport} (the JGroups channel), {@code admin} (the {@code _admin} state
 * machine) and {@code rpc} (every node-to-node service name, request/reply type and wire format).
 * What does not belong here: the consensus rules themselves ({@code io.caucus.consensus}), log
 * files ({@code io.caucus.log}), event storage ({@code io.caucus.eventstore}) and anything HTTP.
 */
package io.caucus.cluster;

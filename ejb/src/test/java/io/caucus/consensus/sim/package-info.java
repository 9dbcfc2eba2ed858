/**
 * The whole-cluster simulator that proves the consensus core: simulated clock, network, disks and
 * state machines driving real {@link io.caucus.consensus.RaftNode}s through seeded fault schedules,
 * with the safety properties checked at every Ready and liveness checked after every healing.
 * Reusable by other modules through the ejb test-jar.
 */
package io.caucus.consensus.sim;

/**
 * The node-to-node transport: one JGroups channel per node that carries the messages of every
 * replication group, tagged with the group name, plus a request/reply facility used to forward work
 * to another node (DESIGN.md §2).
 *
 * <p>What belongs here: the {@link io.caucus.cluster.transport.Transport} port, its JGroups
 * implementation, the wire envelope and the stack configuration. What does not: consensus logic
 * (the transport never looks inside a payload), Jakarta EE types (the runtime wraps the transport
 * in its beans), and anything that makes safety depend on a JGroups view: views are failure hints.
 */
package io.caucus.cluster.transport;

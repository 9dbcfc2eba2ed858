/**
 * The node-to-node transport: one JGroups channel per node that carries the messages of every
 * replication group, tagged with the group name, plus a request/reply facility used to forward work
 * to another node (DESIGN.md §2).
 *
 * <p>What belongs here: the {@link io.caucus.cluster.transport.Transport} port, its JGroups
 * implementation ({@code JGroupsTransport}, with {@code PendingRequests} for the open requests and
 * {@code NodeIdentity} for how an address names a node), the wire envelope and the stack
 * configuration. What does not: consensus logic (the transport never looks inside a payload),
 * Jakarta EE types (the runtime wraps the transport in its beans), and anything that makes safety
 * depend on a JGroups view: views are failure hints.
 *
 * <p>How the cluster runtime uses it: build a {@link io.caucus.cluster.transport.TransportConfig}
 * from {@code axoniq.axonserver.name}, {@code internal-hostname}, {@code internal-port} and the
 * known node addresses (the registered nodes' internal addresses, {@code autocluster.first});
 * create a {@link io.caucus.cluster.transport.JGroupsTransport}; register one {@link
 * io.caucus.cluster.transport.GroupMessageHandler} per replication group it serves (enqueue into
 * the group runner's inbox) and one {@link io.caucus.cluster.transport.RequestHandler} per service
 * (forwarded appends, admin commands, node registration); {@code start()}; {@code send} RAFT
 * messages by member name; {@code request} the leader by name, or find a node known only by address
 * with {@code nodeAt}; {@code close()} on shutdown.
 */
package io.caucus.cluster.transport;

/**
 * The node-to-node protocol of the cluster layer in one place: the names of every request/reply
 * service ({@link io.caucus.cluster.rpc.Services}), the typed requests a group's leader serves
 * ({@link io.caucus.cluster.rpc.LeaderRequest}, {@link io.caucus.cluster.rpc.LeaderRead}) with
 * their replies, and their wire formats ({@link io.caucus.cluster.rpc.RpcCodec}: a version byte
 * first, then a kind byte, written with the event store's shared byte writer and reader), and the
 * chunks of a snapshot transfer ({@link io.caucus.cluster.rpc.SnapshotChunk}: magic, version and a
 * CRC of their own, as they carry state-machine data).
 *
 * <p>Values and stateless codecs only: no threads, no I/O. What does not belong here: who sends a
 * request where and how it is retried ({@code io.caucus.cluster.LeaderForwarder}), the handlers
 * that serve them ({@code io.caucus.cluster.LeaderEndpoint}), and the RAFT messages of a group
 * ({@code io.caucus.consensus.MessageCodec}).
 */
package io.caucus.cluster.rpc;

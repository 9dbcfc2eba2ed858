/**
 * The durable RAFT log of one replication group: segmented append-only record files, the hard state
 * file, the snapshot metadata file, their recovery after a crash, and the retention policy that
 * deletes old segments.
 *
 * <p>What belongs here: plain Java file storage (no container types, no threads of its own), the
 * on-disk formats and their recovery rules, and {@link io.caucus.log.FileRaftLog}, which implements
 * the consensus core's {@link io.caucus.consensus.Storage} port and the writer operations the group
 * runner calls while persisting a {@code Ready}. What does not: deciding what to write (the
 * consensus core does), scheduling (the cluster runtime does), reading property files (the cluster
 * runtime builds a {@link io.caucus.log.LogSettings}).
 *
 * <p>Every group has its own directory and its own {@link io.caucus.log.FileRaftLog}; nothing here
 * is static or shared between groups, so groups never wait on each other's locks or fsyncs.
 */
package io.caucus.log;

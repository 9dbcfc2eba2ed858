package io.caucus.cluster;

import io.caucus.consensus.Entry;
import io.caucus.consensus.HardState;
import io.caucus.consensus.SnapshotMetadata;
import io.caucus.consensus.Storage;
import java.util.List;

/**
 * The durable log of one replication group as its runner writes it: the consensus core reads it
 * through {@link Storage}, the runner persists each {@code Ready} through the methods here.
 *
 * <p><b>Threads.</b> Written only by the group's runner thread. <b>Durability.</b> Writes may sit
 * in buffers until {@link #sync()}; the runner calls it before sending any message that promises
 * them. <b>Failures.</b> An I/O failure throws an unchecked exception and stops the group.
 */
public interface ReplicationLog extends Storage, AutoCloseable {

  /** Deletes every entry at or above {@code index}. */
  void truncateFrom(long index);

  /** Appends entries that follow the last one. */
  void append(List<Entry> entries);

  /** Records the hard state. */
  void saveHardState(HardState state);

  /** Makes everything written so far durable (one fsync per batch). */
  void sync();

  /**
   * After a state-machine snapshot was installed: drops the whole log and starts it after the
   * snapshot's index, remembering the snapshot's metadata. Durable when it returns.
   */
  void resetTo(SnapshotMetadata snapshot);

  /**
   * Drops the entries up to {@code snapshot.index()} (the state machine holds them durably).
   * Durable when it returns.
   */
  void compactTo(SnapshotMetadata snapshot);

  /**
   * Deletes the files of compacted entries that the retention policy no longer keeps (Axon's {@code
   * replication.log-compaction-enabled} and {@code replication.log-retention-hours}), never an
   * entry above {@code appliedDurableIndex}. Returns how many files were deleted.
   */
  int deleteRetired(long appliedDurableIndex);

  @Override
  void close();
}

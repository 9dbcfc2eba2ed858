package io.caucus.cluster;

import java.util.Iterator;

/**
 * The state machine a replication group's committed NORMAL entries are applied to: a context's
 * event store, or the {@code _admin} cluster structure.
 *
 * <p><b>Threads.</b> {@link #apply} and the install methods run on the group's runner thread only,
 * in log order; {@link #lastAppliedIndex()} and {@link #snapshotChunks} may be called from any
 * thread. <b>Durability.</b> {@link #lastAppliedIndex()} tells where a restarted runner resumes;
 * applying an entry at or below it changes nothing. <b>Failures.</b> Bad business input is a result
 * value, never an exception; an exception means the store failed and stops the group.
 */
public interface GroupStateMachine extends AutoCloseable {

  /** Applies the committed NORMAL entry at {@code index}; returns the caller's result. */
  Object apply(long index, byte[] data);

  /** The highest index whose effects are held (durably, for a persistent store). */
  long lastAppliedIndex();

  /**
   * Forces the state to the device and returns the highest applied index that a power loss can no
   * longer take away: the runner never compacts the log past it. A state machine whose state lives
   * only in memory (rebuilt from the log at start) returns 0, so its log is never compacted. Runner
   * thread only; may cost an fsync per file, so it is called per compaction, not per entry.
   */
  long syncToDevice();

  /**
   * The whole state as bounded chunks, for a member that fell behind the compacted log. The state
   * is at least as new as {@link #lastAppliedIndex()} at the time of the call.
   */
  Iterator<byte[]> snapshotChunks(int maxChunkBytes);

  /** Starts replacing the whole state (the previous state is dropped). */
  void beginInstall();

  /** Adds one chunk, in the order {@link #snapshotChunks} produced them. */
  void installChunk(byte[] chunk);

  /** Completes the install; the state is now as of the snapshot's own applied index. */
  void finishInstall();

  @Override
  void close();
}

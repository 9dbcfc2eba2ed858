package io.caucus.eventstore;

/**
 * The contract between a context's replication group runner and the context's event store: the
 * state machine that every storing member applies committed log entries to.
 *
 * <p><b>Lifecycle.</b> The store is opened over its storage (see {@link EventStores}); at once
 * {@link #lastAppliedIndex()} tells the runner where it stands, and the runner replays committed
 * NORMAL entries from {@code lastAppliedIndex() + 1}. If the log no longer holds that entry
 * (compacted), the runner installs a state-machine snapshot instead ({@link #beginInstall()}).
 * {@link #close()} releases the storage; nothing may be called afterwards.
 *
 * <p><b>Threading.</b> {@link #apply}, {@link #beginInstall} and everything done with the installer
 * are called from one thread, the group runner's, in log order. Everything else ({@link
 * #lastAppliedIndex()}, {@link #openStateSnapshot}, the reads of {@link EventStoreReader}) may be
 * called from any thread at any time; reads see every entry whose {@code apply} has returned.
 *
 * <p><b>Determinism.</b> Applying the same sequence of entries to empty stores gives the same
 * results and the same readable state on every node: tokens are assigned 0, 1, 2, … in log order,
 * and every check depends only on the state the earlier entries produced.
 *
 * <p><b>Durability and idempotence.</b> When {@code apply} returns, the entry's effects and the
 * applied index are durable against a process crash (against power loss only with synchronous
 * storage writes; the fsynced RAFT log covers that case by replay). After a crash at any point,
 * {@link #lastAppliedIndex()} is at most the last entry whose {@code apply} returned, and applying
 * the log again from {@code lastAppliedIndex() + 1} yields exactly the state (and results) of an
 * uninterrupted run: applying an entry the store already holds changes nothing (DESIGN.md §7).
 * Entries at or below {@link #lastAppliedIndex()} are ignored ({@link ApplyResult.AlreadyApplied}).
 * Log compaction: without synchronous storage writes, an applied entry survives a process crash but
 * not a power loss, so the runner must not drop log entries on the strength of {@link
 * #lastAppliedIndex()} alone unless the storage syncs its writes (a flush-to-device call for this
 * purpose does not exist yet).
 *
 * <p><b>Failure handling.</b> Bad business input (a malformed command, a sequence conflict, a
 * snapshot ahead of its events) never throws and never changes state: the result is {@link
 * ApplyResult.Rejected} with an error code, identical on every node. A storage failure throws
 * {@link StorageFailureException}; the store is then failed (every further {@code apply} throws)
 * and the runner must close and reopen it, which replays from the durable applied index.
 */
public interface ContextStateMachine extends AutoCloseable {

  /**
   * Applies the committed NORMAL entry at {@code logIndex}, whose data is a command built by {@link
   * CommandCodec}. Indexes must increase from call to call (gaps are normal: other entry types are
   * not passed in).
   *
   * @return the result; never null
   * @throws StorageFailureException if the storage failed (not for bad input)
   */
  ApplyResult apply(long logIndex, byte[] command);

  /**
   * The highest log index whose effects (or refusal) are durably recorded; 0 for a new store. The
   * runner replays from the entry after it.
   */
  long lastAppliedIndex();

  /**
   * Opens a stream of bounded chunks holding the whole state as of {@link #lastAppliedIndex()} at
   * the time of the call, for a member that joins or fell behind the compacted log. Appends go on
   * while it is read; retention deletes nothing while a stream is open, so close it.
   *
   * @param maxChunkBytes upper bound on a chunk's size (a single record larger than it goes alone
   *     into a chunk of its own)
   */
  StateSnapshotReader openStateSnapshot(int maxChunkBytes);

  /**
   * Starts replacing this store's whole state by a state-machine snapshot: the store is emptied
   * first and marked incomplete until {@link StateSnapshotInstaller#finish()} returns. A crash in
   * between leaves an empty store with {@link #lastAppliedIndex()} 0 after reopening, and the
   * runner must request a snapshot again. Reads during the install fail with {@code
   * DATA_NOT_AVAILABLE}.
   */
  StateSnapshotInstaller beginInstall();

  /** Releases the storage. Idempotent. */
  @Override
  void close();
}

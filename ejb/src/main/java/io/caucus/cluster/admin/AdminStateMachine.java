package io.caucus.cluster.admin;

import io.caucus.error.ErrorCode;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The state machine of the {@code _admin} replication group: applies committed admin commands to
 * the {@link ClusterStructure}, answers queries about it, and snapshots and restores it.
 *
 * <p><b>Determinism.</b> The same commands at the same indexes give the same structure and results
 * on every node: no clock, no randomness, no iteration over unsorted collections.
 *
 * <p><b>Idempotence.</b> An index at or below {@link #lastApplied()} is skipped (a replay after a
 * restart changes nothing). Gaps are allowed: the runtime passes only {@code NORMAL} entries;
 * {@code NOOP} and {@code MEMBERSHIP} entries of {@code _admin}'s log never reach this class.
 *
 * <p><b>Bad input</b> never throws and never changes the structure: malformed bytes and commands
 * that break a rule give an error {@link AdminResult}. The index is consumed either way, so that
 * every node agrees on {@link #lastApplied()}.
 *
 * <p><b>Threads.</b> {@code apply} and {@code restore} are called by one thread, the {@code _admin}
 * group's runner (they are synchronized, so a second caller is safe but waits). Queries ({@link
 * #structure()}, {@link #lastApplied()}, {@link #snapshot()}) are safe from any thread and never
 * block on {@code apply}: the structure is immutable and published by a volatile write. Listeners
 * run on the applying thread after the new structure is published.
 *
 * <p><b>Durability.</b> None here: the {@code _admin} RAFT log is the record, and {@link
 * #snapshot()} is what the runtime stores when it compacts that log. After a restart the runtime
 * calls {@link #restore} with the latest snapshot (if any), then re-applies the log after it.
 */
public final class AdminStateMachine {

  private static final Logger LOG = System.getLogger(AdminStateMachine.class.getName());

  private final CopyOnWriteArrayList<StructureListener> listeners = new CopyOnWriteArrayList<>();

  private volatile State state = new State(0, ClusterStructure.EMPTY);

  /** Index and structure, published together. */
  private record State(long lastApplied, ClusterStructure structure) {}

  /**
   * Applies the {@code _admin} log entry at {@code index}.
   *
   * @param command the entry's data, as written by {@link AdminCommandCodec#encode}
   * @return what happened; never {@code null}
   */
  public AdminResult apply(long index, byte[] command) {
    StructureDiff diff;
    AdminResult result;
    synchronized (this) {
      State s = state;
      if (index <= s.lastApplied()) {
        return AdminResult.unchanged(
            "entry " + index + " was already applied (last applied " + s.lastApplied() + ")");
      }
      AdminCommand decoded;
      try {
        decoded = AdminCommandCodec.decode(command);
      } catch (MalformedAdminCommandException e) {
        state = new State(index, s.structure());
        LOG.log(Level.WARNING, "_admin entry {0} ignored: {1}", index, e.getMessage());
        return AdminResult.failed(
            ErrorCode.MALFORMED_ADMIN_COMMAND,
            e.getMessage() + "; encode commands with AdminCommandCodec of the same version");
      }
      AdminCommandExecutor.Outcome outcome;
      try {
        outcome = AdminCommandExecutor.execute(s.structure(), decoded);
      } catch (RuntimeException bug) {
        // Deterministic code fails the same way on every node, so refusing keeps them in step;
        // crashing the _admin runner would stop the whole cluster's administration.
        LOG.log(Level.ERROR, "_admin entry " + index + " (" + decoded + ") failed; ignored", bug);
        state = new State(index, s.structure());
        return AdminResult.failed(
            ErrorCode.INTERNAL_ERROR,
            "applying "
                + decoded.getClass().getSimpleName()
                + " failed unexpectedly ("
                + bug
                + "); nothing changed: report this with the node's log");
      }
      result = outcome.result();
      state = new State(index, outcome.next());
      diff =
          result.changed()
              ? new StructureDiff(index, s.structure(), outcome.next(), asksToDeleteData(decoded))
              : null;
    }
    LOG.log(result.isOk() ? Level.DEBUG : Level.INFO, "_admin entry {0}: {1}", index, result);
    if (diff != null) {
      notifyListeners(diff);
    }
    return result;
  }

  private static boolean asksToDeleteData(AdminCommand command) {
    if (command instanceof AdminCommand.RemoveNodeFromGroup r) {
      return r.deleteData();
    }
    return command instanceof AdminCommand.DeleteContext d && d.deleteData();
  }

  /** The index of the last entry applied (0 before any). */
  public long lastApplied() {
    return state.lastApplied();
  }

  /** The current structure; an immutable value. */
  public ClusterStructure structure() {
    return state.structure();
  }

  /** The whole state as bytes (see {@link AdminSnapshotCodec}), taken atomically. */
  public byte[] snapshot() {
    State s = state;
    return AdminSnapshotCodec.encode(s.lastApplied(), s.structure());
  }

  /**
   * Replaces the state with a snapshot's, and tells the listeners what changed.
   *
   * @throws IllegalArgumentException if the snapshot is corrupt or inconsistent; the state is then
   *     unchanged
   */
  public void restore(byte[] snapshot) {
    AdminSnapshotCodec.Snapshot decoded = AdminSnapshotCodec.decode(snapshot);
    StructureDiff diff;
    synchronized (this) {
      ClusterStructure before = state.structure();
      state = new State(decoded.lastApplied(), decoded.structure());
      diff = new StructureDiff(decoded.lastApplied(), before, decoded.structure());
    }
    LOG.log(Level.INFO, "_admin state restored at index {0}", decoded.lastApplied());
    if (!diff.isEmpty()) {
      notifyListeners(diff);
    }
  }

  public void addListener(StructureListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(StructureListener listener) {
    listeners.remove(listener);
  }

  private void notifyListeners(StructureDiff diff) {
    for (StructureListener l : listeners) {
      try {
        l.structureChanged(diff);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a structure listener failed at index " + diff.index(), e);
      }
    }
  }
}

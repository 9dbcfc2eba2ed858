package io.caucus.consensus.sim;

import io.caucus.consensus.Entry;
import io.caucus.consensus.HardState;
import io.caucus.consensus.MemoryStorage;
import io.caucus.consensus.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A simulated disk: what was written ({@link #visible()}, what the node reads) and what was fsynced
 * ({@link #durable}). Every write is recorded as a pending operation until {@link #sync()}; a crash
 * keeps the durable state plus a random prefix of the pending operations (a torn write), and loses
 * the rest. The state-machine snapshot (index and hash of the applied entries) lives beside the
 * log, written together with it.
 */
final class SimDisk {

  private MemoryStorage visible = new MemoryStorage();
  private final MemoryStorage durable = new MemoryStorage();
  private final List<Consumer<MemoryStorage>> pending = new ArrayList<>();
  private StateMachine visibleSnapshotData = StateMachine.EMPTY;
  private StateMachine durableSnapshotData = StateMachine.EMPTY;
  private StateMachine pendingSnapshotData;

  MemoryStorage visible() {
    return visible;
  }

  MemoryStorage durable() {
    return durable;
  }

  StateMachine snapshotData() {
    return visibleSnapshotData;
  }

  int pendingWrites() {
    return pending.size();
  }

  void installSnapshot(SnapshotMetadata meta, StateMachine data) {
    visible.installSnapshot(meta);
    visibleSnapshotData = data;
    pendingSnapshotData = data;
    pending.add(s -> s.installSnapshot(meta));
  }

  void truncateFrom(long index) {
    visible.truncateFrom(index);
    pending.add(s -> s.truncateFrom(index));
  }

  void append(List<Entry> entries) {
    visible.append(entries);
    for (Entry e : entries) {
      pending.add(s -> s.append(List.of(e)));
    }
  }

  void setHardState(HardState hs) {
    visible.setHardState(hs);
    pending.add(s -> s.setHardState(hs));
  }

  void sync() {
    for (Consumer<MemoryStorage> op : pending) {
      op.accept(durable);
    }
    pending.clear();
    if (pendingSnapshotData != null) {
      durableSnapshotData = pendingSnapshotData;
      pendingSnapshotData = null;
    }
  }

  /** Compaction, after the state-machine snapshot is durable: straight to disk, fsynced. */
  void compact(SnapshotMetadata meta, StateMachine data) {
    sync();
    durable.compact(meta);
    visible.compact(meta);
    durableSnapshotData = data;
    visibleSnapshotData = data;
  }

  /** Power loss: a random prefix of the unsynced writes reached the platter; returns how many. */
  int crash(Random random) {
    int survived = pending.isEmpty() ? 0 : random.nextInt(pending.size() + 1);
    boolean snapshotSurvived = false;
    for (int i = 0; i < survived; i++) {
      pending.get(i).accept(durable);
    }
    if (pendingSnapshotData != null && durable.snapshot().index() == pendingSnapshotData.index()) {
      snapshotSurvived = true;
    }
    if (snapshotSurvived) {
      durableSnapshotData = pendingSnapshotData;
    }
    int lost = pending.size() - survived;
    pending.clear();
    pendingSnapshotData = null;
    visible = durable.copy();
    visibleSnapshotData = durableSnapshotData;
    return lost;
  }
}

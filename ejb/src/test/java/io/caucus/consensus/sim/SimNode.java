package io.caucus.consensus.sim;

import io.caucus.consensus.RaftConfig;
import io.caucus.consensus.RaftNode;
import java.util.Random;

/** One simulated member: its disk survives crashes; its core and state machine do not. */
final class SimNode {

  final String id;
  final RaftConfig config;
  final SimDisk disk = new SimDisk();
  RaftNode core;
  StateMachine stateMachine = StateMachine.EMPTY;
  boolean removed;
  long downUntil;
  long checkedCommit;

  SimNode(String id, RaftConfig config) {
    this.id = id;
    this.config = config;
  }

  boolean up() {
    return core != null;
  }

  void start(Random random) {
    core = new RaftNode(config, disk.visible(), new Random(random.nextLong()));
    stateMachine = disk.snapshotData();
    if (stateMachine.index() != Math.max(0, disk.visible().snapshot().index())) {
      throw new IllegalStateException(
          "simulator bug: snapshot data at "
              + stateMachine.index()
              + " but log snapshot at "
              + disk.visible().snapshot().index());
    }
    checkedCommit = core.committed();
  }

  int crash(Random random) {
    core = null;
    return disk.crash(random);
  }
}

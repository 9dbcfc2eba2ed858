package io.caucus.consensus.sim;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * Runs the cluster simulator over {@code caucus.sim.runs} seeds starting at {@code caucus.sim.seed}
 * (defaults 1000 and 1). The first failing seed stops the run and fails the test with the seed, the
 * roles, the event schedule and the last messages.
 */
class ConsensusSimulatorTest {

  @Test
  void everySeedKeepsSafetyAndLiveness() {
    long first = Long.getLong("caucus.sim.seed", 1);
    int runs = Integer.getInteger("caucus.sim.runs", 1000);
    long ticks = 0;
    long faults = 0;
    long elections = 0;
    long commits = 0;
    long start = System.nanoTime();
    for (long seed = first; seed < first + runs; seed++) {
      Simulation.Stats s;
      try {
        s = new Simulation(seed).run();
      } catch (SimulationFailure f) {
        System.out.println(f.getMessage());
        fail(f.getMessage().lines().limit(2).reduce("", (a, b) -> a + b + " "), f);
        return;
      }
      ticks += s.ticks();
      faults += s.faults();
      elections += s.elections();
      commits += s.commits();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "consensus simulator: seeds %d..%d (%d runs), %d ticks, %d faults, %d elections,"
            + " %d commits, %.1f s, %.1f seeds/s%n",
        first, first + runs - 1, runs, ticks, faults, elections, commits, seconds, runs / seconds);
  }
}

package io.caucus.consensus.sim;

/** A broken invariant found by the simulator; its message is the full report. */
final class SimulationFailure extends RuntimeException {
  SimulationFailure(String report, Throwable cause) {
    super(report, cause);
  }
}

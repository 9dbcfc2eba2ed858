package io.caucus.cluster;

import io.caucus.cluster.transport.Transport;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongSupplier;

/**
 * What a {@link GroupRunner} takes from its surroundings rather than reaching for it, so that a
 * deterministic simulation of whole nodes can supply its own. A runner reads no wall clock for
 * consensus: its time is the ticks its owner delivers ({@link GroupRunner#tick()}); {@code
 * nanoClock} only bounds how long a stop waits for snapshot senders.
 *
 * @param transport the node's transport
 * @param threads makes the runner thread and the snapshot sender threads (container-managed in a
 *     node)
 * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime} in a node)
 * @param randomSeed seeds the election timer's randomness, mixed with member and group names
 */
public record RunnerEnvironment(
    Transport transport, ThreadFactory threads, LongSupplier nanoClock, long randomSeed) {

  public RunnerEnvironment {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(threads, "threads");
    Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** A node's environment: the system clock and a seed from it. */
  public static RunnerEnvironment of(Transport transport, ThreadFactory threads) {
    return new RunnerEnvironment(transport, threads, System::nanoTime, System.nanoTime());
  }
}

package io.caucus.consensus.sim;

import io.caucus.consensus.Message;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * A simulated network with a clock in ticks: every message is delivered after a delay, or dropped,
 * or duplicated; a random delay per copy reorders them. Directed links can be cut (partitions,
 * asymmetric ones included). Settings change between fault phases; {@link #heal()} makes it perfect
 * (no loss, one tick of latency).
 */
final class SimNetwork {

  record InFlight(long at, long seq, Message message) {}

  private final Random random;
  private final PriorityQueue<InFlight> queue =
      new PriorityQueue<>(
          (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private final Set<String> cuts = new HashSet<>();
  private long seq;
  double dropRate;
  double duplicateRate;
  int maxExtraDelay;

  /** Latency floor in ticks: 0 when healed (a LAN is far faster than a 100 ms tick), else 1. */
  int baseDelay = 1;

  long drops;
  long duplicates;

  SimNetwork(Random random) {
    this.random = random;
  }

  void heal() {
    cuts.clear();
    dropRate = 0;
    duplicateRate = 0;
    maxExtraDelay = 0;
    baseDelay = 0;
  }

  void cut(String from, String to) {
    cuts.add(from + ">" + to);
  }

  boolean isCut(String from, String to) {
    return cuts.contains(from + ">" + to);
  }

  void clearCuts() {
    cuts.clear();
  }

  String describeCuts() {
    return new java.util.TreeSet<>(cuts).toString();
  }

  /** Queues {@code m}, unless the network loses it; returns whether it was queued. */
  boolean send(long now, Message m) {
    if (dropRate > 0 && random.nextDouble() < dropRate) {
      drops++;
      return false;
    }
    int copies = 1;
    if (duplicateRate > 0 && random.nextDouble() < duplicateRate) {
      copies = 2;
      duplicates++;
    }
    for (int i = 0; i < copies; i++) {
      long delay = baseDelay + (maxExtraDelay > 0 ? random.nextInt(maxExtraDelay + 1) : 0);
      queue.add(new InFlight(now + delay, seq++, m));
    }
    return true;
  }

  /** The next message due at or before {@code now}, or null (the caller applies the cuts). */
  Message poll(long now) {
    if (!queue.isEmpty() && queue.peek().at <= now) {
      return queue.poll().message;
    }
    return null;
  }
}

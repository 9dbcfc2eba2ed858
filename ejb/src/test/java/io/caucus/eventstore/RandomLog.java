package io.caucus.eventstore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * A seeded random log of commands: mostly valid transactions over a pool of aggregates, with
 * sequence conflicts, snapshots (some ahead of their events), non-domain events and garbage mixed
 * in. Log indexes have gaps, as the runner skips non-NORMAL entries.
 */
final class RandomLog {

  record Item(long index, byte[] command) {}

  final List<Item> items = new ArrayList<>();
  final Set<String> aggregateIds = new TreeSet<>();
  long maxTimestamp;

  RandomLog(long seed, int entries, int aggregates, int maxTxSize) {
    Random rnd = new Random(seed);
    Map<String, Long> next = new HashMap<>();
    long index = 0;
    long time = 1_000_000;
    for (int i = 0; i < entries; i++) {
      index += 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 0);
      time += rnd.nextInt(50) - 10; // not monotonic
      int kind = rnd.nextInt(100);
      byte[] cmd;
      if (kind < 8) {
        String a = "agg-" + rnd.nextInt(aggregates);
        long last = next.getOrDefault(a, 0L) - 1;
        long seq =
            rnd.nextBoolean() && last >= 0 ? rnd.nextLong(last + 1) : last + 1 + rnd.nextInt(2);
        cmd = TestEvents.snapshotCommand(a, Math.max(0, seq), time);
        aggregateIds.add(a);
      } else if (kind < 10) {
        cmd = new byte[] {1, 2, 3, (byte) rnd.nextInt()};
      } else {
        List<Event> events = new ArrayList<>();
        int n = 1 + rnd.nextInt(maxTxSize);
        Map<String, Long> local = new HashMap<>(next);
        boolean conflict = rnd.nextInt(10) == 0;
        for (int k = 0; k < n; k++) {
          if (rnd.nextInt(8) == 0) {
            events.add(TestEvents.event("", 0, time + k));
            continue;
          }
          String a = "agg-" + rnd.nextInt(aggregates);
          aggregateIds.add(a);
          long seq = local.getOrDefault(a, 0L);
          if (conflict && k == n - 1) {
            seq += rnd.nextBoolean() ? 1 : -1;
          }
          events.add(TestEvents.event(a, seq, time + rnd.nextInt(5)));
          local.put(a, seq + 1);
        }
        cmd = CommandCodec.encodeEvents("default", events);
        // The generator does not know whether a conflicting transaction is refused (seq -1 may
        // hit a new aggregate); it learns from a reference store instead.
        if (!conflict) {
          next = local;
        }
      }
      maxTimestamp = Math.max(maxTimestamp, time + maxTxSize + 5);
      items.add(new Item(index, cmd));
      if (kind >= 10) {
        next = learn(next, cmd);
      }
    }
  }

  /** Applies a decoded transaction to the generator's view only if it would be accepted. */
  private static Map<String, Long> learn(Map<String, Long> next, byte[] cmd) {
    EventCommand.AppendEvents a = (EventCommand.AppendEvents) CommandCodec.decode(cmd);
    Map<String, Long> local = new HashMap<>(next);
    for (Event e : a.events()) {
      if (!e.isDomainEvent()) {
        continue;
      }
      long expected = local.getOrDefault(e.aggregateId(), 0L);
      if (e.aggregateSequenceNumber() != expected) {
        return next;
      }
      local.put(e.aggregateId(), expected + 1);
    }
    return local;
  }

  /** Applies items {@code [from, to)} to the store, returning the results. */
  List<ApplyResult> applyTo(ContextStateMachine store, int from, int to) {
    List<ApplyResult> results = new ArrayList<>();
    for (Item item : items.subList(from, to)) {
      results.add(store.apply(item.index(), item.command()));
    }
    return results;
  }

  List<ApplyResult> applyAll(ContextStateMachine store) {
    return applyTo(store, 0, items.size());
  }

  /** Applies every item after the store's last applied index. */
  void replay(ContextStateMachine store) {
    for (Item item : items) {
      if (item.index() > store.lastAppliedIndex()) {
        store.apply(item.index(), item.command());
      }
    }
  }
}

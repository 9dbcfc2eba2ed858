package io.caucus.eventstore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builders of events and commands for tests. */
final class TestEvents {

  private TestEvents() {}

  static Event event(String aggregate, long seq, long timestamp) {
    return new Event(
        "m-" + aggregate + "-" + seq + "-" + timestamp,
        aggregate,
        aggregate.isEmpty() ? "" : "Order",
        seq,
        timestamp,
        "OrderEvent",
        "1",
        ("payload " + aggregate + " " + seq).getBytes(StandardCharsets.UTF_8),
        Map.of("k", "v" + seq));
  }

  static Event snapshot(String aggregate, long seq, long timestamp) {
    return new Event(
        "s-" + aggregate + "-" + seq,
        aggregate,
        "Order",
        seq,
        timestamp,
        "OrderSnapshot",
        "",
        ("state of " + aggregate + " at " + seq).getBytes(StandardCharsets.UTF_8),
        Map.of());
  }

  /** A command with events of {@code aggregate} for sequences {@code from..to}. */
  static byte[] events(String aggregate, long from, long to, long timestamp) {
    List<Event> list = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      list.add(event(aggregate, s, timestamp));
    }
    return CommandCodec.encodeEvents("default", list);
  }

  static byte[] events(Event... events) {
    return CommandCodec.encodeEvents("default", List.of(events));
  }

  static byte[] snapshotCommand(String aggregate, long seq, long timestamp) {
    return CommandCodec.encodeSnapshot("default", snapshot(aggregate, seq, timestamp));
  }
}

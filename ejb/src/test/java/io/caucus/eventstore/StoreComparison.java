package io.caucus.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.caucus.error.ErrorCode;
import java.util.List;
import java.util.function.Supplier;

/** Compares every read of two stores. */
final class StoreComparison {

  private StoreComparison() {}

  static void assertSameReads(
      EventStore expected, EventStore actual, Iterable<String> aggregateIds, long maxTimestamp) {
    assertEquals(expected.lastAppliedIndex(), actual.lastAppliedIndex(), "last applied index");
    assertEquals(expected.firstToken(), actual.firstToken(), "first token");
    assertEquals(expected.lastToken(), actual.lastToken(), "last token");
    long first = expected.firstToken();
    assertSame(
        () -> expected.readEvents(first, Integer.MAX_VALUE),
        () -> actual.readEvents(first, Integer.MAX_VALUE),
        "all events");
    for (long t = first; t <= expected.lastToken() + 1; t += 7) {
      long from = t;
      assertSame(() -> expected.readEvents(from, 5), () -> actual.readEvents(from, 5), "batch");
    }
    for (String a : aggregateIds) {
      assertEquals(expected.highestSequence(a), actual.highestSequence(a), "highest of " + a);
      long last = expected.highestSequence(a);
      for (long s = 0; s <= last + 1; s += 3) {
        long from = s;
        assertSame(
            () -> expected.aggregateEvents(a, from, false),
            () -> actual.aggregateEvents(a, from, false),
            a + " from " + s);
        assertSame(
            () -> expected.aggregateEvents(a, from, true),
            () -> actual.aggregateEvents(a, from, true),
            a + " from snapshot " + s);
        assertSame(
            () -> expected.aggregateEvents(a, from, from + 2, false),
            () -> actual.aggregateEvents(a, from, from + 2, false),
            a + " range " + s);
      }
      assertSame(
          () -> expected.aggregateSnapshots(a, 0, Long.MAX_VALUE, 100),
          () -> actual.aggregateSnapshots(a, 0, Long.MAX_VALUE, 100),
          a + " snapshots");
    }
    for (long ts = 999_000; ts <= maxTimestamp + 10; ts += 97) {
      assertEquals(expected.tokenAt(ts), actual.tokenAt(ts), "token at " + ts);
    }
  }

  /** Same value, or the same error code. */
  private static <T> void assertSame(Supplier<List<T>> e, Supplier<List<T>> a, String what) {
    List<T> ev;
    try {
      ev = e.get();
    } catch (EventStoreException ex) {
      ErrorCode code = ex.code();
      assertEquals(code, assertThrows(EventStoreException.class, a::get, what).code(), what);
      return;
    }
    assertEquals(ev, a.get(), what);
  }
}

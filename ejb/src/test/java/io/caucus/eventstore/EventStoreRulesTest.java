package io.caucus.eventstore;

import static io.caucus.eventstore.TestEvents.event;
import static io.caucus.eventstore.TestEvents.events;
import static io.caucus.eventstore.TestEvents.snapshotCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.error.ErrorCode;
import io.caucus.eventstore.storage.InMemoryStoragePort;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every apply and read rule of the event store, on the in-memory port. */
class EventStoreRulesTest {

  private DefaultEventStore store;

  @BeforeEach
  void open() {
    store = DefaultEventStore.open("test", new InMemoryStoragePort());
  }

  private ApplyResult.Rejected rejected(ApplyResult r) {
    return assertInstanceOf(ApplyResult.Rejected.class, r);
  }

  private ApplyResult.Accepted accepted(ApplyResult r) {
    return assertInstanceOf(ApplyResult.Accepted.class, r);
  }

  @Test
  void emptyStoreAnswersFirstZeroLastMinusOneTokenAtMinusOne() {
    assertEquals(0, store.firstToken());
    assertEquals(-1, store.lastToken());
    assertEquals(-1, store.tokenAt(0));
    assertEquals(0, store.lastAppliedIndex());
    assertEquals(List.of(), store.readEvents(0, 10));
    assertEquals(-1, store.highestSequence("nope"));
    assertEquals(List.of(), store.aggregateEvents("nope", 0, true));
  }

  @Test
  void acceptedEventsGetConsecutiveTokensInLogOrder() {
    ApplyResult.Accepted a = accepted(store.apply(1, events("a", 0, 2, 100)));
    ApplyResult.Accepted b = accepted(store.apply(3, events("b", 0, 1, 100)));
    assertEquals(0, a.firstToken());
    assertEquals(2, a.lastToken());
    assertEquals(3, b.firstToken());
    assertEquals(4, b.lastToken());
    List<StoredEvent> all = store.readEvents(0, 100);
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), all.stream().map(StoredEvent::token).toList());
    assertEquals(event("b", 1, 100), all.get(4).event());
    assertEquals(3, store.lastAppliedIndex());
    assertEquals(2, store.highestSequence("a"));
  }

  @Test
  void gapInSequenceIsRefusedAndStoresNothingOfTheTransaction() {
    accepted(store.apply(1, events("a", 0, 0, 100)));
    ApplyResult.Rejected r =
        rejected(store.apply(2, events(event("b", 0, 100), event("a", 2, 100))));
    assertEquals(ErrorCode.INVALID_SEQUENCE, r.code());
    assertTrue(r.message().contains("aggregate a"), r.message());
    assertTrue(r.message().contains("number 2"), r.message());
    assertTrue(r.message().contains("expected 1"), r.message());
    assertEquals(0, store.lastToken());
    assertEquals(-1, store.highestSequence("b"), "b's valid event must not be stored either");
    assertEquals(2, store.lastAppliedIndex());
  }

  @Test
  void duplicateSequenceIsRefused() {
    accepted(store.apply(1, events("a", 0, 1, 100)));
    ApplyResult.Rejected r = rejected(store.apply(2, events("a", 1, 1, 100)));
    assertEquals(ErrorCode.INVALID_SEQUENCE, r.code());
    assertEquals(ErrorCode.INVALID_SEQUENCE.message("a", 1L, 2L), r.message());
    assertEquals(1, store.highestSequence("a"));
  }

  @Test
  void newAggregateMustStartAtZero() {
    ApplyResult.Rejected r = rejected(store.apply(1, events("a", 1, 2, 100)));
    assertEquals(ErrorCode.INVALID_SEQUENCE.message("a", 1L, 0L), r.message());
    assertEquals(-1, store.lastToken());
  }

  @Test
  void sequencesWithinATransactionMustBeContiguous() {
    ApplyResult.Rejected r = rejected(store.apply(1, events(event("a", 0, 1), event("a", 2, 1))));
    assertEquals(ErrorCode.INVALID_SEQUENCE.message("a", 2L, 1L), r.message());
    accepted(store.apply(2, events(event("a", 0, 1), event("x", 0, 1), event("a", 1, 1))));
    assertEquals(1, store.highestSequence("a"));
  }

  @Test
  void nonDomainEventsAreStoredWithoutSequenceChecks() {
    accepted(store.apply(1, events(event("", 5, 1), event("", 5, 1))));
    assertEquals(1, store.lastToken());
  }

  @Test
  void emptyTransactionAndMalformedCommandsAreRefusedWithoutChange() {
    assertEquals(
        ErrorCode.INVALID_REQUEST,
        rejected(store.apply(1, CommandCodec.encodeEvents("default", List.of()))).code());
    assertEquals(
        ErrorCode.UNSUPPORTED_FORMAT, rejected(store.apply(2, new byte[] {1, 2, 3})).code());
    byte[] good = events("a", 0, 0, 1);
    good[good.length - 6] ^= 1;
    assertEquals(ErrorCode.UNSUPPORTED_FORMAT, rejected(store.apply(3, good)).code());
    Event noId = new Event("m", "", "Order", 0, 1, "T", "", null, null);
    assertEquals(ErrorCode.INVALID_REQUEST, rejected(store.apply(4, events(noId))).code());
    assertEquals(-1, store.lastToken());
    assertEquals(4, store.lastAppliedIndex());
  }

  @Test
  void transactionsAboveTheSizeLimitAreRefused() {
    List<Event> many = new ArrayList<>();
    for (int i = 0; i <= 65_535; i++) {
      many.add(event("", 0, i));
    }
    ApplyResult.Rejected r = rejected(store.apply(1, CommandCodec.encodeEvents("default", many)));
    assertEquals(ErrorCode.INVALID_REQUEST, r.code());
    assertTrue(r.message().contains("65535"), r.message());
    accepted(store.apply(2, CommandCodec.encodeEvents("default", many.subList(0, 65_535))));
    assertEquals(65_534, store.lastToken());
    assertEquals(65_534, store.readEvents(65_534, 10).get(0).token());
  }

  @Test
  void entriesAtOrBelowTheAppliedIndexAreIgnored() {
    accepted(store.apply(5, events("a", 0, 0, 1)));
    assertInstanceOf(ApplyResult.AlreadyApplied.class, store.apply(5, events("a", 1, 1, 1)));
    assertInstanceOf(ApplyResult.AlreadyApplied.class, store.apply(2, events("b", 0, 0, 1)));
    assertEquals(0, store.lastToken());
  }

  @Test
  void snapshotAheadOfEventsIsRefused() {
    ApplyResult.Rejected unknown = rejected(store.apply(1, snapshotCommand("a", 0, 1)));
    assertEquals(ErrorCode.SNAPSHOT_AHEAD_OF_EVENTS, unknown.code());
    accepted(store.apply(2, events("a", 0, 2, 1)));
    ApplyResult.Rejected ahead = rejected(store.apply(3, snapshotCommand("a", 3, 1)));
    assertEquals(ErrorCode.SNAPSHOT_AHEAD_OF_EVENTS.message("a", 3L, 2L), ahead.message());
    assertEquals(List.of(), store.aggregateSnapshots("a", 0, Long.MAX_VALUE, 10));
    accepted(store.apply(4, snapshotCommand("a", 2, 1)));
    assertEquals(1, store.aggregateSnapshots("a", 0, Long.MAX_VALUE, 10).size());
    assertEquals(2, store.lastToken(), "snapshots take no token");
  }

  @Test
  void aggregateReadsFromSequenceAndFromLatestSnapshot() {
    accepted(store.apply(1, events("a", 0, 39, 1)));
    accepted(store.apply(2, events("b", 0, 3, 1)));
    accepted(store.apply(3, events("a", 40, 99, 1)));
    accepted(store.apply(4, snapshotCommand("a", 10, 1)));
    accepted(store.apply(5, snapshotCommand("a", 50, 1)));
    accepted(store.apply(6, snapshotCommand("a", 30, 1)));

    List<Event> from0 = store.aggregateEvents("a", 0, false);
    assertEquals(100, from0.size());
    for (int i = 0; i < 100; i++) {
      assertEquals(event("a", i, 1), from0.get(i));
    }
    assertEquals(event("a", 70, 1), store.aggregateEvents("a", 70, false).get(0));
    assertEquals(30, store.aggregateEvents("a", 70, false).size());

    List<Event> withSnapshot = store.aggregateEvents("a", 0, true);
    assertEquals(TestEvents.snapshot("a", 50, 1), withSnapshot.get(0));
    assertEquals(event("a", 51, 1), withSnapshot.get(1));
    assertEquals(50, withSnapshot.size());
    // A snapshot below the requested sequence is not used.
    assertEquals(event("a", 60, 1), store.aggregateEvents("a", 60, true).get(0));
    // Bounded range.
    assertEquals(
        List.of(event("a", 5, 1), event("a", 6, 1)), store.aggregateEvents("a", 5, 6, false));

    List<Event> snaps = store.aggregateSnapshots("a", 0, Long.MAX_VALUE, 10);
    assertEquals(
        List.of(50L, 30L, 10L), snaps.stream().map(Event::aggregateSequenceNumber).toList());
    assertEquals(1, store.aggregateSnapshots("a", 0, 40, 1).size());
    assertEquals(30, store.aggregateSnapshots("a", 0, 40, 1).get(0).aggregateSequenceNumber());
    assertEquals(99, store.highestSequence("a"));
  }

  @Test
  void laterSnapshotAtTheSameSequenceReplacesTheEarlierOne() {
    accepted(store.apply(1, events("a", 0, 3, 1)));
    accepted(store.apply(2, snapshotCommand("a", 3, 1)));
    Event newer = new Event("s2", "a", "Order", 3, 2, "OrderSnapshot", "2", new byte[] {9}, null);
    accepted(store.apply(3, CommandCodec.encodeSnapshot("default", newer)));
    assertEquals(List.of(newer), store.aggregateSnapshots("a", 0, 10, 10));
  }

  @Test
  void trackingCursorReadsInBatchesAndPicksUpNewEvents() {
    for (int i = 0; i < 10; i++) {
      accepted(store.apply(i + 1, events("a" + i, 0, 2, i)));
    }
    TrackingCursor cursor = store.track(0, 7);
    List<Long> seen = new ArrayList<>();
    List<StoredEvent> batch;
    while (!(batch = cursor.next()).isEmpty()) {
      assertTrue(batch.size() <= 7);
      batch.forEach(e -> seen.add(e.token()));
    }
    assertEquals(30, seen.size());
    for (int i = 0; i < 30; i++) {
      assertEquals(i, seen.get(i));
    }
    accepted(store.apply(20, events("z", 0, 0, 1)));
    assertEquals(30, cursor.next().get(0).token());
    assertEquals(List.of(), store.readEvents(31, 5));
  }

  @Test
  void tokenAtFindsTheFirstEventAtOrAfterTheTime() {
    long index = 1;
    for (int i = 0; i < 1000; i++) {
      accepted(store.apply(index++, events("", 0, 0, 1000 + i * 10L)));
    }
    assertEquals(0, store.tokenAt(0));
    assertEquals(0, store.tokenAt(1000));
    assertEquals(1, store.tokenAt(1001));
    assertEquals(300, store.tokenAt(4000));
    assertEquals(999, store.tokenAt(10990));
    assertEquals(1000, store.tokenAt(10991), "after every event: the next token");
    // Non-monotonic client clocks: the running maximum decides.
    accepted(store.apply(index++, events("", 0, 0, 50_000)));
    accepted(store.apply(index, events("", 0, 0, 20_000)));
    assertEquals(1000, store.tokenAt(20_000));
    assertEquals(1002, store.tokenAt(50_001));
  }

  /** A token far past the head (2^63-1 used to overflow into "event missing") reads nothing. */
  @Test
  void aTokenFarPastTheHeadReadsNothing() {
    accepted(store.apply(1, events("a", 0, 2, 1)));
    assertEquals(List.of(), store.readEvents(Long.MAX_VALUE, 1000));
    assertEquals(List.of(), store.readEvents(Long.MAX_VALUE - 1, Integer.MAX_VALUE));
    assertEquals(List.of(), store.readEvents(3, Integer.MAX_VALUE));
    assertEquals(3, store.readEvents(0, Integer.MAX_VALUE).size());
  }

  @Test
  void invalidReadArgumentsGiveInvalidRequest() {
    assertEquals(
        ErrorCode.INVALID_REQUEST,
        assertThrows(EventStoreException.class, () -> store.readEvents(-1, 1)).code());
    assertEquals(
        ErrorCode.INVALID_REQUEST,
        assertThrows(EventStoreException.class, () -> store.readEvents(0, 0)).code());
    assertEquals(
        ErrorCode.INVALID_REQUEST,
        assertThrows(EventStoreException.class, () -> store.aggregateEvents("", 0, false)).code());
    assertEquals(
        ErrorCode.INVALID_REQUEST,
        assertThrows(EventStoreException.class, () -> store.aggregateEvents("a", -1, false))
            .code());
    assertEquals(
        ErrorCode.INVALID_REQUEST,
        assertThrows(EventStoreException.class, () -> store.track(0, 0)).code());
  }

  @Test
  void aggregateReadsStayCorrectAcrossManyIndexChunks() {
    long index = 1;
    for (int s = 0; s < 1000; s += 7) {
      long to = Math.min(999, s + 6);
      accepted(store.apply(index++, events("big", s, to, s)));
      accepted(store.apply(index++, events("other" + s, 0, 0, s)));
    }
    List<Event> all = store.aggregateEvents("big", 0, false);
    assertEquals(1000, all.size());
    for (int s = 0; s < 1000; s++) {
      assertEquals(s, all.get(s).aggregateSequenceNumber());
    }
    assertEquals(1000 - 333, store.aggregateEvents("big", 333, false).size());
  }
}

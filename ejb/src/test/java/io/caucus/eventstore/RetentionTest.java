package io.caucus.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.error.ErrorCode;
import io.caucus.eventstore.storage.InMemoryStoragePort;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention on primaries, gated by the secondaries' confirmations. */
class RetentionTest {

  private static final RetentionSettings HOUR =
      new RetentionSettings(Duration.ofHours(1), Duration.ofHours(1));
  private static final long HOUR_MS = 3_600_000;
  private static final long NOW = 100 * HOUR_MS;

  private InMemoryStoragePort storage;
  private DefaultEventStore store;

  /**
   * Entries 1..10: aggregate "a" gets 10 events per entry, time = entry hour; snapshots at 3, 6.
   */
  @BeforeEach
  void fill() {
    storage = new InMemoryStoragePort();
    store = DefaultEventStore.open("ctx", storage);
    long index = 1;
    for (int i = 0; i < 10; i++) {
      store.apply(index++, TestEvents.events("a", i * 10L, i * 10L + 9, (90 + i) * HOUR_MS));
      if (i == 3 || i == 6) {
        store.apply(index++, TestEvents.snapshotCommand("a", i * 10L + 9, (90 + i) * HOUR_MS));
      }
    }
    assertEquals(99, store.lastToken());
  }

  @Test
  void nothingIsRemovedWithoutSecondariesOrWithoutTheirConfirmation() {
    assertEquals(0, store.enforceRetention(HOUR, Set.of(), NOW, 1000).eventsRemoved());
    assertEquals(0, store.enforceRetention(HOUR, Set.of("s1"), NOW, 1000).eventsRemoved());
    store.confirmSecondaryHolds("s1", 100);
    assertEquals(
        0,
        store.enforceRetention(HOUR, Set.of("s1", "s2"), NOW, 1000).eventsRemoved(),
        "s2 silent");
    assertEquals(0, store.firstToken());
    assertEquals(100, store.readEvents(0, 1000).size());
  }

  @Test
  void removesOnlyOldEventsEverySecondaryConfirmed() {
    store.confirmSecondaryHolds("s1", 100);
    store.confirmSecondaryHolds("s2", 5); // s2 holds entries 1..5 (= events 0..39 + snapshot 1)
    RetentionResult r = store.enforceRetention(HOUR, Set.of("s1", "s2"), NOW, 1000);
    assertEquals(40, r.eventsRemoved());
    assertEquals(1, r.snapshotsRemoved());
    assertEquals(40, store.firstToken());
    assertEquals(99, store.lastToken());

    store.confirmSecondaryHolds("s2", 100);
    store.confirmSecondaryHolds("s2", 3); // lower confirmations are ignored
    r = store.enforceRetention(HOUR, Set.of("s1", "s2"), NOW, 1000);
    // Events of hours 94..98 are older than one hour before hour 100; hour 99 is not.
    assertEquals(50, r.eventsRemoved());
    assertEquals(90, store.firstToken());
    assertEquals(1, r.snapshotsRemoved());
    assertEquals(List.of(), store.aggregateSnapshots("a", 0, Long.MAX_VALUE, 10));

    EventStoreException e = assertThrows(EventStoreException.class, () -> store.readEvents(0, 10));
    assertEquals(ErrorCode.DATA_NOT_AVAILABLE, e.code());
    assertTrue(e.getMessage().contains("token 90"), e.getMessage());
    assertEquals(
        ErrorCode.DATA_NOT_AVAILABLE,
        assertThrows(EventStoreException.class, () -> store.aggregateEvents("a", 0, false)).code());
    assertEquals(
        ErrorCode.DATA_NOT_AVAILABLE,
        assertThrows(EventStoreException.class, () -> store.aggregateEvents("a", 0, true)).code());
    assertEquals(10, store.aggregateEvents("a", 90, false).size());
    assertEquals(99, store.highestSequence("a"), "sequence checks still know the aggregate");
    assertEquals(90, store.tokenAt(0), "token at a removed time is the first held token");
    // Appends continue with the next sequence and token.
    ApplyResult.Accepted acc =
        (ApplyResult.Accepted) store.apply(100, TestEvents.events("a", 100, 100, NOW));
    assertEquals(100, acc.firstToken());
    assertEquals(
        ErrorCode.INVALID_SEQUENCE,
        ((ApplyResult.Rejected) store.apply(101, TestEvents.events("a", 0, 0, NOW))).code());
  }

  @Test
  void removalBudgetAndOpenSnapshotStreamsAreRespected() {
    store.confirmSecondaryHolds("s1", 100);
    // Whole transactions only (10 events each here): a budget of 25 removes 20 events.
    assertEquals(20, store.enforceRetention(HOUR, Set.of("s1"), NOW, 25).eventsRemoved());
    assertEquals(20, store.firstToken());
    try (StateSnapshotReader reader = store.openStateSnapshot(4096)) {
      assertEquals(0, store.enforceRetention(HOUR, Set.of("s1"), NOW, 1000).eventsRemoved());
      assertTrue(reader.nextChunk() != null);
    }
    assertEquals(70, store.enforceRetention(HOUR, Set.of("s1"), NOW, 1000).eventsRemoved());
  }

  @Test
  void retentionPositionSurvivesRestartAndAnInterruptedRemovalIsFinished() {
    store.confirmSecondaryHolds("s1", 100);
    // Crash after the retention record and the first removal (of three transactions).
    CrashingStoragePort crashing = new CrashingStoragePort(storage, 2, 1);
    DefaultEventStore failing = DefaultEventStore.open("ctx", crashing);
    failing.confirmSecondaryHolds("s1", 100);
    assertThrows(
        CrashingStoragePort.SimulatedCrash.class,
        () -> failing.enforceRetention(HOUR, Set.of("s1"), NOW, 30));
    assertTrue(storage.events().get(0L) != null, "removal was interrupted");
    assertTrue(storage.events().get(10L) != null, "removal was interrupted");
    assertEquals(null, storage.events().get(20L), "removal goes in descending order");
    DefaultEventStore reopened = DefaultEventStore.open("ctx", storage);
    assertEquals(30, reopened.firstToken());
    for (long t = 0; t < 30; t++) {
      assertEquals(null, storage.events().get(t), "token " + t + " removed on reopen");
    }
    assertEquals(70, reopened.readEvents(30, 1000).size());
  }
}

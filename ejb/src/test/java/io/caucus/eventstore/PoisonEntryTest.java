package io.caucus.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.error.ErrorCode;
import io.caucus.eventstore.infinispan.InfinispanStorageFactory;
import io.caucus.eventstore.infinispan.InfinispanStorageSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entry the file store cannot hold (an aggregate identifier longer than its key limit), already
 * committed to the log, as the previous version let through: every member rejects it alike, the
 * store stays writable, and a restart that replays it reaches the same verdict. On real Infinispan
 * files, where the write itself fails (ISPN029018) without the check.
 */
class PoisonEntryTest {

  @TempDir Path dir;

  private static final InfinispanStorageSettings SETTINGS =
      new InfinispanStorageSettings(false, 100);

  private static byte[] poison() {
    String id = "x".repeat(4100);
    return TestEvents.events(
        new Event("m-poison", id, "Order", 0, 1, "OrderPlaced", "1", new byte[0], Map.of()));
  }

  @Test
  void anUnstorableEntryIsRejectedTheStoreStaysWritableAndReplayGivesTheSameVerdict() {
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, SETTINGS);
        EventStores stores = new EventStores(factory)) {
      EventStore store = stores.open("orders");
      assertInstanceOf(ApplyResult.Accepted.class, store.apply(1, TestEvents.events("a", 0, 0, 1)));
      ApplyResult.Rejected r =
          assertInstanceOf(ApplyResult.Rejected.class, store.apply(2, poison()));
      assertEquals(ErrorCode.INVALID_REQUEST, r.code());
      assertTrue(r.message().contains("aggregateIdentifier is 4100 bytes"), r.message());
      assertInstanceOf(ApplyResult.Accepted.class, store.apply(3, TestEvents.events("a", 1, 1, 1)));
      assertEquals(3, store.lastAppliedIndex());
    }
    // A member that had not applied it yet (a fresh replica replaying the log) decides the same.
    try (InfinispanStorageFactory factory =
            new InfinispanStorageFactory(dir.resolve("replica"), SETTINGS);
        EventStores stores = new EventStores(factory)) {
      EventStore replica = stores.open("orders");
      assertInstanceOf(
          ApplyResult.Accepted.class, replica.apply(1, TestEvents.events("a", 0, 0, 1)));
      assertInstanceOf(ApplyResult.Rejected.class, replica.apply(2, poison()));
      assertInstanceOf(
          ApplyResult.Accepted.class, replica.apply(3, TestEvents.events("a", 1, 1, 1)));
    }
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, SETTINGS);
        EventStores stores = new EventStores(factory)) {
      EventStore store = stores.open("orders");
      assertEquals(3, store.lastAppliedIndex());
      assertEquals(1, store.highestSequence("a"));
      assertInstanceOf(ApplyResult.AlreadyApplied.class, store.apply(2, poison()));
    }
  }

  @Test
  void anUnstorableSnapshotIsRejectedToo() {
    try (InfinispanStorageFactory factory = new InfinispanStorageFactory(dir, SETTINGS);
        EventStores stores = new EventStores(factory)) {
      EventStore store = stores.open("orders");
      byte[] snapshot =
          CommandCodec.encodeSnapshot(
              "default",
              new Event("s", "y".repeat(4100), "Order", 0, 1, "S", "", new byte[0], Map.of()));
      assertInstanceOf(ApplyResult.Rejected.class, store.apply(1, snapshot));
      assertInstanceOf(ApplyResult.Accepted.class, store.apply(2, TestEvents.events("a", 0, 0, 1)));
    }
  }

  @Test
  void limitsAtTheDoorNameTheFieldAndAcceptWhatIsWithinThem() {
    Event ok = new Event("m", "a".repeat(1024), "T", 0, 1, "P", "1", new byte[0], Map.of("k", "v"));
    assertTrue(EventLimits.violationAtDoor(ok, 0).isEmpty());
    assertTrue(
        EventLimits.violationAtDoor(
                new Event("m", "é".repeat(513), "T", 0, 1, "P", "1", null, null), 3)
            .orElseThrow()
            .contains("event 3: aggregateIdentifier is 1026 bytes, at most 1024"));
    assertTrue(
        EventLimits.violationAtDoor(
                new Event("m".repeat(1025), "a", "T", 0, 1, "P", "1", null, null), 0)
            .orElseThrow()
            .contains("messageIdentifier"));
    assertTrue(
        EventLimits.violationAtDoor(
                new Event("m", "a", "T".repeat(1025), 0, 1, "P", "1", null, null), 0)
            .orElseThrow()
            .contains("aggregateType"));
    assertTrue(
        EventLimits.violationAtDoor(
                new Event("m", "a", "T", 0, 1, "P".repeat(1025), "1", null, null), 0)
            .orElseThrow()
            .contains("payload type"));
    assertTrue(
        EventLimits.violationAtDoor(
                new Event("m", "a", "T", 0, 1, "P", "1".repeat(1025), null, null), 0)
            .orElseThrow()
            .contains("payload revision"));
    assertTrue(
        EventLimits.violationAtDoor(
                new Event("m", "a", "T", 0, 1, "P", "1", null, Map.of("k".repeat(1025), "v")), 0)
            .orElseThrow()
            .contains("metadata key"));
    assertTrue(
        EventLimits.violationAtDoor(
                new Event("m", "a", "T", 0, 1, "P", "1", null, Map.of("k", "v".repeat(65537))), 0)
            .orElseThrow()
            .contains("metadata value of k"));
    // Storable but over the door's limit: the store accepts it (older versions stored such ids).
    assertTrue(
        EventLimits.violationAtApply(
                new Event("m", "a".repeat(4000), "T", 0, 1, "P", "1", null, null), 0)
            .isEmpty());
  }
}

package io.caucus.eventstore.infinispan;

/**
 * Tuning of the Infinispan storage.
 *
 * @param syncWrites whether the file store forces every write to the device (survives power loss;
 *     much slower). Without it a write survives a process crash, not a power loss; the RAFT log,
 *     which is fsynced, is the record that survives power loss, and the store replays from it.
 * @param maxEventsInMemory events kept on the heap besides the file store (0 = all)
 * @param maxAggregatesInMemory aggregate heads and index chunks kept on the heap (0 = all)
 */
public record InfinispanStorageSettings(
    boolean syncWrites, long maxEventsInMemory, long maxAggregatesInMemory) {

  /** Process-crash durability, 200,000 events and 500,000 aggregate records on the heap. */
  public static final InfinispanStorageSettings DEFAULT =
      new InfinispanStorageSettings(false, 200_000, 500_000);

  public InfinispanStorageSettings {
    if (maxEventsInMemory < 0 || maxAggregatesInMemory < 0) {
      throw new IllegalArgumentException("in-memory limits must be >= 0 (0 = unlimited)");
    }
  }
}

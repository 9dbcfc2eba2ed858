package io.caucus.eventstore.infinispan;

/**
 * Tuning of the Infinispan storage.
 *
 * @param syncWrites whether the file store forces every write to the device (survives power loss;
 *     much slower). Without it a write survives a process crash, not a power loss; the RAFT log,
 *     which is fsynced, is the record that survives power loss, and the store replays from it.
 * @param maxEntriesInMemory records (events, aggregate heads, index chunks, …) kept on the heap per
 *     context besides the file store, least recently used evicted first (0 = all)
 */
public record InfinispanStorageSettings(boolean syncWrites, long maxEntriesInMemory) {

  /** Process-crash durability, 500,000 records per context on the heap. */
  public static final InfinispanStorageSettings DEFAULT =
      new InfinispanStorageSettings(false, 500_000);

  public InfinispanStorageSettings {
    if (maxEntriesInMemory < 0) {
      throw new IllegalArgumentException("the in-memory limit must be >= 0 (0 = unlimited)");
    }
  }
}

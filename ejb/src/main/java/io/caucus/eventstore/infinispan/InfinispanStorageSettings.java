package io.caucus.eventstore.infinispan;

/**
 * Tuning of the Infinispan storage that overrides the template of an {@link
 * InfinispanConfigurationFile} ({@link InfinispanConfigurationFile#withSettings}): where settings
 * are applied, they win over the file. A node applies none (its {@code caucus-infinispan.xml}
 * decides); tests and benchmarks apply them to the built-in file.
 *
 * @param syncWrites whether the file store forces every write to the device (survives power loss;
 *     much slower). Without it a write survives a process crash, not a power loss; the RAFT log,
 *     which is fsynced, is the record that survives power loss, and the store replays from it.
 * @param maxEntriesInMemory records (events, aggregate heads, index chunks, …) kept on the heap per
 *     context besides the file store, least recently used evicted first (0 = all)
 */
public record InfinispanStorageSettings(boolean syncWrites, long maxEntriesInMemory) {

  /**
   * Process-crash durability, 500,000 records per context on the heap: the values of the built-in
   * {@code caucus-infinispan.xml} (a test keeps the two equal).
   */
  public static final InfinispanStorageSettings DEFAULT =
      new InfinispanStorageSettings(false, 500_000);

  public InfinispanStorageSettings {
    if (maxEntriesInMemory < 0) {
      throw new IllegalArgumentException("the in-memory limit must be >= 0 (0 = unlimited)");
    }
  }
}

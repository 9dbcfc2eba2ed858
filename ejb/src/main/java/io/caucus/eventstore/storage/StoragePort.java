package io.caucus.eventstore.storage;

/**
 * The storage of one context's event store: five named maps. Plain Java so that the simulator and
 * unit tests run on {@link InMemoryStoragePort} and the product on Infinispan file stores.
 *
 * <p><b>Lifecycle:</b> obtained open from a {@link StorageFactory}; {@link #close()} releases files
 * and threads; after it no map may be used. Reopening the same context through the factory gives
 * back everything that was durably written.
 *
 * <p><b>Thread safety, durability, failures:</b> as documented on {@link KeyValueMap}.
 */
public interface StoragePort extends AutoCloseable {

  /** Token → stored event record. */
  KeyValueMap<Long> events();

  /** Snapshot ordinal → stored snapshot record. */
  KeyValueMap<Long> snapshots();

  /**
   * Aggregate key → aggregate head record (last sequence, tail of the token index, snapshot refs);
   * the key layout is the event store's (its {@code AggregateIndex}).
   */
  KeyValueMap<String> aggregates();

  /** Chunk key → a full chunk of an aggregate's token index. */
  KeyValueMap<String> aggregateChunks();

  /** Small records: applied position, retention position, time index pages, install marker. */
  KeyValueMap<String> meta();

  /**
   * Forces every write completed so far to the storage device (power-loss durability). A storage
   * with nothing on a device does nothing.
   *
   * @throws java.io.UncheckedIOException if the device could not be synced
   */
  void syncToDevice();

  /** Releases the storage. Idempotent. */
  @Override
  void close();
}

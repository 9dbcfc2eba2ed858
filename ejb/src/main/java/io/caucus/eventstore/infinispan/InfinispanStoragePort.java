package io.caucus.eventstore.infinispan;

import io.caucus.eventstore.storage.KeyValueMap;
import io.caucus.eventstore.storage.StoragePort;
import java.util.function.Function;
import org.infinispan.AdvancedCache;

/**
 * One context's storage: one local cache backed by a SoftIndexFileStore under the context's folder,
 * each map a key prefix ({@code e} events, {@code s} snapshots, {@code a} aggregates, {@code c}
 * index chunks, {@code m} meta). Created by {@link InfinispanStorageFactory}; thread safety and
 * durability as documented on {@link KeyValueMap}.
 */
final class InfinispanStoragePort implements StoragePort {

  private final KeyValueMap<Long> events;
  private final KeyValueMap<Long> snapshots;
  private final KeyValueMap<String> aggregates;
  private final KeyValueMap<String> chunks;
  private final KeyValueMap<String> meta;
  private final Runnable onClose;
  private boolean closed;

  InfinispanStoragePort(AdvancedCache<String, byte[]> cache, Runnable onClose) {
    this.events = new InfinispanKeyValueMap<>(cache, "e", Long::valueOf);
    this.snapshots = new InfinispanKeyValueMap<>(cache, "s", Long::valueOf);
    this.aggregates = new InfinispanKeyValueMap<>(cache, "a", Function.identity());
    this.chunks = new InfinispanKeyValueMap<>(cache, "c", Function.identity());
    this.meta = new InfinispanKeyValueMap<>(cache, "m", Function.identity());
    this.onClose = onClose;
  }

  @Override
  public KeyValueMap<Long> events() {
    return events;
  }

  @Override
  public KeyValueMap<Long> snapshots() {
    return snapshots;
  }

  @Override
  public KeyValueMap<String> aggregates() {
    return aggregates;
  }

  @Override
  public KeyValueMap<String> aggregateChunks() {
    return chunks;
  }

  @Override
  public KeyValueMap<String> meta() {
    return meta;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      onClose.run();
    }
  }
}

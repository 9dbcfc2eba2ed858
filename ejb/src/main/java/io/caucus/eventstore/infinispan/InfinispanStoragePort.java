package io.caucus.eventstore.infinispan;

import io.caucus.eventstore.storage.KeyValueMap;
import io.caucus.eventstore.storage.StoragePort;
import java.util.List;
import java.util.function.Consumer;

/**
 * One context's storage: five local caches, each backed by its own SoftIndexFileStore under the
 * context's folder. Created by {@link InfinispanStorageFactory}; thread safety and durability as
 * documented on {@link KeyValueMap}.
 */
final class InfinispanStoragePort implements StoragePort {

  private final InfinispanKeyValueMap<Long> events;
  private final InfinispanKeyValueMap<Long> snapshots;
  private final InfinispanKeyValueMap<String> aggregates;
  private final InfinispanKeyValueMap<String> chunks;
  private final InfinispanKeyValueMap<String> meta;
  private final Consumer<List<String>> onClose;
  private boolean closed;

  InfinispanStoragePort(
      InfinispanKeyValueMap<Long> events,
      InfinispanKeyValueMap<Long> snapshots,
      InfinispanKeyValueMap<String> aggregates,
      InfinispanKeyValueMap<String> chunks,
      InfinispanKeyValueMap<String> meta,
      Consumer<List<String>> onClose) {
    this.events = events;
    this.snapshots = snapshots;
    this.aggregates = aggregates;
    this.chunks = chunks;
    this.meta = meta;
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
      onClose.accept(
          List.of(events.name(), snapshots.name(), aggregates.name(), chunks.name(), meta.name()));
    }
  }
}

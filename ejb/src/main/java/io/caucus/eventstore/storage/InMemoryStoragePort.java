package io.caucus.eventstore.storage;

import java.util.AbstractMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Storage in {@link ConcurrentHashMap}s, for the simulator, unit tests and benchmark baselines.
 * Durable only for the life of the object: "reopening" means passing the same object to a new store
 * after {@link #close()} (which keeps the data, like files on disk would).
 */
public final class InMemoryStoragePort implements StoragePort {

  private final MapImpl<Long> events = new MapImpl<>();
  private final MapImpl<Long> snapshots = new MapImpl<>();
  private final MapImpl<String> aggregates = new MapImpl<>();
  private final MapImpl<String> chunks = new MapImpl<>();
  private final MapImpl<String> meta = new MapImpl<>();

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
  public void close() {
    // Data stays, as it would on disk.
  }

  private static final class MapImpl<K> implements KeyValueMap<K> {
    private final ConcurrentHashMap<K, byte[]> map = new ConcurrentHashMap<>();

    @Override
    public byte[] get(K key) {
      return map.get(key);
    }

    @Override
    public void put(K key, byte[] value) {
      map.put(key, value);
    }

    @Override
    public void putAll(Map<K, byte[]> entries) {
      map.putAll(entries);
    }

    @Override
    public void remove(K key) {
      map.remove(key);
    }

    @Override
    public Stream<Map.Entry<K, byte[]>> entries() {
      return map.entrySet().stream()
          .map(e -> new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
    }

    @Override
    public void clear() {
      map.clear();
    }
  }
}

package io.caucus.eventstore.infinispan;

import io.caucus.eventstore.storage.KeyValueMap;
import java.util.AbstractMap;
import java.util.Map;
import java.util.stream.Stream;
import org.infinispan.AdvancedCache;
import org.infinispan.context.Flag;

/** A {@link KeyValueMap} over one local Infinispan cache with a file store. */
final class InfinispanKeyValueMap<K> implements KeyValueMap<K> {

  private final AdvancedCache<K, byte[]> cache;
  private final AdvancedCache<K, byte[]> writer;

  InfinispanKeyValueMap(AdvancedCache<K, byte[]> cache) {
    this.cache = cache;
    // Without this flag every put would first load the previous value from the file store.
    this.writer = cache.withFlags(Flag.IGNORE_RETURN_VALUES);
  }

  @Override
  public byte[] get(K key) {
    return cache.get(key);
  }

  @Override
  public void put(K key, byte[] value) {
    writer.put(key, value);
  }

  @Override
  public void putAll(Map<K, byte[]> entries) {
    if (!entries.isEmpty()) {
      writer.putAll(entries);
    }
  }

  @Override
  public void remove(K key) {
    writer.remove(key);
  }

  @Override
  public Stream<Map.Entry<K, byte[]>> entries() {
    return cache.entrySet().stream()
        .map(e -> new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
  }

  @Override
  public void clear() {
    cache.clear();
  }

  String name() {
    return cache.getName();
  }
}

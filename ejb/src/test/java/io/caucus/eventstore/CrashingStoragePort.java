package io.caucus.eventstore;

import io.caucus.eventstore.storage.KeyValueMap;
import io.caucus.eventstore.storage.StoragePort;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A storage port that performs the first {@code allowed} single-key writes and then "crashes":
 * every further write throws {@link SimulatedCrash} without reaching the storage. A batch ({@code
 * putAll}) counts as one write per key, done in a random order, because a non-atomic batch may
 * leave any subset of itself written.
 */
final class CrashingStoragePort implements StoragePort {

  static final class SimulatedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SimulatedCrash() {
      super("simulated crash");
    }
  }

  private final StoragePort delegate;
  private final Random random;
  private long allowed;
  private long writes;

  CrashingStoragePort(StoragePort delegate, long allowed, long seed) {
    this.delegate = delegate;
    this.allowed = allowed;
    this.random = new Random(seed);
  }

  long writes() {
    return writes;
  }

  boolean crashed() {
    return writes > allowed;
  }

  private void write() {
    writes++;
    if (writes > allowed) {
      throw new SimulatedCrash();
    }
  }

  private <K> KeyValueMap<K> wrap(KeyValueMap<K> map) {
    return new KeyValueMap<>() {
      @Override
      public byte[] get(K key) {
        return map.get(key);
      }

      @Override
      public void put(K key, byte[] value) {
        write();
        map.put(key, value);
      }

      @Override
      public void putAll(Map<K, byte[]> entries) {
        List<Map.Entry<K, byte[]>> list = new ArrayList<>(entries.entrySet());
        Collections.shuffle(list, random);
        for (Map.Entry<K, byte[]> e : list) {
          put(e.getKey(), e.getValue());
        }
      }

      @Override
      public void remove(K key) {
        write();
        map.remove(key);
      }

      @Override
      public Stream<Map.Entry<K, byte[]>> entries() {
        return map.entries();
      }

      @Override
      public void clear() {
        write();
        map.clear();
      }
    };
  }

  @Override
  public KeyValueMap<Long> events() {
    return wrap(delegate.events());
  }

  @Override
  public KeyValueMap<Long> snapshots() {
    return wrap(delegate.snapshots());
  }

  @Override
  public KeyValueMap<String> aggregates() {
    return wrap(delegate.aggregates());
  }

  @Override
  public KeyValueMap<String> aggregateChunks() {
    return wrap(delegate.aggregateChunks());
  }

  @Override
  public KeyValueMap<String> meta() {
    return wrap(delegate.meta());
  }

  @Override
  public void close() {
    delegate.close();
  }
}

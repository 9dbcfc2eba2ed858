package io.caucus.eventstore.storage;

import java.util.Map;
import java.util.stream.Stream;

/**
 * One durable map of byte-array values, the unit of the event store's storage port.
 *
 * <p><b>Thread safety:</b> implementations are safe for concurrent use; a {@link #get} sees either
 * the whole old or the whole new value of a key.
 *
 * <p><b>Durability:</b> when {@link #put}, {@link #putAll} or {@link #remove} returns, the change
 * survives a crash of the process (it is in the operating system's files, or in memory for the
 * in-memory implementation, which survives only as long as the object). Whether it survives a power
 * loss depends on the implementation's sync setting. Writes done one after another become durable
 * in that order.
 *
 * <p><b>Atomicity:</b> single-key operations only. {@link #putAll} is a batch for speed, not a
 * transaction: a crash may leave any subset of it written. The event store is built so that this
 * never matters (see {@code DefaultEventStore}).
 *
 * <p><b>Failure handling:</b> I/O failures surface as unchecked exceptions; the caller treats the
 * store as failed.
 *
 * @param <K> key type ({@link Long} or {@link String})
 */
public interface KeyValueMap<K> {

  /** The value, or null if absent. The returned array must not be modified. */
  byte[] get(K key);

  /** Stores a value; the array must not be modified afterwards. */
  void put(K key, byte[] value);

  /** Stores several values (not atomically; see the class comment). */
  void putAll(Map<K, byte[]> entries);

  /** Removes a key if present. */
  void remove(K key);

  /**
   * All entries, weakly consistent with concurrent writes (each entry is some value the key had
   * during the scan). The stream must be closed.
   */
  Stream<Map.Entry<K, byte[]>> entries();

  /** Removes every entry. */
  void clear();
}

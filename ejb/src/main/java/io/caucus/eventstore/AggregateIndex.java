package io.caucus.eventstore;

import io.caucus.eventstore.storage.StoragePort;

/** Reads the per-aggregate index ({@link AggregateHead} plus its chunks). Thread-safe. */
final class AggregateIndex {

  private final StoragePort storage;

  AggregateIndex(StoragePort storage) {
    this.storage = storage;
  }

  /** The aggregate's head, or null if it has none. */
  AggregateHead head(String aggregateId) {
    byte[] value = storage.aggregates().get(aggregateId);
    return value == null ? null : AggregateHead.decode(value);
  }

  /**
   * The event references ({@link EventLog#ref}) of sequence numbers {@code from..to} (inclusive,
   * within {@code 0..lastSequence}) of the aggregate described by {@code head}.
   */
  long[] refs(String aggregateId, AggregateHead head, long from, long to) {
    if (to < from) {
      return new long[0];
    }
    long[] out = new long[Math.toIntExact(to - from + 1)];
    long fullChunks = head.fullChunks();
    long loadedChunk = -1;
    long[] chunk = null;
    for (long s = from; s <= to; s++) {
      long c = s / AggregateHead.CHUNK;
      int i = (int) (s % AggregateHead.CHUNK);
      if (c == fullChunks) {
        out[(int) (s - from)] = head.tail()[i];
        continue;
      }
      if (c != loadedChunk) {
        byte[] value = storage.aggregateChunks().get(AggregateHead.chunkKey(aggregateId, c));
        if (value == null) {
          throw new StorageFailureException(
              "Index chunk " + c + " of aggregate " + aggregateId + " is missing");
        }
        chunk = AggregateHead.decodeChunk(value);
        loadedChunk = c;
      }
      out[(int) (s - from)] = chunk[i];
    }
    return out;
  }
}

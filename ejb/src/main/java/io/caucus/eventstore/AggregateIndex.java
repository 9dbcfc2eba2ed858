package io.caucus.eventstore;

import io.caucus.eventstore.storage.StoragePort;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/**
 * The per-aggregate index ({@link AggregateHead} plus its full chunks) in one of the two key
 * layouts of {@link StoreFormat}.
 *
 * <ul>
 *   <li><b>Plain keys</b> (format 1, stores written before format records): head under the
 *       identifier, chunk {@code n} under {@code n/<identifier>}. Identifiers become file-store
 *       keys, which the file store limits to about 4 KB.
 *   <li><b>Hashed keys</b> (format 2): the head record is a <em>bucket</em> under {@link #hashKey}
 *       (22 characters: the first 128 bits of the SHA-256 of the identifier's UTF-8, base64url),
 *       holding every aggregate whose identifier has that hash, each with its full identifier and
 *       head, in the order they were first written. An aggregate is found by comparing identifiers,
 *       so two identifiers with the same hash never mix; its position in the bucket (its slot)
 *       never changes (aggregates are never removed one by one), and its chunk {@code n} is under
 *       {@code n/<hash>/<slot>}. Keys are a fixed size whatever the identifier's length. Bucket:
 *       {@code version:uint8 = 1}, {@code count:int32}, per aggregate its identifier (string) and
 *       head ({@link AggregateHead#encode}, as bytes).
 * </ul>
 *
 * <p>Thread safety: reads are thread-safe; a {@link Writes} belongs to the one thread applying an
 * entry (or installing a chunk). The layout is set by the store on open and on a snapshot install,
 * before any read or write of the index.
 */
final class AggregateIndex {

  private static final int BUCKET_VERSION = 1;

  private final StoragePort storage;
  private final Function<String, String> hash;
  private volatile boolean hashed = true;

  AggregateIndex(StoragePort storage) {
    this(storage, AggregateIndex::hashKey);
  }

  /** With another hash function: tests force collisions with it. */
  AggregateIndex(StoragePort storage, Function<String, String> hash) {
    this.storage = storage;
    this.hash = hash;
  }

  /** Reads and writes in the key layout of store format {@code format}. */
  void useFormat(int format) {
    hashed = format == StoreFormat.HASHED_KEYS;
  }

  /** The first 128 bits of the identifier's SHA-256, base64url without padding (22 characters). */
  static String hashKey(String aggregateId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(aggregateId.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The aggregate's head, or null if it has none. */
  AggregateHead head(String aggregateId) {
    if (!hashed) {
      byte[] value = storage.aggregates().get(aggregateId);
      return value == null ? null : AggregateHead.decode(value);
    }
    Bucket b = Bucket.decode(storage.aggregates().get(hash.apply(aggregateId)));
    int slot = b.slot(aggregateId);
    return slot < 0 ? null : b.heads.get(slot);
  }

  /** Every aggregate with its head, in no particular order. The stream must be closed. */
  Stream<Map.Entry<String, AggregateHead>> all() {
    Stream<Map.Entry<String, byte[]>> records = storage.aggregates().entries();
    if (!hashed) {
      return records.map(e -> entry(e.getKey(), AggregateHead.decode(e.getValue())));
    }
    return records.flatMap(
        e -> {
          Bucket b = Bucket.decode(e.getValue());
          List<Map.Entry<String, AggregateHead>> out = new ArrayList<>(b.ids.size());
          for (int i = 0; i < b.ids.size(); i++) {
            out.add(entry(b.ids.get(i), b.heads.get(i)));
          }
          return out.stream();
        });
  }

  private static Map.Entry<String, AggregateHead> entry(String id, AggregateHead head) {
    return new AbstractMap.SimpleImmutableEntry<>(id, head);
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
    LongFunction<String> chunkKeys = null;
    for (long s = from; s <= to; s++) {
      long c = s / AggregateHead.CHUNK;
      int i = (int) (s % AggregateHead.CHUNK);
      if (c == fullChunks) {
        out[(int) (s - from)] = head.tail()[i];
        continue;
      }
      if (c != loadedChunk) {
        if (chunkKeys == null) {
          chunkKeys = storedChunkKeys(aggregateId);
        }
        byte[] value = storage.aggregateChunks().get(chunkKeys.apply(c));
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

  private LongFunction<String> storedChunkKeys(String aggregateId) {
    if (!hashed) {
      return c -> c + "/" + aggregateId;
    }
    String key = hash.apply(aggregateId);
    int slot = Bucket.decode(storage.aggregates().get(key)).slot(aggregateId);
    if (slot < 0) {
      throw new StorageFailureException("Aggregate " + aggregateId + " has no head");
    }
    return c -> c + "/" + key + "/" + slot;
  }

  /** Collects the index writes of one entry (or one installed snapshot chunk). */
  Writes writes() {
    return new Writes();
  }

  /**
   * The records one entry writes, staged before any is written: {@link #chunks} first, then {@link
   * #heads} (see {@link DefaultEventStore} for why that order).
   */
  final class Writes {
    /** Full index chunks by storage key. */
    final Map<String, byte[]> chunks = new HashMap<>();

    private final Map<String, Bucket> buckets = new HashMap<>();
    private final Map<String, AggregateHead> plainHeads = new HashMap<>();

    private Writes() {}

    /**
     * The storage keys of the aggregate's chunks; in the hashed layout this gives a new aggregate
     * its slot, so {@link #put} must follow for it.
     */
    LongFunction<String> chunkKeys(String aggregateId) {
      if (!hashed) {
        return c -> c + "/" + aggregateId;
      }
      String key = hash.apply(aggregateId);
      Bucket b = bucket(key);
      int found = b.slot(aggregateId);
      int slot = found >= 0 ? found : b.add(aggregateId);
      return c -> c + "/" + key + "/" + slot;
    }

    /** Stages the aggregate's new head. */
    void put(String aggregateId, AggregateHead head) {
      if (!hashed) {
        plainHeads.put(aggregateId, head);
        return;
      }
      Bucket b = bucket(hash.apply(aggregateId));
      int slot = b.slot(aggregateId);
      b.heads.set(slot >= 0 ? slot : b.add(aggregateId), head);
    }

    private Bucket bucket(String key) {
      return buckets.computeIfAbsent(key, k -> Bucket.decode(storage.aggregates().get(k)));
    }

    /** Head records by storage key. */
    Map<String, byte[]> heads() {
      Map<String, byte[]> out = new HashMap<>((plainHeads.size() + buckets.size()) * 2);
      plainHeads.forEach((id, head) -> out.put(id, head.encode()));
      buckets.forEach((key, bucket) -> out.put(key, bucket.encode()));
      return out;
    }
  }

  /** The aggregates sharing one hash key, in slot order. */
  private static final class Bucket {
    final List<String> ids;
    final List<AggregateHead> heads;

    private Bucket(List<String> ids, List<AggregateHead> heads) {
      this.ids = ids;
      this.heads = heads;
    }

    static Bucket decode(byte[] value) {
      if (value == null) {
        return new Bucket(new ArrayList<>(1), new ArrayList<>(1));
      }
      ByteReader r = new ByteReader(value);
      if (r.getByte() != BUCKET_VERSION) {
        throw new EncodingException("unknown aggregate bucket version");
      }
      int n = r.getCount(8);
      List<String> ids = new ArrayList<>(n + 1);
      List<AggregateHead> heads = new ArrayList<>(n + 1);
      for (int i = 0; i < n; i++) {
        ids.add(r.getString());
        heads.add(AggregateHead.decode(r.getBytes()));
      }
      r.expectEnd();
      return new Bucket(ids, heads);
    }

    int slot(String aggregateId) {
      return ids.indexOf(aggregateId);
    }

    int add(String aggregateId) {
      ids.add(aggregateId);
      heads.add(null);
      return ids.size() - 1;
    }

    byte[] encode() {
      List<byte[]> encoded = new ArrayList<>(heads.size());
      int size = 8;
      for (int i = 0; i < heads.size(); i++) {
        encoded.add(heads.get(i).encode());
        size += 8 + ids.get(i).length() * 3 + encoded.get(i).length;
      }
      ByteWriter w = new ByteWriter(size);
      w.putByte(BUCKET_VERSION).putInt(ids.size());
      for (int i = 0; i < ids.size(); i++) {
        w.putString(ids.get(i)).putBytes(encoded.get(i));
      }
      return w.toByteArray();
    }
  }
}

package io.caucus.eventstore;

import io.caucus.eventstore.storage.StoragePort;
import java.util.List;
import java.util.Map;

/**
 * The context's events, stored one value per transaction ("batch") under the token of its first
 * event, because the file store's cost is per key, not per byte: one put for a transaction of 100
 * events instead of 100.
 *
 * <p>To find the batch holding any token without a scan, the meta record {@code b/<page>} holds,
 * for each page of {@link #PAGE} tokens, the first token of the batch that holds the page's first
 * token; from there batches are walked forward (each knows its size). The aggregate index does not
 * need this: it stores {@link #ref references} (batch key and position) directly.
 *
 * <p>Batch format: {@code version:uint8 = 1}, {@code logIndex:int64}, {@code count:int32}, {@code
 * count} end offsets (int32, relative to the first event), the events ({@link EventCodec}).
 *
 * <p>Every record here is a function of the log, so writing one twice writes the same bytes.
 * Thread-safe for reads; writes are staged by the applying thread only.
 */
final class EventLog {

  static final int PAGE = 256;

  /** At most this many events per transaction: a reference keeps the position in 16 bits. */
  static final int MAX_BATCH = 65_535;

  private static final int VERSION = 1;

  private final StoragePort storage;

  EventLog(StoragePort storage) {
    this.storage = storage;
  }

  /** One decoded batch header; events are decoded one at a time on demand. */
  static final class Batch {
    final long key;
    final long logIndex;
    final int count;
    private final byte[] raw;
    private final int[] ends;
    private final int base;

    private Batch(long key, byte[] raw) {
      this.key = key;
      this.raw = raw;
      ByteReader r = new ByteReader(raw);
      if (r.getByte() != VERSION) {
        throw new EncodingException("unknown event batch version");
      }
      this.logIndex = r.getLong();
      this.count = r.getCount(4);
      this.ends = new int[count];
      for (int i = 0; i < count; i++) {
        ends[i] = r.getInt();
      }
      this.base = r.position();
      if (count == 0 || ends[count - 1] != raw.length - base) {
        throw new EncodingException("event batch " + key + " offsets do not match its size");
      }
    }

    /** Token after this batch's last event. */
    long end() {
      return key + count;
    }

    Event event(int i) {
      int from = i == 0 ? 0 : ends[i - 1];
      if (from < 0 || from > ends[i]) {
        throw new EncodingException("event batch " + key + " has bad offsets");
      }
      ByteReader r = new ByteReader(raw, base + from, ends[i] - from);
      Event e = EventCodec.read(r);
      r.expectEnd();
      return e;
    }

    Event eventAt(long token) {
      return event((int) (token - key));
    }
  }

  static String pageKey(long page) {
    return "b/" + page;
  }

  /** Reference to the {@code index}-th event of the batch at {@code key}. */
  static long ref(long key, int index) {
    return (key << 16) | index;
  }

  static long refKey(long ref) {
    return ref >>> 16;
  }

  static long refToken(long ref) {
    return (ref >>> 16) + (ref & 0xffff);
  }

  static int refIndex(long ref) {
    return (int) (ref & 0xffff);
  }

  /** Adds the writes storing {@code events} as the batch starting at {@code first}. */
  static void stage(
      long first,
      long logIndex,
      List<Event> events,
      Map<Long, byte[]> eventWrites,
      Map<String, byte[]> metaWrites) {
    ByteWriter body = new ByteWriter(events.size() * 400);
    int[] ends = new int[events.size()];
    for (int i = 0; i < ends.length; i++) {
      EventCodec.write(events.get(i), body);
      ends[i] = body.size();
    }
    ByteWriter w = new ByteWriter(body.size() + 16 + 4 * ends.length);
    w.putByte(VERSION).putLong(logIndex).putInt(ends.length);
    for (int e : ends) {
      w.putInt(e);
    }
    w.putRaw(body.array(), 0, body.size());
    eventWrites.put(first, w.toByteArray());
    long end = first + events.size();
    for (long page = (first + PAGE - 1) / PAGE; page * PAGE < end; page++) {
      metaWrites.put(pageKey(page), new ByteWriter(8).putLong(first).toByteArray());
    }
  }

  /** The batch stored at {@code key}, or null if there is none. */
  Batch batch(long key) {
    byte[] v = storage.events().get(key);
    return v == null ? null : new Batch(key, v);
  }

  /**
   * The batch holding {@code token}, given that batches from {@code firstToken} (a batch start) up
   * to past {@code token} exist; null if one of them has just been removed by retention.
   */
  Batch batchHolding(long token, long firstToken) {
    byte[] p = storage.meta().get(pageKey(token / PAGE));
    if (p == null) {
      throw new StorageFailureException("Batch page record of token " + token + " is missing");
    }
    long key = Math.max(new ByteReader(p).getLong(), firstToken);
    while (true) {
      Batch b = batch(key);
      if (b == null) {
        return null;
      }
      if (token < b.end()) {
        return b;
      }
      key = b.end();
    }
  }

  /** Receives events in token order; returns false to stop. */
  interface Visitor {
    boolean visit(long token, Event event);
  }

  /**
   * Visits the events with tokens in {@code [from, to)} (all at or above {@code firstToken}) in
   * token order; events removed meanwhile by retention end the walk early.
   */
  void forEach(long from, long to, long firstToken, Visitor visitor) {
    if (from >= to) {
      return;
    }
    Batch b = batchHolding(from, firstToken);
    long t = from;
    while (b != null && t < to) {
      for (; t < Math.min(to, b.end()); t++) {
        if (!visitor.visit(t, b.eventAt(t))) {
          return;
        }
      }
      if (t < to) {
        b = batch(b.end());
      }
    }
  }
}

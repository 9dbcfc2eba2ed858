package io.caucus.eventstore;

import java.util.Arrays;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The per-aggregate index record, one key per aggregate, so sequence checks and reads never scan.
 *
 * <p>References to an aggregate's events (sequence {@code s} → {@link EventLog#ref}: batch key and
 * position, from which the token follows) are kept in chunks of {@link #CHUNK}: full chunks under
 * their own keys (see {@link AggregateIndex}), written once and never changed; the last, partial
 * chunk ({@link #tail}) inside this record. So an append rewrites one small record (plus a full
 * chunk every {@code CHUNK} events), and a read of {@code n} events loads {@code n / CHUNK + 1}
 * records.
 *
 * <p>Invariants: {@code tail.length == (lastSequence + 1) % CHUNK}; references (and their tokens)
 * increase with sequence; {@code snapshotSequences} and {@code snapshotOrdinals} have equal length
 * and are in the order the snapshots were stored (increasing ordinals). {@code lastLogIndex} is the
 * log index of the last entry that wrote this record: an apply that finds its own index here knows
 * it already wrote it (crash recovery, see {@link DefaultEventStore}).
 *
 * <p>Format: {@code version:uint8 = 1}, type, lastSequence, lastLogIndex, tail (count + tokens),
 * snapshots (count + sequence/ordinal pairs).
 */
record AggregateHead(
    String type,
    long lastSequence,
    long lastLogIndex,
    long[] tail,
    long[] snapshotSequences,
    long[] snapshotOrdinals) {

  static final int CHUNK = 32;
  private static final int VERSION = 1;
  private static final long[] NONE = new long[0];

  static AggregateHead empty(String type) {
    return new AggregateHead(type, -1, 0, NONE, NONE, NONE);
  }

  /** Number of full chunks stored under their own keys. */
  long fullChunks() {
    return (lastSequence + 1) / CHUNK;
  }

  /**
   * This head after appending events with references {@code tokens} (for the next sequence numbers)
   * in the entry at {@code logIndex}; full chunks that spill out are added to {@code chunkWrites}
   * under {@code chunkKeys} of their chunk number.
   */
  AggregateHead append(
      LongFunction<String> chunkKeys,
      long[] tokens,
      int count,
      long logIndex,
      Map<String, byte[]> chunkWrites) {
    long chunk = fullChunks();
    long[] pending = Arrays.copyOf(tail, tail.length + count);
    System.arraycopy(tokens, 0, pending, tail.length, count);
    int offset = 0;
    while (pending.length - offset >= CHUNK) {
      chunkWrites.put(
          chunkKeys.apply(chunk++),
          encodeChunk(Arrays.copyOfRange(pending, offset, offset + CHUNK)));
      offset += CHUNK;
    }
    return new AggregateHead(
        type,
        lastSequence + count,
        logIndex,
        Arrays.copyOfRange(pending, offset, pending.length),
        snapshotSequences,
        snapshotOrdinals);
  }

  /** This head with one more snapshot reference, written by the entry at {@code logIndex}. */
  AggregateHead withSnapshot(long sequence, long ordinal, long logIndex) {
    long[] seqs = Arrays.copyOf(snapshotSequences, snapshotSequences.length + 1);
    long[] ords = Arrays.copyOf(snapshotOrdinals, snapshotOrdinals.length + 1);
    seqs[seqs.length - 1] = sequence;
    ords[ords.length - 1] = ordinal;
    return new AggregateHead(type, lastSequence, logIndex, tail, seqs, ords);
  }

  byte[] encode() {
    ByteWriter w =
        new ByteWriter(48 + type.length() + 8 * tail.length + 16 * snapshotOrdinals.length);
    w.putByte(VERSION).putString(type).putLong(lastSequence).putLong(lastLogIndex);
    w.putInt(tail.length);
    for (long t : tail) {
      w.putLong(t);
    }
    w.putInt(snapshotSequences.length);
    for (int i = 0; i < snapshotSequences.length; i++) {
      w.putLong(snapshotSequences[i]).putLong(snapshotOrdinals[i]);
    }
    return w.toByteArray();
  }

  static AggregateHead decode(byte[] value) {
    ByteReader r = new ByteReader(value);
    if (r.getByte() != VERSION) {
      throw new EncodingException("unknown aggregate head version");
    }
    String type = r.getString();
    long last = r.getLong();
    long logIndex = r.getLong();
    long[] tail = new long[r.getCount(8)];
    for (int i = 0; i < tail.length; i++) {
      tail[i] = r.getLong();
    }
    int n = r.getCount(16);
    long[] seqs = new long[n];
    long[] ords = new long[n];
    for (int i = 0; i < n; i++) {
      seqs[i] = r.getLong();
      ords[i] = r.getLong();
    }
    r.expectEnd();
    AggregateHead head = new AggregateHead(type, last, logIndex, tail, seqs, ords);
    if (tail.length != (last + 1) % CHUNK) {
      throw new EncodingException("aggregate head tail does not match its last sequence");
    }
    return head;
  }

  static byte[] encodeChunk(long[] tokens) {
    ByteWriter w = new ByteWriter(8 * tokens.length + 4);
    for (long t : tokens) {
      w.putLong(t);
    }
    return w.toByteArray();
  }

  static long[] decodeChunk(byte[] value) {
    if (value.length != 8 * CHUNK) {
      throw new EncodingException("aggregate index chunk of " + value.length + " bytes");
    }
    ByteReader r = new ByteReader(value);
    long[] tokens = new long[CHUNK];
    for (int i = 0; i < CHUNK; i++) {
      tokens[i] = r.getLong();
    }
    return tokens;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregateHead h
        && h.type.equals(type)
        && h.lastSequence == lastSequence
        && h.lastLogIndex == lastLogIndex
        && Arrays.equals(h.tail, tail)
        && Arrays.equals(h.snapshotSequences, snapshotSequences)
        && Arrays.equals(h.snapshotOrdinals, snapshotOrdinals);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(lastSequence) * 31 + type.hashCode();
  }

  @Override
  public String toString() {
    return "AggregateHead[" + type + " last=" + lastSequence + " at=" + lastLogIndex + "]";
  }
}

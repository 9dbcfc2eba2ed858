package io.caucus.eventstore;

import io.caucus.eventstore.storage.StoragePort;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Produces a whole-state-machine snapshot of a context as bounded chunks ({@link
 * StateSnapshotFormat}), as of the applied position when it was opened, while appends go on.
 *
 * <p>Why concurrent appends do no harm: event batches and snapshots are immutable once written and
 * only those below the captured next token / next ordinal are sent; full index chunks never change;
 * a head that changed after the captured position is cut back to the tokens below the captured next
 * token (an aggregate's tokens increase with its sequence) and the snapshot references below the
 * captured ordinal. Retention removes nothing while a reader is open.
 *
 * <p>Lifecycle: obtained from {@link ContextStateMachine#openStateSnapshot}; call {@link
 * #nextChunk()} until it returns null, then (or on giving up) {@link #close()}. Not thread-safe:
 * one consumer.
 */
public final class StateSnapshotReader implements AutoCloseable {

  private final StoragePort storage;
  private final AggregateIndex index;
  private final EventLog eventLog;
  private final AppliedPosition position;
  private final RetainedRange retained;
  private final int maxChunkBytes;
  private final Runnable onClose;

  private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
  private int phase;
  private long page;
  private long batchPage;
  private long token;
  private long ordinal;
  private Stream<Map.Entry<String, AggregateHead>> aggregateStream;
  private Iterator<Map.Entry<String, AggregateHead>> aggregateIterator;
  private int chunkNumber;
  private boolean done;
  private boolean closed;

  StateSnapshotReader(
      StoragePort storage,
      AggregateIndex index,
      EventLog eventLog,
      AppliedPosition position,
      RetainedRange retained,
      int maxChunkBytes,
      Runnable onClose) {
    this.storage = storage;
    this.index = index;
    this.eventLog = eventLog;
    this.position = position;
    this.retained = retained;
    this.maxChunkBytes = maxChunkBytes;
    this.onClose = onClose;
    this.token = retained.firstToken();
    this.batchPage = retained.firstToken() / EventLog.PAGE;
    this.ordinal = retained.firstSnapshotOrdinal();
  }

  /** The last log index the snapshot includes; the receiver continues from the entry after it. */
  public long lastIncludedIndex() {
    return position.lastApplied();
  }

  /** The next chunk, or null after the last one. */
  public byte[] nextChunk() {
    if (closed) {
      throw new IllegalStateException("snapshot reader is closed");
    }
    if (done) {
      return null;
    }
    ByteWriter payload = new ByteWriter(Math.min(maxChunkBytes, 1 << 16));
    while (true) {
      byte[] record = nextRecord();
      if (record == null) {
        done = true;
        return StateSnapshotFormat.chunk(chunkNumber++, true, payload);
      }
      if (payload.size() > 0 && payload.size() + record.length > maxChunkBytes - 24) {
        pending.addFirst(record);
        return StateSnapshotFormat.chunk(chunkNumber++, false, payload);
      }
      payload.putRaw(record, 0, record.length);
    }
  }

  private byte[] nextRecord() {
    if (!pending.isEmpty()) {
      return pending.pollFirst();
    }
    switch (phase) {
      case 0 -> {
        phase = 1;
        return new ByteWriter(48)
            .putByte(StateSnapshotFormat.HEADER)
            .putLong(position.lastApplied())
            .putLong(position.nextToken())
            .putLong(position.nextSnapshotOrdinal())
            .putLong(retained.firstToken())
            .putLong(retained.firstSnapshotOrdinal())
            .toByteArray();
      }
      case 1 -> {
        if (page < position.nextToken() / TimeIndex.PAGE) {
          byte[] v = storage.meta().get(TimeIndex.key(page));
          if (v == null) {
            throw new StorageFailureException("Time index page " + page + " is missing");
          }
          return new ByteWriter(24)
              .putByte(StateSnapshotFormat.TIME_PAGE)
              .putLong(page++)
              .putRaw(v, 0, v.length)
              .toByteArray();
        }
        if (batchPage * EventLog.PAGE < position.nextToken()) {
          byte[] v = storage.meta().get(EventLog.pageKey(batchPage));
          if (v == null) {
            throw new StorageFailureException("Batch page " + batchPage + " is missing");
          }
          return new ByteWriter(24)
              .putByte(StateSnapshotFormat.BATCH_PAGE)
              .putLong(batchPage++)
              .putRaw(v, 0, v.length)
              .toByteArray();
        }
        phase = 2;
        return nextRecord();
      }
      case 2 -> {
        if (token < position.nextToken()) {
          byte[] v = storage.events().get(token);
          if (v == null) {
            throw new StorageFailureException("Event batch " + token + " is missing");
          }
          long key = token;
          token = eventLog.batch(key).end();
          return new ByteWriter(v.length + 16)
              .putByte(StateSnapshotFormat.EVENT)
              .putLong(key)
              .putBytes(v)
              .toByteArray();
        }
        phase = 3;
        return nextRecord();
      }
      case 3 -> {
        if (ordinal < position.nextSnapshotOrdinal()) {
          byte[] v = storage.snapshots().get(ordinal);
          if (v == null) {
            throw new StorageFailureException("Snapshot " + ordinal + " is missing");
          }
          return new ByteWriter(v.length + 16)
              .putByte(StateSnapshotFormat.SNAPSHOT)
              .putLong(ordinal++)
              .putBytes(v)
              .toByteArray();
        }
        phase = 4;
        aggregateStream = index.all();
        aggregateIterator = aggregateStream.iterator();
        return nextRecord();
      }
      case 4 -> {
        while (aggregateIterator.hasNext()) {
          Map.Entry<String, AggregateHead> e = aggregateIterator.next();
          if (queueAggregate(e.getKey(), e.getValue())) {
            return pending.pollFirst();
          }
        }
        aggregateStream.close();
        aggregateStream = null;
        phase = 5;
        return new byte[] {StateSnapshotFormat.END};
      }
      default -> {
        return null;
      }
    }
  }

  /** Queues the records of one aggregate as of the captured position; false if it had none. */
  private boolean queueAggregate(String id, AggregateHead head) {
    long[] tokens = index.refs(id, head, 0, head.lastSequence());
    int count = 0;
    while (count < tokens.length && EventLog.refToken(tokens[count]) < position.nextToken()) {
      count++;
    }
    long[] seqs = head.snapshotSequences();
    long[] ords = head.snapshotOrdinals();
    int refs = 0;
    while (refs < ords.length && ords[refs] < position.nextSnapshotOrdinal()) {
      refs++;
    }
    if (count == 0 && refs == 0) {
      return false; // created after the captured position
    }
    for (int from = 0; from < count; from += StateSnapshotFormat.TOKENS_PER_RECORD) {
      int n = Math.min(StateSnapshotFormat.TOKENS_PER_RECORD, count - from);
      ByteWriter w = new ByteWriter(16 + id.length() * 3 + 8 * n);
      w.putByte(StateSnapshotFormat.AGGREGATE_TOKENS).putString(id).putInt(n);
      for (long t : Arrays.copyOfRange(tokens, from, from + n)) {
        w.putLong(t);
      }
      pending.addLast(w.toByteArray());
    }
    ByteWriter w = new ByteWriter(32 + id.length() * 3 + 16 * refs);
    w.putByte(StateSnapshotFormat.AGGREGATE)
        .putString(id)
        .putString(head.type())
        .putLong(count - 1L)
        .putInt(refs);
    for (int i = 0; i < refs; i++) {
      w.putLong(seqs[i]).putLong(ords[i]);
    }
    pending.addLast(w.toByteArray());
    return true;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (aggregateStream != null) {
        aggregateStream.close();
      }
      onClose.run();
    }
  }
}

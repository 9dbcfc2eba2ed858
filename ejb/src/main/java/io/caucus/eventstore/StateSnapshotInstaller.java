package io.caucus.eventstore;

import io.caucus.eventstore.storage.StoragePort;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.zip.CRC32C;

/**
 * Installs a whole-state-machine snapshot, chunk by chunk, into a store emptied by {@link
 * ContextStateMachine#beginInstall()}. When {@link #finish()} returns, the store reads exactly like
 * the source did at {@link StateSnapshotReader#lastIncludedIndex()} and continues from the log
 * entry after it.
 *
 * <p>Failure handling: a chunk that is corrupt, out of order or of another format is refused with
 * {@link EncodingException} before any of its records is written; the transfer may then be resumed
 * from that chunk or restarted with a new {@code beginInstall()}. Until {@code finish()} the store
 * is marked incomplete (see {@link ContextStateMachine#beginInstall()}).
 *
 * <p>Not thread-safe: the group runner's thread only.
 */
public final class StateSnapshotInstaller {

  private final StoragePort storage;
  private final AggregateIndex index;
  private final Runnable onFinish;
  private int expectedChunk;
  private boolean lastSeen;
  private boolean ended;
  private boolean finished;
  private AppliedPosition position;
  private RetainedRange retained;
  private String currentAggregate;
  private long[] currentTokens = new long[64];
  private int currentCount;

  StateSnapshotInstaller(StoragePort storage, AggregateIndex index, Runnable onFinish) {
    this.storage = storage;
    this.index = index;
    this.onFinish = onFinish;
  }

  /** Writes one chunk; chunks must come in the order the reader produced them. */
  public void accept(byte[] chunk) {
    if (finished || lastSeen) {
      throw new IllegalStateException("the snapshot's last chunk was already installed");
    }
    if (chunk == null || chunk.length < 18) {
      throw new EncodingException("snapshot chunk too short");
    }
    CRC32C crc = new CRC32C();
    crc.update(chunk, 0, chunk.length - 4);
    if ((int) crc.getValue() != new ByteReader(chunk, chunk.length - 4, 4).getInt()) {
      throw new EncodingException("snapshot chunk checksum mismatch");
    }
    ByteReader r = new ByteReader(chunk, 0, chunk.length - 4);
    if (r.getInt() != StateSnapshotFormat.MAGIC) {
      throw new EncodingException("not a snapshot chunk (wrong magic)");
    }
    int version = r.getByte();
    if (version != StateSnapshotFormat.VERSION) {
      throw new EncodingException("snapshot chunk version " + version);
    }
    int number = r.getInt();
    if (number != expectedChunk) {
      throw new EncodingException("snapshot chunk " + number + ", expected " + expectedChunk);
    }
    boolean last = r.getByte() == 1;
    int length = r.getCount(1);
    if (length != r.remaining()) {
      throw new EncodingException("snapshot chunk payload length mismatch");
    }
    Map<Long, byte[]> events = new HashMap<>();
    Map<Long, byte[]> snapshots = new HashMap<>();
    Map<String, byte[]> meta = new HashMap<>();
    AggregateIndex.Writes aggregates = index.writes();
    while (r.remaining() > 0) {
      int kind = r.getByte();
      if (position == null && kind != StateSnapshotFormat.HEADER) {
        throw new EncodingException("snapshot does not start with its header");
      }
      switch (kind) {
        case StateSnapshotFormat.HEADER -> {
          position = new AppliedPosition(r.getLong(), r.getLong(), r.getLong());
          long first = r.getLong();
          retained = new RetainedRange(first, r.getLong(), first);
        }
        case StateSnapshotFormat.TIME_PAGE -> {
          long page = r.getLong();
          meta.put(TimeIndex.key(page), new ByteWriter(8).putLong(r.getLong()).toByteArray());
        }
        case StateSnapshotFormat.BATCH_PAGE -> {
          long page = r.getLong();
          meta.put(EventLog.pageKey(page), new ByteWriter(8).putLong(r.getLong()).toByteArray());
        }
        case StateSnapshotFormat.EVENT -> events.put(r.getLong(), r.getBytes());
        case StateSnapshotFormat.SNAPSHOT -> snapshots.put(r.getLong(), r.getBytes());
        case StateSnapshotFormat.AGGREGATE_TOKENS -> readTokens(r);
        case StateSnapshotFormat.AGGREGATE -> readHead(r, aggregates);
        case StateSnapshotFormat.END -> ended = true;
        default -> throw new EncodingException("unknown snapshot record kind " + kind);
      }
    }
    storage.events().putAll(events);
    storage.snapshots().putAll(snapshots);
    storage.meta().putAll(meta);
    storage.aggregateChunks().putAll(aggregates.chunks);
    storage.aggregates().putAll(aggregates.heads());
    expectedChunk++;
    lastSeen = last;
  }

  private void readTokens(ByteReader r) {
    String id = r.getString();
    if (!id.equals(currentAggregate)) {
      currentAggregate = id;
      currentCount = 0;
    }
    int n = r.getCount(8);
    if (currentCount + n > currentTokens.length) {
      currentTokens =
          Arrays.copyOf(currentTokens, Math.max(currentTokens.length * 2, currentCount + n));
    }
    for (int i = 0; i < n; i++) {
      currentTokens[currentCount++] = r.getLong();
    }
  }

  private void readHead(ByteReader r, AggregateIndex.Writes aggregates) {
    String id = r.getString();
    String type = r.getString();
    long lastSequence = r.getLong();
    int count = id.equals(currentAggregate) ? currentCount : 0;
    if (lastSequence + 1 != count) {
      throw new EncodingException(
          "aggregate " + id + " has " + count + " tokens for last sequence " + lastSequence);
    }
    int refs = r.getCount(16);
    long[] seqs = new long[refs];
    long[] ords = new long[refs];
    for (int i = 0; i < refs; i++) {
      seqs[i] = r.getLong();
      ords[i] = r.getLong();
    }
    int full = count / AggregateHead.CHUNK;
    LongFunction<String> chunkKeys = aggregates.chunkKeys(id);
    for (int c = 0; c < full; c++) {
      aggregates.chunks.put(
          chunkKeys.apply(c),
          AggregateHead.encodeChunk(
              Arrays.copyOfRange(
                  currentTokens, c * AggregateHead.CHUNK, (c + 1) * AggregateHead.CHUNK)));
    }
    long[] tail = Arrays.copyOfRange(currentTokens, full * AggregateHead.CHUNK, count);
    aggregates.put(
        id, new AggregateHead(type, lastSequence, position.lastApplied(), tail, seqs, ords));
    currentAggregate = null;
    currentCount = 0;
  }

  /**
   * Completes the install: records the applied position and makes the store usable again.
   *
   * @throws IllegalStateException if the last chunk has not been installed
   */
  public void finish() {
    if (!lastSeen || !ended) {
      throw new IllegalStateException("the snapshot's last chunk has not been installed yet");
    }
    if (finished) {
      return;
    }
    finished = true;
    storage.meta().put(DefaultEventStore.RETENTION, retained.encode());
    storage.meta().put(DefaultEventStore.STATE, position.encode());
    onFinish.run();
  }

  /** The last log index the installed snapshot includes (known after the first chunk). */
  public long lastIncludedIndex() {
    if (position == null) {
      throw new IllegalStateException("no chunk installed yet");
    }
    return position.lastApplied();
  }
}

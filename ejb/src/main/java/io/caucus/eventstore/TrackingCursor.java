package io.caucus.eventstore;

import java.util.List;

/**
 * A pull-based position in a context's event stream: each {@link #next()} returns the following
 * batch (possibly empty when caught up; call again later). Not thread-safe: one consumer.
 */
public final class TrackingCursor {

  private final EventStoreReader reader;
  private final int batchSize;
  private long position;

  TrackingCursor(EventStoreReader reader, long fromToken, int batchSize) {
    if (fromToken < 0 || batchSize < 1) {
      throw EventStoreException.of(
          io.caucus.error.ErrorCode.INVALID_REQUEST,
          "tracking needs a token >= 0 and a batch size >= 1");
    }
    this.reader = reader;
    this.position = fromToken;
    this.batchSize = batchSize;
  }

  /** The next batch in token order; empty if there is nothing new yet. */
  public List<StoredEvent> next() {
    List<StoredEvent> batch = reader.readEvents(position, batchSize);
    if (!batch.isEmpty()) {
      position = batch.get(batch.size() - 1).token() + 1;
    }
    return batch;
  }

  /** The token the next batch starts at. */
  public long position() {
    return position;
  }
}

package io.caucus.eventstore;

import java.util.List;

/**
 * The reads of a context's event store, answered from the local member's storage.
 *
 * <p><b>Thread safety:</b> all methods may be called from any thread, concurrently with {@code
 * apply}; event reads see exactly the entries whose {@code apply} has returned ({@link
 * #highestSequence} may already count an entry that is being applied).
 *
 * <p><b>Failure handling:</b> invalid arguments give {@link EventStoreException} with {@code
 * INVALID_REQUEST}; ranges removed by retention give {@code DATA_NOT_AVAILABLE} (read them from a
 * SECONDARY member); storage failures give {@link StorageFailureException}.
 */
public interface EventStoreReader {

  /**
   * Up to {@code maxCount} events from {@code fromToken} on, in token order; empty when {@code
   * fromToken} is past the last event. A tracking processor calls this repeatedly (see {@link
   * TrackingCursor}), which is its backpressure: nothing is produced that was not asked for.
   */
  List<StoredEvent> readEvents(long fromToken, int maxCount);

  /** A cursor over {@link #readEvents} starting at {@code fromToken}. */
  default TrackingCursor track(long fromToken, int batchSize) {
    return new TrackingCursor(this, fromToken, batchSize);
  }

  /**
   * The events of an aggregate with sequence numbers from {@code fromSequence} to {@code
   * toSequence} (inclusive), in sequence order. With {@code fromLatestSnapshot}, the latest
   * snapshot in that range comes first and only events after it follow. Empty for an unknown
   * aggregate.
   */
  List<Event> aggregateEvents(
      String aggregateId, long fromSequence, long toSequence, boolean fromLatestSnapshot);

  /** {@link #aggregateEvents(String, long, long, boolean)} to the aggregate's last event. */
  default List<Event> aggregateEvents(
      String aggregateId, long fromSequence, boolean fromLatestSnapshot) {
    return aggregateEvents(aggregateId, fromSequence, Long.MAX_VALUE, fromLatestSnapshot);
  }

  /**
   * Snapshots of an aggregate with sequence numbers in {@code [fromSequence, toSequence]}, newest
   * (highest sequence) first, at most {@code maxResults}; for equal sequence numbers the last one
   * stored wins.
   */
  List<Event> aggregateSnapshots(
      String aggregateId, long fromSequence, long toSequence, int maxResults);

  /** The aggregate's last sequence number, or -1 if it has no events. */
  long highestSequence(String aggregateId);

  /** The first token that can be read: 0 for an empty store, later once retention removed some. */
  long firstToken();

  /** The last event's token, -1 for an empty store. */
  long lastToken();

  /**
   * The first token whose event is at or after {@code timestampMillis}, where event times are taken
   * as their running maximum in token order (clients' clocks are not monotonic; this keeps the
   * answer a binary search). {@link #lastToken()} + 1 if every event is earlier; -1 for an empty
   * store; never below {@link #firstToken()}.
   */
  long tokenAt(long timestampMillis);
}

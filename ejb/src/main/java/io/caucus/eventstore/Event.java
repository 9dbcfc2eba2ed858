package io.caucus.eventstore;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An event (or an aggregate snapshot, which has the same shape) as a client sends it.
 *
 * <p>Absent strings are normalised to {@code ""}, an absent payload to an empty array and absent
 * metadata to an empty map, so that every node encodes the same event to the same bytes. Metadata
 * is kept sorted by key for the same reason. An event is a <em>domain event</em> when it has an
 * aggregate type; only domain events take part in sequence checks and the aggregate index.
 *
 * <p>Immutable by convention: nobody modifies {@code payload} after construction.
 *
 * @param messageId client-chosen unique id
 * @param aggregateId the aggregate's identifier ({@code ""} for non-domain events)
 * @param aggregateType the aggregate's type ({@code ""} for non-domain events)
 * @param aggregateSequenceNumber position in the aggregate's stream, from 0
 * @param timestamp milliseconds since the epoch, as given by the client
 * @param payloadType serialized payload's type name
 * @param payloadRevision serialized payload's revision ({@code ""} if none)
 * @param payload serialized payload
 * @param metadata string metadata
 */
public record Event(
    String messageId,
    String aggregateId,
    String aggregateType,
    long aggregateSequenceNumber,
    long timestamp,
    String payloadType,
    String payloadRevision,
    byte[] payload,
    Map<String, String> metadata) {

  private static final byte[] EMPTY = new byte[0];

  public Event {
    messageId = Objects.requireNonNullElse(messageId, "");
    aggregateId = Objects.requireNonNullElse(aggregateId, "");
    aggregateType = Objects.requireNonNullElse(aggregateType, "");
    payloadType = Objects.requireNonNullElse(payloadType, "");
    payloadRevision = Objects.requireNonNullElse(payloadRevision, "");
    payload = payload == null ? EMPTY : payload;
    metadata =
        metadata == null || metadata.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new TreeMap<>(metadata));
  }

  /** Whether this event belongs to an aggregate (has an aggregate type). */
  public boolean isDomainEvent() {
    return !aggregateType.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Event e
        && e.aggregateSequenceNumber == aggregateSequenceNumber
        && e.timestamp == timestamp
        && e.messageId.equals(messageId)
        && e.aggregateId.equals(aggregateId)
        && e.aggregateType.equals(aggregateType)
        && e.payloadType.equals(payloadType)
        && e.payloadRevision.equals(payloadRevision)
        && Arrays.equals(e.payload, payload)
        && e.metadata.equals(metadata);
  }

  @Override
  public int hashCode() {
    return Objects.hash(messageId, aggregateId, aggregateSequenceNumber) * 31
        + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Event["
        + messageId
        + " "
        + aggregateType
        + "/"
        + aggregateId
        + "#"
        + aggregateSequenceNumber
        + " "
        + payloadType
        + " "
        + payload.length
        + "B]";
  }
}

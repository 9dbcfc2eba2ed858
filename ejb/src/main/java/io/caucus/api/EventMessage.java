package io.caucus.api;

import java.util.Map;

/**
 * An event (or an aggregate snapshot, which has the same shape) as the API takes and gives it: the
 * outer layers (REST, gRPC, CDI) see this type, never the event store's own.
 *
 * <p>Absent strings count as {@code ""}, an absent payload as empty and absent metadata as empty
 * when the event is stored. Immutable by convention: nobody modifies {@code payload} after
 * construction.
 *
 * @param messageId client-chosen unique id
 * @param aggregateId the aggregate's identifier ({@code ""} for an event of no aggregate)
 * @param aggregateType the aggregate's type ({@code ""} for an event of no aggregate)
 * @param aggregateSequenceNumber position in the aggregate's stream, from 0
 * @param timestamp milliseconds since the epoch, as given by the client
 * @param payloadType the serialized payload's type name
 * @param payloadRevision the serialized payload's revision ({@code ""} if none)
 * @param payload the serialized payload
 * @param metadata string metadata
 */
public record EventMessage(
    String messageId,
    String aggregateId,
    String aggregateType,
    long aggregateSequenceNumber,
    long timestamp,
    String payloadType,
    String payloadRevision,
    byte[] payload,
    Map<String, String> metadata) {}

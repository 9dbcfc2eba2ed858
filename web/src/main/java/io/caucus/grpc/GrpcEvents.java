package io.caucus.grpc;

import com.google.protobuf.ByteString;
import io.axoniq.axonserver.grpc.MetaDataValue;
import io.axoniq.axonserver.grpc.SerializedObject;
import io.axoniq.axonserver.grpc.event.Event;
import io.caucus.api.EventMessage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Between the protocol's {@link Event} and the API's {@link EventMessage}: the one place that maps
 * them. Metadata: the API stores strings, so text, number and boolean values are stored as their
 * text and come back as text values; byte and serialized-object values are dropped (a known
 * limitation, README "gRPC API").
 */
final class GrpcEvents {

  private GrpcEvents() {}

  static EventMessage toApi(Event e) {
    Map<String, String> metadata = new LinkedHashMap<>();
    e.getMetaDataMap()
        .forEach(
            (k, v) -> {
              switch (v.getDataCase()) {
                case TEXT_VALUE -> metadata.put(k, v.getTextValue());
                case NUMBER_VALUE -> metadata.put(k, Long.toString(v.getNumberValue()));
                case BOOLEAN_VALUE -> metadata.put(k, Boolean.toString(v.getBooleanValue()));
                case DOUBLE_VALUE -> metadata.put(k, Double.toString(v.getDoubleValue()));
                default -> {
                  // bytes / serialized objects: not representable in the API's string metadata
                }
              }
            });
    SerializedObject payload = e.getPayload();
    return new EventMessage(
        e.getMessageIdentifier(),
        e.getAggregateIdentifier(),
        e.getAggregateType(),
        e.getAggregateSequenceNumber(),
        e.getTimestamp(),
        payload.getType(),
        payload.getRevision(),
        payload.getData().toByteArray(),
        metadata);
  }

  static Event toGrpc(EventMessage m, boolean snapshot) {
    Event.Builder b =
        Event.newBuilder()
            .setMessageIdentifier(nullToEmpty(m.messageId()))
            .setAggregateIdentifier(nullToEmpty(m.aggregateId()))
            .setAggregateType(nullToEmpty(m.aggregateType()))
            .setAggregateSequenceNumber(m.aggregateSequenceNumber())
            .setTimestamp(m.timestamp())
            .setSnapshot(snapshot)
            .setPayload(
                SerializedObject.newBuilder()
                    .setType(nullToEmpty(m.payloadType()))
                    .setRevision(nullToEmpty(m.payloadRevision()))
                    .setData(
                        m.payload() == null ? ByteString.EMPTY : ByteString.copyFrom(m.payload())));
    if (m.metadata() != null) {
      m.metadata()
          .forEach((k, v) -> b.putMetaData(k, MetaDataValue.newBuilder().setTextValue(v).build()));
    }
    return b.build();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}

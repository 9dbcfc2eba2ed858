package io.caucus.eventstore;

import java.util.HashMap;
import java.util.Map;

/** The binary form of one {@link Event}, shared by commands and stored records. */
final class EventCodec {

  private EventCodec() {}

  static void write(Event e, ByteWriter w) {
    w.putString(e.messageId())
        .putString(e.aggregateId())
        .putString(e.aggregateType())
        .putLong(e.aggregateSequenceNumber())
        .putLong(e.timestamp())
        .putString(e.payloadType())
        .putString(e.payloadRevision())
        .putBytes(e.payload());
    w.putInt(e.metadata().size());
    // Event keeps metadata sorted, so equal events encode to equal bytes.
    for (Map.Entry<String, String> m : e.metadata().entrySet()) {
      w.putString(m.getKey()).putString(m.getValue());
    }
  }

  static Event read(ByteReader r) {
    String messageId = r.getString();
    String aggregateId = r.getString();
    String aggregateType = r.getString();
    long seq = r.getLong();
    long timestamp = r.getLong();
    String payloadType = r.getString();
    String revision = r.getString();
    byte[] payload = r.getBytes();
    int n = r.getCount(8);
    Map<String, String> metadata = n == 0 ? Map.of() : new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      metadata.put(r.getString(), r.getString());
    }
    return new Event(
        messageId,
        aggregateId,
        aggregateType,
        seq,
        timestamp,
        payloadType,
        revision,
        payload,
        metadata);
  }

  /** Rough encoded size, used to presize buffers. */
  static int estimateSize(Event e) {
    int size = 64 + e.payload().length;
    size += e.messageId().length() + e.aggregateId().length() + e.aggregateType().length();
    size += e.payloadType().length() + e.payloadRevision().length();
    for (Map.Entry<String, String> m : e.metadata().entrySet()) {
      size += 8 + m.getKey().length() + m.getValue().length();
    }
    return size * 2;
  }
}

package io.caucus.eventstore;

/**
 * An aggregate snapshot as stored: with the log index of the entry that stored it (retention
 * compares it with the secondaries' confirmations). Value format: {@code version:uint8 = 1}, {@code
 * logIndex:int64}, the event ({@link EventCodec}).
 */
record StoredRecord(long logIndex, Event event) {

  private static final int VERSION = 1;

  static byte[] encode(long logIndex, Event event) {
    ByteWriter w = new ByteWriter(EventCodec.estimateSize(event));
    w.putByte(VERSION).putLong(logIndex);
    EventCodec.write(event, w);
    return w.toByteArray();
  }

  static StoredRecord decode(byte[] value) {
    ByteReader r = new ByteReader(value);
    int version = r.getByte();
    if (version != VERSION) {
      throw new EncodingException("stored record version " + version);
    }
    long logIndex = r.getLong();
    Event event = EventCodec.read(r);
    r.expectEnd();
    return new StoredRecord(logIndex, event);
  }
}

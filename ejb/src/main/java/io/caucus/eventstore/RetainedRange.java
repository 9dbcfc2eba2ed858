package io.caucus.eventstore;

/**
 * The first event token and snapshot ordinal still held (retention removed everything below), and
 * where the last removal started (to finish it after a crash). Stored as the meta record {@code
 * retention} before the removals it announces. Format: {@code version:uint8 = 1}, the three fields
 * as int64.
 */
record RetainedRange(long firstToken, long firstSnapshotOrdinal, long removingFrom) {

  static final RetainedRange ALL = new RetainedRange(0, 0, 0);
  private static final int VERSION = 1;

  byte[] encode() {
    return new ByteWriter(24)
        .putByte(VERSION)
        .putLong(firstToken)
        .putLong(firstSnapshotOrdinal)
        .putLong(removingFrom)
        .toByteArray();
  }

  static RetainedRange decode(byte[] value) {
    ByteReader r = new ByteReader(value);
    if (r.getByte() != VERSION) {
      throw new EncodingException("unknown retained-range version");
    }
    RetainedRange range = new RetainedRange(r.getLong(), r.getLong(), r.getLong());
    r.expectEnd();
    return range;
  }
}

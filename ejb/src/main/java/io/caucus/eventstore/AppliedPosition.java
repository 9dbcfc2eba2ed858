package io.caucus.eventstore;

/**
 * Where the store stands after the last applied entry. Stored as the meta record {@code state},
 * always as the last write of an apply. Format: {@code version:uint8 = 1}, the three fields as
 * int64.
 *
 * @param lastApplied the last applied log index
 * @param nextToken the token the next event gets
 * @param nextSnapshotOrdinal the ordinal the next aggregate snapshot gets
 */
record AppliedPosition(long lastApplied, long nextToken, long nextSnapshotOrdinal) {

  static final AppliedPosition EMPTY = new AppliedPosition(0, 0, 0);
  private static final int VERSION = 1;

  byte[] encode() {
    return new ByteWriter(32)
        .putByte(VERSION)
        .putLong(lastApplied)
        .putLong(nextToken)
        .putLong(nextSnapshotOrdinal)
        .toByteArray();
  }

  static AppliedPosition decode(byte[] value) {
    ByteReader r = new ByteReader(value);
    if (r.getByte() != VERSION) {
      throw new EncodingException("unknown applied-position version");
    }
    AppliedPosition p = new AppliedPosition(r.getLong(), r.getLong(), r.getLong());
    r.expectEnd();
    return p;
  }
}

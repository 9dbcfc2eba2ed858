package io.caucus.eventstore;

import java.util.zip.CRC32C;

/**
 * The chunk format of a whole-state-machine snapshot, shared by {@link StateSnapshotReader} and
 * {@link StateSnapshotInstaller}.
 *
 * <p>Chunk: {@code magic:int32 = 0x43534E50 ("CSNP")}, {@code version:uint8 = 1}, {@code
 * chunkNumber:int32} (0, 1, 2, …), {@code last:uint8}, {@code payloadLength:int32}, the payload,
 * {@code crc32c:int32} over everything before it. The payload is a sequence of records, each a
 * {@code kind:uint8} followed by its fields: the header first, then time-index and batch pages,
 * event batches, snapshots, then per aggregate its token records and its head record, and an end
 * record in the last chunk.
 */
final class StateSnapshotFormat {

  static final int MAGIC = 0x43534E50;
  static final int VERSION = 1;

  static final int HEADER = 1;
  static final int TIME_PAGE = 2;
  static final int EVENT = 3;
  static final int SNAPSHOT = 4;
  static final int AGGREGATE_TOKENS = 5;
  static final int AGGREGATE = 6;
  static final int END = 7;
  static final int BATCH_PAGE = 8;

  /** Tokens per aggregate token record, so no record grows with an aggregate's size. */
  static final int TOKENS_PER_RECORD = 1024;

  private StateSnapshotFormat() {}

  static byte[] chunk(int number, boolean last, ByteWriter payload) {
    ByteWriter w = new ByteWriter(payload.size() + 24);
    w.putInt(MAGIC).putByte(VERSION).putInt(number).putByte(last ? 1 : 0).putInt(payload.size());
    w.putRaw(payload.array(), 0, payload.size());
    CRC32C crc = new CRC32C();
    crc.update(w.array(), 0, w.size());
    w.putInt((int) crc.getValue());
    return w.toByteArray();
  }
}

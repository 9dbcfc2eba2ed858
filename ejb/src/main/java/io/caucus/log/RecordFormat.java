package io.caucus.log;

import io.caucus.consensus.Entry;
import io.caucus.consensus.EntryType;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The binary layout of segment files (format version {@value #VERSION}), big-endian.
 *
 * <pre>
 * segment file header ({@value #FILE_HEADER_BYTES} bytes)
 *   0  int   magic 0x4341554C ("CAUL")
 *   4  int   format version
 *   8  long  index of the first record in this file (also the file name)
 *  16  int   reserved, 0
 *  20  int   CRC32C of bytes 0..19
 * record ({@value #RECORD_HEADER_BYTES} bytes + data)
 *   0  int   data length
 *   4  long  index
 *  12  long  term
 *  20  byte  entry type code
 *  21  3 bytes reserved, 0
 *  24  int   CRC32C of the data
 *  28  int   CRC32C of bytes 0..27
 *  32  data
 * </pre>
 *
 * <p>Why two checksums: the header checksum makes the length trustworthy before it is used, so a
 * damaged length never sends a reader or the recovery scan past the record, and the search for an
 * intact record behind a damaged one rejects almost every offset after reading 32 bytes. The header
 * checksum is last in the header so that an all-zero header (unwritten blocks) never passes.
 */
final class RecordFormat {

  static final int MAGIC = 0x4341554C;
  static final int VERSION = 1;
  static final int FILE_HEADER_BYTES = 24;
  static final int RECORD_HEADER_BYTES = 32;

  private RecordFormat() {}

  static int recordBytes(Entry e) {
    return RECORD_HEADER_BYTES + e.data().length;
  }

  static void writeFileHeader(ByteBuffer out, long firstIndex) {
    int start = out.position();
    out.putInt(MAGIC).putInt(VERSION).putLong(firstIndex).putInt(0);
    out.putInt(crc(out, start, 20));
  }

  /** Appends one record to {@code out}, which must have room for {@link #recordBytes}. */
  static void writeRecord(ByteBuffer out, Entry e) {
    int start = out.position();
    byte[] data = e.data();
    CRC32C dataCrc = new CRC32C();
    dataCrc.update(data);
    out.putInt(data.length)
        .putLong(e.index())
        .putLong(e.term())
        .put((byte) e.type().code())
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) 0)
        .putInt((int) dataCrc.getValue());
    out.putInt(crc(out, start, 28));
    out.put(data);
  }

  /** CRC32C of {@code length} bytes of {@code buf} starting at absolute position {@code from}. */
  static int crc(ByteBuffer buf, int from, int length) {
    CRC32C crc = new CRC32C();
    ByteBuffer slice = buf.duplicate();
    slice.limit(from + length).position(from);
    crc.update(slice);
    return (int) crc.getValue();
  }

  /** A record header read from a buffer at an absolute position; checked by the caller. */
  record Header(int dataLength, long index, long term, int typeCode, int dataCrc, boolean crcOk) {

    static Header read(ByteBuffer buf, int at) {
      int stored = buf.getInt(at + 28);
      return new Header(
          buf.getInt(at),
          buf.getLong(at + 4),
          buf.getLong(at + 12),
          buf.get(at + 20) & 0xFF,
          buf.getInt(at + 24),
          stored == crc(buf, at, 28));
    }

    /** The entry type, or null when the code is unknown. */
    EntryType type() {
      for (EntryType t : EntryType.values()) {
        if (t.code() == typeCode) {
          return t;
        }
      }
      return null;
    }
  }
}

package io.caucus.log;

import io.caucus.log.LogRecoveryException.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Verifies one segment file when the log is opened, rebuilds its sparse index and term runs, and
 * decides whether a bad record is a torn tail (cut it) or damage (stop).
 *
 * <p><b>The rule.</b> Records are checked in order: header checksum, length within the file, data
 * checksum, index equal to the previous index + 1, term not below the previous term, known type. At
 * the first record that fails, at offset P, the damage is a <em>torn tail</em>, cut at P and
 * logged, only if all of these hold:
 *
 * <ol>
 *   <li>the segment is the last one: a segment is forced before the next one is created, so nothing
 *       in an earlier segment was in flight at a crash;
 *   <li>no intact record with a higher index starts anywhere after P: an fsync covers a whole batch
 *       in file order, so a record that survived behind the bad one shows that the bad one was
 *       written, fsynced and maybe acknowledged before it. What follows P is nothing but zeros
 *       (blocks allocated by an unfinished append), garbage (stale blocks some file systems expose
 *       after a crash) or a prefix cut by the end of the file;
 *   <li>the cut loses no entry above the snapshot and at or below the commit index of the durable
 *       hard state: an entry known to be committed was acknowledged by definition, so losing it is
 *       damage whatever it looks like ({@link SegmentRecovery} checks this for the whole log, which
 *       also catches a file cut cleanly at a record boundary).
 * </ol>
 *
 * Anything else is reported as {@link LogRecoveryException} naming the file and P, and nothing is
 * changed on disk. What this rule cannot tell apart: a flipped bit in the very last record of the
 * log looks exactly like a torn write of that record and is cut (loudly logged) unless the commit
 * hint covers it; and a torn write whose pages reached the disk out of order (a later page durable,
 * an earlier one not) is reported as damage, so an operator decides rather than the log dropping
 * what may have been acknowledged.
 */
final class SegmentScanner {

  /** What the scan found. {@code tornAt} is the offset to cut at, or -1 when the file is whole. */
  record Result(
      int[] slots,
      int count,
      long validSize,
      long tornAt,
      String tornReason,
      long lastTerm,
      boolean tornHeader) {}

  private SegmentScanner() {}

  /**
   * Scans {@code file}, whose name says its first index is {@code firstIndex}.
   *
   * @param isLast whether this is the newest segment (the only one that may have a torn tail)
   * @param previousTerm term of the record before this segment (0 if none)
   * @param terms receives the term of every valid record
   */
  static Result scan(
      Path file,
      FileChannel channel,
      long firstIndex,
      boolean isLast,
      long previousTerm,
      TermIndex terms) {
    long size;
    try {
      size = channel.size();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read log segment " + file, e);
    }
    FileWindow window = new FileWindow(channel, size, 1 << 20);
    if (!checkFileHeader(file, window, firstIndex, isLast)) {
      return new Result(
          new int[16], 0, 0, 0, "the segment header was never completely written", 0, true);
    }
    int[] slots = new int[16];
    int count = 0;
    long lastTerm = previousTerm;
    long pos = RecordFormat.FILE_HEADER_BYTES;
    while (pos < size) {
      long expected = firstIndex + count;
      String problem = null;
      RecordFormat.Header h = null;
      if (pos + RecordFormat.RECORD_HEADER_BYTES > size) {
        problem = "the file ends inside the record header";
      } else {
        int at = window.at(pos, RecordFormat.RECORD_HEADER_BYTES);
        h = RecordFormat.Header.read(window.buffer(), at);
        if (!h.crcOk()) {
          problem = "the record header fails its checksum";
        } else if (h.dataLength() < 0
            || pos + RecordFormat.RECORD_HEADER_BYTES + h.dataLength() > size) {
          problem = "the file ends inside the record data";
        } else if (!dataCrcOk(window, pos, h)) {
          problem = "the record data fails its checksum";
        } else if (h.index() != expected) {
          problem = "the record has index " + h.index() + " where " + expected + " was expected";
        } else if (h.term() < Math.max(1, lastTerm)) {
          problem = "the record has term " + h.term() + " after term " + lastTerm;
        } else if (h.type() == null) {
          // Whole and in sequence, so written on purpose: by a newer release, never to be cut.
          throw new LogRecoveryException(
              Problem.UNKNOWN_FORMAT_VERSION,
              file,
              pos,
              "record "
                  + h.index()
                  + " has entry type "
                  + h.typeCode()
                  + ", which this build does not know; run the release that wrote it");
        }
      }
      if (problem != null) {
        classify(file, window, pos, expected - 1, isLast, problem);
        return new Result(slots, count, pos, pos, problem, lastTerm, false);
      }
      if (count % Segment.INDEX_STRIDE == 0) {
        int slot = count / Segment.INDEX_STRIDE;
        if (slot == slots.length) {
          slots = Arrays.copyOf(slots, slots.length * 2);
        }
        slots[slot] = (int) pos;
      }
      terms.append(h.index(), h.term());
      lastTerm = h.term();
      count++;
      pos += RecordFormat.RECORD_HEADER_BYTES + h.dataLength();
    }
    return new Result(slots, count, size, -1, null, lastTerm, false);
  }

  private static boolean dataCrcOk(FileWindow window, long pos, RecordFormat.Header h) {
    int at = window.at(pos + RecordFormat.RECORD_HEADER_BYTES, h.dataLength());
    return RecordFormat.crc(window.buffer(), at, h.dataLength()) == h.dataCrc();
  }

  /**
   * Returns false when the header is torn (only possible in the last segment), throws when it is
   * damaged or of an unknown version, true when it is fine.
   */
  private static boolean checkFileHeader(
      Path file, FileWindow window, long firstIndex, boolean isLast) {
    int n = RecordFormat.FILE_HEADER_BYTES;
    if (window.size() < n) {
      if (isLast) {
        return false; // creation was interrupted: the header is written and forced before records
      }
      throw new LogRecoveryException(
          Problem.BAD_FILE_HEADER, file, 0, "the file is shorter than a segment header");
    }
    int at = window.at(0, n);
    ByteBuffer buf = window.buffer();
    if (isLast && allZero(window, 0, n)) {
      return false;
    }
    String damage = null;
    if (buf.getInt(at) != RecordFormat.MAGIC) {
      damage = "the file does not start with the segment magic";
    } else {
      int version = buf.getInt(at + 4);
      if (version != RecordFormat.VERSION) {
        throw new LogRecoveryException(
            Problem.UNKNOWN_FORMAT_VERSION,
            file,
            4,
            "segment format version "
                + version
                + " is not known to this build (it reads version "
                + RecordFormat.VERSION
                + "); run the release that wrote it");
      }
      if (buf.getInt(at + 20) != RecordFormat.crc(buf, at, 20)) {
        damage = "the segment header fails its checksum";
      }
    }
    if (damage != null) {
      // The header is forced before any record is written: a damaged header with no intact
      // record behind it is a creation the crash interrupted, in the last segment only.
      if (isLast && intactRecordAfter(window, n - 1, firstIndex - 1) < 0) {
        return false;
      }
      throw new LogRecoveryException(Problem.BAD_FILE_HEADER, file, 0, damage);
    }
    if (buf.getLong(at + 8) != firstIndex) {
      throw new LogRecoveryException(
          Problem.BAD_FILE_HEADER,
          file,
          8,
          "the header says the first index is "
              + buf.getLong(at + 8)
              + " but the file name says "
              + firstIndex);
    }
    return true;
  }

  /** Throws unless the bad record at {@code pos} is a torn tail by the rule in the class doc. */
  private static void classify(
      Path file, FileWindow window, long pos, long lastGoodIndex, boolean isLast, String problem) {
    if (!isLast) {
      throw new LogRecoveryException(
          Problem.CORRUPT_RECORD,
          file,
          pos,
          problem
              + ", in a segment that is not the last one (it was fsynced before the next began)");
    }
    long survivor = intactRecordAfter(window, pos, lastGoodIndex);
    if (survivor >= 0) {
      throw new LogRecoveryException(
          Problem.CORRUPT_RECORD,
          file,
          pos,
          problem + ", but an intact later record follows at offset " + survivor);
    }
  }

  /**
   * Offset of an intact record with an index above {@code lastGoodIndex} after {@code pos}, or -1.
   */
  static long intactRecordAfter(FileWindow window, long pos, long lastGoodIndex) {
    long size = window.size();
    long maxIndex = lastGoodIndex + (size - pos) / RecordFormat.RECORD_HEADER_BYTES + 1;
    for (long q = pos + 1; q + RecordFormat.RECORD_HEADER_BYTES <= size; q++) {
      int at = window.at(q, RecordFormat.RECORD_HEADER_BYTES);
      ByteBuffer buf = window.buffer();
      long index = buf.getLong(at + 4);
      int length = buf.getInt(at);
      if (index <= lastGoodIndex
          || index > maxIndex
          || length < 0
          || q + RecordFormat.RECORD_HEADER_BYTES + length > size) {
        continue; // cheap filters first: almost every offset fails here
      }
      RecordFormat.Header h = RecordFormat.Header.read(buf, at);
      if (!h.crcOk()) {
        continue;
      }
      if (dataCrcOk(window, q, h)) {
        return q;
      }
    }
    return -1;
  }

  private static boolean allZero(FileWindow window, long from, int len) {
    if (len == 0) {
      return false;
    }
    int at = window.at(from, len);
    ByteBuffer buf = window.buffer();
    for (int i = 0; i < len; i++) {
      if (buf.get(at + i) != 0) {
        return false;
      }
    }
    return true;
  }
}

package io.caucus.log;

import io.caucus.consensus.Entry;
import io.caucus.consensus.EntryType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file: a header and a run of consecutive records starting at {@link #firstIndex()}.
 *
 * <p><b>Index.</b> A sparse in-memory index holds the file offset of every {@value #INDEX_STRIDE}th
 * record; a lookup jumps to the nearest slot and walks at most {@value #INDEX_STRIDE}-1 record
 * headers. It is rebuilt when the log is opened, during the scan that recovery needs anyway (every
 * record's checksum is verified once per open), so no index file has to be kept consistent with the
 * segments across crashes. At 4 bytes per 32 records it costs about 8 KB per 16 MB segment of
 * 256-byte entries, against 230 KB for a dense index.
 *
 * <p><b>Thread safety.</b> Not thread-safe by itself: {@link FileRaftLog} calls mutating methods
 * under its write lock and reads under its read lock. Reads use positional I/O, so they never move
 * the channel's position.
 */
final class Segment implements AutoCloseable {

  static final int INDEX_STRIDE = 32;
  private static final Pattern NAME = Pattern.compile("(\\d{20})\\.seg");

  private final Path file;
  private final long firstIndex;
  private final FileChannel channel;
  private int[] slots;
  private int count;
  private long size;

  Segment(Path file, long firstIndex, FileChannel channel, int[] slots, int count, long size) {
    this.file = file;
    this.firstIndex = firstIndex;
    this.channel = channel;
    this.slots = slots;
    this.count = count;
    this.size = size;
  }

  static String fileName(long firstIndex) {
    return String.format("%020d.seg", firstIndex);
  }

  /** The first index encoded in a segment file name, or -1 when it is not a segment file. */
  static long firstIndexOf(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * Creates an empty segment whose first record will have {@code firstIndex}, with its header
   * written and forced. The caller fsyncs the directory before records in it are acknowledged.
   */
  static Segment create(Path dir, long firstIndex) {
    Path file = dir.resolve(fileName(firstIndex));
    try {
      FileChannel ch =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      ByteBuffer header = ByteBuffer.allocate(RecordFormat.FILE_HEADER_BYTES);
      RecordFormat.writeFileHeader(header, firstIndex);
      header.flip();
      writeFully(ch, header, 0);
      ch.force(false);
      return new Segment(file, firstIndex, ch, new int[16], 0, RecordFormat.FILE_HEADER_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create log segment " + file, e);
    }
  }

  Path file() {
    return file;
  }

  long firstIndex() {
    return firstIndex;
  }

  /** {@code firstIndex() - 1} when empty. */
  long lastIndex() {
    return firstIndex + count - 1;
  }

  int count() {
    return count;
  }

  long size() {
    return size;
  }

  /**
   * Writes {@code batch[from, to)} (consecutive, starting at {@code lastIndex() + 1}) after the
   * last record, without forcing. {@code scratch} must hold their encoded size.
   */
  void append(List<Entry> batch, int from, int to, ByteBuffer scratch) {
    scratch.clear();
    long pos = size;
    for (int i = from; i < to; i++) {
      Entry e = batch.get(i);
      int rel = (int) (e.index() - firstIndex);
      if (rel % INDEX_STRIDE == 0) {
        int slot = rel / INDEX_STRIDE;
        if (slot == slots.length) {
          slots = Arrays.copyOf(slots, slots.length * 2);
        }
        slots[slot] = (int) (pos + scratch.position());
      }
      RecordFormat.writeRecord(scratch, e);
    }
    scratch.flip();
    int bytes = scratch.remaining();
    try {
      writeFully(channel, scratch, pos);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to log segment " + file, e);
    }
    size = pos + bytes;
    count += to - from;
  }

  /** Makes everything written so far durable (data and the file length). */
  void force() {
    try {
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fsync log segment " + file, e);
    }
  }

  /** Removes {@code index} and every later record from the file (not forced). */
  void truncateFrom(long index) {
    long offset = offsetOf(index);
    try {
      channel.truncate(offset);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot truncate log segment " + file, e);
    }
    size = offset;
    count = (int) (index - firstIndex);
  }

  /**
   * Reads entries {@code [from, to)} of this segment into {@code out}, stopping before the entry
   * that would take the total size past {@code maxBytes} unless {@code out} is still empty. Every
   * record's checksums are verified. Returns the size added.
   */
  long read(long from, long to, long maxBytes, List<Entry> out) {
    long pos = offsetOf(from);
    FileWindow window = new FileWindow(channel, size, 64 * 1024);
    long used = 0;
    for (long index = from; index < to; index++) {
      Entry e = readRecord(window, pos, index);
      if (used + e.sizeInBytes() > maxBytes && !out.isEmpty()) {
        break;
      }
      out.add(e);
      used += e.sizeInBytes();
      pos += RecordFormat.recordBytes(e);
    }
    return used;
  }

  private Entry readRecord(FileWindow window, long pos, long expectedIndex) {
    if (pos + RecordFormat.RECORD_HEADER_BYTES > size) {
      throw damaged(pos, "record " + expectedIndex + " runs past the end of the segment");
    }
    int at = window.at(pos, RecordFormat.RECORD_HEADER_BYTES);
    RecordFormat.Header h = RecordFormat.Header.read(window.buffer(), at);
    EntryType type = h.type();
    if (!h.crcOk()
        || h.index() != expectedIndex
        || h.dataLength() < 0
        || h.term() < 1
        || type == null
        || pos + RecordFormat.RECORD_HEADER_BYTES + h.dataLength() > size) {
      throw damaged(pos, "record header of index " + expectedIndex + " is damaged");
    }
    int dataAt = window.at(pos + RecordFormat.RECORD_HEADER_BYTES, h.dataLength());
    ByteBuffer buf = window.buffer();
    if (RecordFormat.crc(buf, dataAt, h.dataLength()) != h.dataCrc()) {
      throw damaged(pos, "data of record " + expectedIndex + " fails its checksum");
    }
    byte[] data = new byte[h.dataLength()];
    buf.get(dataAt, data);
    return new Entry(h.index(), h.term(), type, data);
  }

  /**
   * File offset of the record with {@code index}, or of the end when it is {@code lastIndex()+1}.
   */
  private long offsetOf(long index) {
    int rel = (int) (index - firstIndex);
    if (rel == count) {
      return size;
    }
    long pos = slots[rel / INDEX_STRIDE];
    int skip = rel % INDEX_STRIDE;
    if (skip > 0) {
      FileWindow window = new FileWindow(channel, size, 4 * 1024);
      for (int i = 0; i < skip; i++) {
        int at = window.at(pos, RecordFormat.RECORD_HEADER_BYTES);
        RecordFormat.Header h = RecordFormat.Header.read(window.buffer(), at);
        if (!h.crcOk() || h.dataLength() < 0) {
          throw damaged(pos, "record header is damaged");
        }
        pos += RecordFormat.RECORD_HEADER_BYTES + h.dataLength();
      }
    }
    return pos;
  }

  private LogRecoveryException damaged(long pos, String detail) {
    return new LogRecoveryException(
        LogRecoveryException.Problem.CORRUPT_RECORD,
        file,
        pos,
        detail + " (the file changed after it was verified on open)");
  }

  /** Closes the file and deletes it. */
  void delete() {
    close();
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete log segment " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close log segment " + file, e);
    }
  }

  static void writeFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    long at = pos;
    while (buf.hasRemaining()) {
      at += ch.write(buf, at);
    }
  }
}

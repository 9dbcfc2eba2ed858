package io.caucus.log;

import io.caucus.consensus.Entry;
import io.caucus.consensus.EntryType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Helpers shared by the log tests: entries, settings and an independent reader of the format. */
final class LogFixtures {

  private LogFixtures() {}

  static LogSettings settings(Path dir, long segmentSize) {
    return LogSettings.forGroup(dir, "g").withSegmentSize(segmentSize);
  }

  /** An entry whose data says where it belongs, so a misplaced record is noticed. */
  static Entry entry(long index, long term) {
    return entry(index, term, 10);
  }

  static Entry entry(long index, long term, int size) {
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = (byte) ((index * 31 + term * 7 + i) | 0x81); // never zero, two bits set
    }
    return new Entry(index, term, EntryType.NORMAL, data);
  }

  static List<Entry> entries(long from, long to, long term) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(entry(i, term));
    }
    return out;
  }

  static List<Path> segmentFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One record as found by walking a segment's headers (offset, end, index). */
  record Rec(Path file, long offset, long end, long index) {}

  /**
   * Walks record headers of a whole segment file using only the documented layout (24-byte file
   * header, 32-byte record header starting with the data length and the index).
   */
  static List<Rec> records(Path file) {
    try {
      ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file));
      List<Rec> out = new ArrayList<>();
      long off = 24;
      while (off + 32 <= buf.limit()) {
        int len = buf.getInt((int) off);
        long index = buf.getLong((int) off + 4);
        out.add(new Rec(file, off, off + 32 + len, index));
        off += 32 + len;
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void flipBit(Path file, long byteOffset, int bit) throws IOException {
    byte[] all = Files.readAllBytes(file);
    all[(int) byteOffset] ^= (byte) (1 << bit);
    Files.write(file, all);
  }

  static void cut(Path file, long size) throws IOException {
    try (var ch =
        java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }
}

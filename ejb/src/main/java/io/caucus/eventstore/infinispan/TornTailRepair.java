package io.caucus.eventstore.infinispan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cuts a torn last record off SoftIndexFileStore data files before the store opens.
 *
 * <p>Why: a write that fails half way (the disk full, {@code ENOSPC}) leaves the start of a record
 * at the end of a data file. Reopened, the store indexes that record and every read of its key
 * fails (ISPN029019 "Cannot load key … from index", "Concurrent update to compacting file"), so the
 * context never opens. The failed write never completed, so nothing depends on it: the event store
 * wrote its commit point last and replays the entry from the RAFT log (see {@code
 * DefaultEventStore}). Cutting the file at the torn record's start and deleting the index, which
 * the store then rebuilds from the data files, gives back the store as of its last complete write.
 *
 * <p>Records, as Infinispan 16's store writes them (checked on every file before anything is cut):
 * {@code version:uint8 = 1}, {@code keyLength:int16}, {@code metadataLength:int16}, {@code
 * valueLength:int32} (negative for a removal), {@code internalMetadataLength:int16}, {@code
 * seqId:int64}, {@code expiration:int64}, then the key, metadata and value bytes. Only a tail is
 * ever cut: a record that ends past the end of the file, or trailing bytes too short for a header
 * or all zero. A file that does not parse as such records up to its tail is left alone (the store
 * then reports it as it would have).
 *
 * <p>Not thread-safe; runs while the context's store is closed.
 */
final class TornTailRepair {

  private static final System.Logger LOG = System.getLogger(TornTailRepair.class.getName());
  static final int HEADER = 27;
  private static final int VERSION = 1;

  private TornTailRepair() {}

  /**
   * Cuts torn tails off the data files under {@code dataDirectory}; if any was cut, deletes {@code
   * indexDirectory} so that the store rebuilds its index.
   *
   * @return whether anything was cut
   */
  static boolean repair(Path dataDirectory, Path indexDirectory) {
    if (!Files.isDirectory(dataDirectory)) {
      return false;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dataDirectory)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dataDirectory + ": " + e.getMessage(), e);
    }
    boolean cut = false;
    for (Path f : files) {
      cut |= repairFile(f);
    }
    if (cut) {
      deleteTree(indexDirectory);
    }
    return cut;
  }

  private static boolean repairFile(Path file) {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long tornAt = tornTail(ch, size);
      if (tornAt < 0) {
        return false;
      }
      ch.truncate(tornAt);
      ch.force(true);
      LOG.log(
          System.Logger.Level.WARNING,
          "Event store file {0}: cut a torn last record (bytes {1} to {2}) left by a failed write;"
              + " the index is rebuilt and the RAFT log replays what it held",
          file,
          tornAt,
          size);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check " + file + ": " + e.getMessage(), e);
    }
  }

  /** Where the torn last record starts, or -1 if the file ends with a whole record (or is odd). */
  static long tornTail(FileChannel ch, long size) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    long offset = 0;
    while (offset < size) {
      if (size - offset < HEADER) {
        return offset; // fewer bytes than a header: a record whose header was being written
      }
      header.clear();
      readFully(ch, header, offset);
      header.flip();
      int version = header.get() & 0xff;
      if (version != VERSION) {
        return allZero(ch, offset, size) ? offset : -1;
      }
      int key = header.getShort();
      int metadata = header.getShort();
      int value = header.getInt();
      int internal = header.getShort();
      if (key <= 0 || metadata < 0 || internal < 0) {
        return -1;
      }
      long end = offset + HEADER + key + metadata + internal + Math.max(value, 0);
      if (end > size) {
        return offset;
      }
      offset = end;
    }
    return -1;
  }

  private static boolean allZero(FileChannel ch, long from, long size) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8192);
    for (long at = from; at < size; ) {
      b.clear();
      int n = ch.read(b, at);
      if (n <= 0) {
        break;
      }
      for (int i = 0; i < n; i++) {
        if (b.get(i) != 0) {
          return false;
        }
      }
      at += n;
    }
    return true;
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    while (b.hasRemaining()) {
      int n = ch.read(b, at + b.position());
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }
}

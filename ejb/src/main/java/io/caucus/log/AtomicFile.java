package io.caucus.log;

import io.caucus.log.LogRecoveryException.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A small file that is replaced as a whole and atomically: the new content goes to {@code
 * <name>.tmp}, which is fsynced, renamed over the old file, and then the directory is fsynced.
 * After a crash the file holds either the old or the new content, never a mix; a leftover temp file
 * is ignored and removed by {@link #removeLeftover()}.
 *
 * <p>Layout: {@code int magic, int version, int payload length, payload, int CRC32C of all before}.
 * Not thread-safe; its owner serializes calls.
 */
final class AtomicFile {

  private final Path file;
  private final Path temp;
  private final int magic;
  private final int version;

  AtomicFile(Path file, int magic, int version) {
    this.file = file;
    this.temp = file.resolveSibling(file.getFileName() + ".tmp");
    this.magic = magic;
    this.version = version;
  }

  Path file() {
    return file;
  }

  /** Deletes a temp file left by a write that a crash interrupted (its rename never happened). */
  void removeLeftover() {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + temp, e);
    }
  }

  /** The payload last written, or null when the file does not exist. */
  byte[] read() {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    ByteBuffer buf = ByteBuffer.wrap(all);
    if (all.length < 16 || buf.getInt(0) != magic) {
      throw new LogRecoveryException(
          Problem.BAD_STATE_FILE, file, 0, "the file is too short or has the wrong magic");
    }
    int v = buf.getInt(4);
    if (v != version) {
      throw new LogRecoveryException(
          Problem.UNKNOWN_FORMAT_VERSION,
          file,
          4,
          "format version " + v + " is not known to this build (it reads " + version + ")");
    }
    int length = buf.getInt(8);
    if (length < 0 || length != all.length - 16) {
      throw new LogRecoveryException(
          Problem.BAD_STATE_FILE, file, 8, "the payload length does not match the file size");
    }
    CRC32C crc = new CRC32C();
    crc.update(all, 0, 12 + length);
    if ((int) crc.getValue() != buf.getInt(12 + length)) {
      throw new LogRecoveryException(
          Problem.BAD_STATE_FILE, file, 12 + length, "the file fails its checksum");
    }
    byte[] payload = new byte[length];
    buf.get(12, payload);
    return payload;
  }

  /** Replaces the content durably; returns only once the new content survives a crash. */
  void write(byte[] payload) {
    ByteBuffer buf = ByteBuffer.allocate(16 + payload.length);
    buf.putInt(magic).putInt(version).putInt(payload.length).put(payload);
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, buf.position());
    buf.putInt((int) crc.getValue()).flip();
    try (FileChannel ch =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      Segment.writeFully(ch, buf, 0);
      ch.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + temp, e);
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename " + temp + " to " + file, e);
    }
    DirectorySync.sync(file.getParent());
  }
}

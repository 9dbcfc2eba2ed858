package io.caucus.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A moving read window over a file for forward scans: {@link #at} makes a byte range readable and
 * refills from the file only when the range is not already buffered. Not thread-safe; one per scan.
 */
final class FileWindow {

  private final FileChannel channel;
  private final long size;
  private final int chunk;
  private ByteBuffer buffer = ByteBuffer.allocate(0);
  private long start;

  FileWindow(FileChannel channel, long size, int chunk) {
    this.channel = channel;
    this.size = size;
    this.chunk = chunk;
  }

  long size() {
    return size;
  }

  /**
   * Makes {@code [pos, pos + len)} readable and returns the index of {@code pos} in {@link
   * #buffer()}. The caller guarantees {@code pos + len <= size()}.
   */
  int at(long pos, int len) {
    if (pos < start || pos + len > start + buffer.limit()) {
      int want = (int) Math.min(Math.max(chunk, len), size - pos);
      if (buffer.capacity() < want) {
        buffer = ByteBuffer.allocate(want);
      }
      buffer.clear().limit(want);
      try {
        while (buffer.hasRemaining()) {
          int n = channel.read(buffer, pos + buffer.position());
          if (n < 0) {
            throw new IOException(
                "file ended at " + (pos + buffer.position()) + ", expected " + size);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      buffer.flip();
      start = pos;
    }
    return (int) (pos - start);
  }

  ByteBuffer buffer() {
    return buffer;
  }
}

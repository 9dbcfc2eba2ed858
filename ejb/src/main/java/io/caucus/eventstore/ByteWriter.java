package io.caucus.eventstore;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Growable big-endian byte buffer for this package's binary formats. Not thread-safe. */
final class ByteWriter {

  private byte[] buf;
  private int pos;

  ByteWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  int size() {
    return pos;
  }

  byte[] array() {
    return buf;
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }
  }

  ByteWriter putByte(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
    return this;
  }

  ByteWriter putInt(int v) {
    ensure(4);
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
    return this;
  }

  ByteWriter putLong(long v) {
    putInt((int) (v >>> 32));
    return putInt((int) v);
  }

  ByteWriter putBytes(byte[] b) {
    putInt(b.length);
    return putRaw(b, 0, b.length);
  }

  ByteWriter putRaw(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
    return this;
  }

  ByteWriter putString(String s) {
    return putBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }
}

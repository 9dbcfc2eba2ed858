package io.caucus.eventstore;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Growable big-endian byte buffer for the event store's binary formats and the node-to-node formats
 * of {@code io.caucus.cluster.rpc}; {@link ByteReader} reads it back. Not thread-safe.
 */
public final class ByteWriter {

  private byte[] buf;
  private int pos;

  public ByteWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  public int size() {
    return pos;
  }

  public byte[] array() {
    return buf;
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }
  }

  public ByteWriter putByte(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
    return this;
  }

  public ByteWriter putInt(int v) {
    ensure(4);
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
    return this;
  }

  public ByteWriter putLong(long v) {
    putInt((int) (v >>> 32));
    return putInt((int) v);
  }

  public ByteWriter putBytes(byte[] b) {
    putInt(b.length);
    return putRaw(b, 0, b.length);
  }

  public ByteWriter putRaw(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
    return this;
  }

  public ByteWriter putString(String s) {
    return putBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  public ByteWriter putBoolean(boolean b) {
    return putByte(b ? 1 : 0);
  }

  /** An event in the store's own binary form (the one commands and records use). */
  public ByteWriter putEvent(Event e) {
    EventCodec.write(e, this);
    return this;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }
}

package io.caucus.eventstore;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link ByteWriter} wrote. Every read checks bounds and throws {@link
 * EncodingException} on truncated or inconsistent input, never an index exception. Shared by the
 * event store's formats and the node-to-node formats of {@code io.caucus.cluster.rpc}. Not
 * thread-safe.
 */
public final class ByteReader {

  private final byte[] buf;
  private final int end;
  private int pos;

  public ByteReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public ByteReader(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  public int position() {
    return pos;
  }

  public int remaining() {
    return end - pos;
  }

  private void need(int n) {
    if (n < 0 || end - pos < n) {
      throw new EncodingException("truncated data: need " + n + " bytes, have " + (end - pos));
    }
  }

  public int getByte() {
    need(1);
    return buf[pos++] & 0xff;
  }

  public int getInt() {
    need(4);
    int v =
        ((buf[pos] & 0xff) << 24)
            | ((buf[pos + 1] & 0xff) << 16)
            | ((buf[pos + 2] & 0xff) << 8)
            | (buf[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  public long getLong() {
    return ((long) getInt() << 32) | (getInt() & 0xffffffffL);
  }

  /** A count or length field: must be non-negative and fit into what is left. */
  public int getCount(int bytesPerItem) {
    int n = getInt();
    if (n < 0 || (long) n * bytesPerItem > remaining()) {
      throw new EncodingException("invalid count " + n + " with " + remaining() + " bytes left");
    }
    return n;
  }

  public byte[] getBytes() {
    int n = getCount(1);
    byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return b;
  }

  public String getString() {
    int n = getCount(1);
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /** A boolean written by {@link ByteWriter#putBoolean}: exactly 0 or 1. */
  public boolean getBoolean() {
    int b = getByte();
    if (b > 1) {
      throw new EncodingException("boolean byte " + b + " is neither 0 nor 1");
    }
    return b == 1;
  }

  /** An event written by {@link ByteWriter#putEvent}. */
  public Event getEvent() {
    return EventCodec.read(this);
  }

  public void expectEnd() {
    if (pos != end) {
      throw new EncodingException((end - pos) + " unexpected trailing bytes");
    }
  }
}

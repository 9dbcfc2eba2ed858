package io.caucus.cluster.transport;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What travels in one JGroups message between Caucus nodes.
 *
 * <p>Wire format (big-endian), version {@value #VERSION}:
 *
 * <pre>
 * u8  version        {@value #VERSION}; a receiver drops any other version and counts it
 * u8  kind           {@link Kind#code()}
 * u16 + UTF-8        sender node name
 * u16 + UTF-8        target: group name (GROUP), service name (REQUEST), empty (replies)
 * i64                correlation id (0 for GROUP)
 * i32 + bytes        payload
 * </pre>
 *
 * No CRC: TCP and JGroups already protect the bytes in transit, and the payloads that end up on
 * disk carry their own.
 *
 * @param kind what the message is
 * @param fromNode sender's node name
 * @param target group or service name, or empty for replies
 * @param correlationId ties a reply to its request
 * @param payload the content (not copied)
 */
record Envelope(Kind kind, String fromNode, String target, long correlationId, byte[] payload) {

  static final int VERSION = 1;

  private static final int MAX_NAME_BYTES = 65_535;

  enum Kind {
    GROUP(1),
    REQUEST(2),
    REPLY(3),
    REPLY_ERROR(4);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    int code() {
      return code;
    }

    static Kind fromCode(int code) {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown message kind " + code);
    }
  }

  Envelope {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(fromNode, "fromNode");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(payload, "payload");
  }

  byte[] encode() {
    byte[] from = fromNode.getBytes(StandardCharsets.UTF_8);
    byte[] to = target.getBytes(StandardCharsets.UTF_8);
    if (from.length > MAX_NAME_BYTES || to.length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("node, group or service name longer than 65535 bytes");
    }
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(2 + 2 + from.length + 2 + to.length + 8 + 4 + payload.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeByte(kind.code());
      out.writeShort(from.length);
      out.write(from);
      out.writeShort(to.length);
      out.write(to);
      out.writeLong(correlationId);
      out.writeInt(payload.length);
      out.write(payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes what {@link #encode()} wrote.
   *
   * @throws IllegalArgumentException if the bytes are not a complete envelope of a known version
   */
  static Envelope decode(byte[] array, int offset, int length) {
    try {
      ByteBuffer in = ByteBuffer.wrap(array, offset, length);
      int version = Byte.toUnsignedInt(in.get());
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "message format version "
                + version
                + " is not "
                + VERSION
                + ": a node of another"
                + " Caucus version sent it; run the same version on every node");
      }
      Kind kind = Kind.fromCode(Byte.toUnsignedInt(in.get()));
      String from = readName(in);
      String target = readName(in);
      long correlationId = in.getLong();
      int size = in.getInt();
      if (size < 0 || size != in.remaining()) {
        throw new IllegalArgumentException(
            "payload length " + size + " does not match the " + in.remaining() + " bytes left");
      }
      byte[] payload = new byte[size];
      in.get(payload);
      return new Envelope(kind, from, target, correlationId, payload);
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("truncated message", e);
    }
  }

  private static String readName(ByteBuffer in) {
    int n = Short.toUnsignedInt(in.getShort());
    if (n > in.remaining()) {
      throw new IllegalArgumentException("name length " + n + " exceeds the message");
    }
    ByteBuffer slice = in.slice();
    slice.limit(n);
    in.position(in.position() + n);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(slice)
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("name is not valid UTF-8", e);
    }
  }
}

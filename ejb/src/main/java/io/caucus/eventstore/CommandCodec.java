package io.caucus.eventstore;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The one binary encoding of {@link EventCommand}s in the replicated log. The REST and gRPC layers
 * build commands only through this class, so every node decodes what any node encoded.
 *
 * <p>Format (big-endian): {@code magic:int32 = 0x43415543 ("CAUC")}, {@code version:uint8 = 1},
 * {@code kind:uint8} (1 = event transaction, 2 = aggregate snapshot), the body, then {@code
 * crc32c:int32} over everything before it. An event transaction's body is {@code count:int32}
 * followed by the events; a snapshot's body is one event. An event is its fields in record order,
 * strings and byte arrays as {@code length:int32} plus bytes (UTF-8 for strings), metadata as
 * {@code count:int32} plus key/value string pairs sorted by key.
 *
 * <p>Thread-safe (stateless).
 */
public final class CommandCodec {

  /** "CAUC". */
  public static final int MAGIC = 0x43415543;

  /** The format version this codec writes and the only one it reads. */
  public static final int VERSION = 1;

  static final int KIND_EVENTS = 1;
  static final int KIND_SNAPSHOT = 2;

  private CommandCodec() {}

  /** Encodes a command for a NORMAL log entry. */
  public static byte[] encode(EventCommand command) {
    ByteWriter w = new ByteWriter(256);
    w.putInt(MAGIC).putByte(VERSION);
    if (command instanceof EventCommand.AppendEvents a) {
      w.putByte(KIND_EVENTS).putInt(a.events().size());
      for (Event e : a.events()) {
        EventCodec.write(e, w);
      }
    } else if (command instanceof EventCommand.AppendSnapshot s) {
      w.putByte(KIND_SNAPSHOT);
      EventCodec.write(s.snapshot(), w);
    } else {
      throw new IllegalArgumentException("unknown command " + command);
    }
    CRC32C crc = new CRC32C();
    crc.update(w.array(), 0, w.size());
    w.putInt((int) crc.getValue());
    return w.toByteArray();
  }

  /** Shorthand for encoding an event transaction. */
  public static byte[] encodeEvents(List<Event> events) {
    return encode(new EventCommand.AppendEvents(events));
  }

  /** Shorthand for encoding an aggregate snapshot. */
  public static byte[] encodeSnapshot(Event snapshot) {
    return encode(new EventCommand.AppendSnapshot(snapshot));
  }

  /**
   * Decodes a command.
   *
   * @throws EncodingException if the bytes are not a command of this format version (the message
   *     says which check failed)
   */
  public static EventCommand decode(byte[] data) {
    if (data == null || data.length < 10) {
      throw new EncodingException("command too short to hold a header and checksum");
    }
    ByteReader r = new ByteReader(data, 0, data.length - 4);
    int magic = r.getInt();
    if (magic != MAGIC) {
      throw new EncodingException("wrong magic 0x" + Integer.toHexString(magic));
    }
    int version = r.getByte();
    if (version != VERSION) {
      throw new EncodingException(
          "format version " + version + " (this node reads " + VERSION + ")");
    }
    CRC32C crc = new CRC32C();
    crc.update(data, 0, data.length - 4);
    int stored = new ByteReader(data, data.length - 4, 4).getInt();
    if ((int) crc.getValue() != stored) {
      throw new EncodingException("checksum mismatch");
    }
    int kind = r.getByte();
    EventCommand command;
    if (kind == KIND_EVENTS) {
      int n = r.getCount(40);
      List<Event> events = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        events.add(EventCodec.read(r));
      }
      command = new EventCommand.AppendEvents(events);
    } else if (kind == KIND_SNAPSHOT) {
      command = new EventCommand.AppendSnapshot(EventCodec.read(r));
    } else {
      throw new EncodingException("unknown command kind " + kind);
    }
    r.expectEnd();
    return command;
  }
}

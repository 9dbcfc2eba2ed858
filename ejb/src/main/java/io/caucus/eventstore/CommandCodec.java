package io.caucus.eventstore;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The one binary encoding of {@link EventCommand}s in the replicated log. The REST and gRPC layers
 * build commands only through this class, so every node decodes what any node encoded.
 *
 * <p>Format (big-endian): {@code magic:int32 = 0x43415543 ("CAUC")}, {@code version:uint8 = 2},
 * {@code context:string} (the context the entry belongs to: a replication group serves several),
 * {@code kind:uint8} (1 = event transaction, 2 = aggregate snapshot), the body, then {@code
 * crc32c:int32} over everything before it. Version 1, written before a group could serve several
 * contexts, is the same without the context name; it is still read, and {@link #contextOf} gives
 * {@code null} for it (the group's state machine routes it to the group's first context), so logs
 * written before the change replay unchanged. An event transaction's body is {@code count:int32}
 * followed by the events; a snapshot's body is one event. An event is its fields in record order,
 * strings and byte arrays as {@code length:int32} plus bytes (UTF-8 for strings), metadata as
 * {@code count:int32} plus key/value string pairs sorted by key.
 *
 * <p>Thread-safe (stateless).
 */
public final class CommandCodec {

  /** "CAUC". */
  public static final int MAGIC = 0x43415543;

  /** The format version this codec writes: with the context name. */
  public static final int VERSION = 2;

  /** The format version before entries named their context; still read. */
  public static final int VERSION_1 = 1;

  static final int KIND_EVENTS = 1;
  static final int KIND_SNAPSHOT = 2;

  private CommandCodec() {}

  /** Encodes a command of {@code context} for a NORMAL log entry. */
  public static byte[] encode(String context, EventCommand command) {
    ByteWriter w = new ByteWriter(256);
    w.putInt(MAGIC).putByte(VERSION).putString(Objects.requireNonNull(context, "context"));
    return finish(w, command);
  }

  /**
   * Encodes a command in the version 1 format, without a context name, as nodes wrote it before
   * version 2: only for the tests that check that such entries still replay. Never write it.
   */
  public static byte[] encodeVersion1(EventCommand command) {
    ByteWriter w = new ByteWriter(256);
    w.putInt(MAGIC).putByte(VERSION_1);
    return finish(w, command);
  }

  private static byte[] finish(ByteWriter w, EventCommand command) {
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

  /** Shorthand for encoding an event transaction of {@code context}. */
  public static byte[] encodeEvents(String context, List<Event> events) {
    return encode(context, new EventCommand.AppendEvents(events));
  }

  /** Shorthand for encoding an aggregate snapshot of {@code context}. */
  public static byte[] encodeSnapshot(String context, Event snapshot) {
    return encode(context, new EventCommand.AppendSnapshot(snapshot));
  }

  /**
   * The context an encoded command names: {@code null} for a version 1 command (which names none)
   * and for bytes that are no valid command (wrong magic, version or checksum), which the group's
   * first context then refuses. Checks the checksum, so that a damaged name never routes an entry.
   */
  public static String contextOf(byte[] data) {
    if (data == null || data.length < 14) {
      return null;
    }
    ByteReader r = new ByteReader(data, 0, data.length - 4);
    if (r.getInt() != MAGIC || r.getByte() != VERSION || !checksumMatches(data)) {
      return null;
    }
    try {
      return r.getString();
    } catch (EncodingException e) {
      return null;
    }
  }

  /**
   * The same command naming {@code context}: a version 1 command is rewritten as version 2, a
   * version 2 command gets its name replaced. Bytes that are no valid command are returned as they
   * are (the store refuses them when the entry is applied, as before).
   */
  public static byte[] withContext(byte[] data, String context) {
    EventCommand command;
    try {
      command = decode(data);
    } catch (EncodingException e) {
      return data;
    }
    return encode(context, command);
  }

  private static boolean checksumMatches(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data, 0, data.length - 4);
    return (int) crc.getValue() == new ByteReader(data, data.length - 4, 4).getInt();
  }

  /**
   * Decodes a command of either format version (the context name, if any, is skipped: see {@link
   * #contextOf}).
   *
   * @throws EncodingException if the bytes are not a command of a known format version (the message
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
    if (version != VERSION && version != VERSION_1) {
      throw new EncodingException(
          "format version " + version + " (this node reads " + VERSION_1 + " and " + VERSION + ")");
    }
    if (!checksumMatches(data)) {
      throw new EncodingException("checksum mismatch");
    }
    if (version == VERSION) {
      r.getString(); // the context: the group's state machine routed the entry by it
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

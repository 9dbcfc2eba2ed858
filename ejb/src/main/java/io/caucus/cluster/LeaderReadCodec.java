package io.caucus.cluster;

import io.caucus.error.ErrorCode;
import io.caucus.eventstore.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Wire format of reads forwarded to a group's leader (service {@code caucus.read}) and of the
 * leader's answers. Every message starts with a magic number and a version byte, then a kind byte
 * and the kind's fields (big endian; strings as length-prefixed UTF-8, so that ids of any length
 * travel). The transport's request/reply carries each message whole; no CRC here because JGroups
 * already checks its frames, and a message that does not parse is refused, never half applied.
 *
 * <p>Stateless and thread safe. Malformed input gives {@link IllegalArgumentException}.
 */
public final class LeaderReadCodec {

  /** "CRDR": Caucus read. */
  static final int MAGIC = 0x43524452;

  static final int VERSION = 1;

  private static final int READ_AGGREGATE = 1;
  private static final int READ_HIGHEST_SEQUENCE = 2;

  private static final int REPLY_EVENTS = 1;
  private static final int REPLY_SEQUENCE = 2;
  private static final int REPLY_ERROR = 3;
  private static final int REPLY_NOT_LEADER = 4;

  /** Largest string or payload accepted when decoding (guards against corrupt lengths). */
  private static final int MAX_FIELD = 64 << 20;

  private LeaderReadCodec() {}

  /** The leader's answer to a forwarded read. */
  public sealed interface Reply {

    /** The events of an aggregate read. */
    record Events(List<Event> events) implements Reply {
      public Events {
        events = List.copyOf(events);
      }
    }

    /** A highest-sequence answer. */
    record Sequence(long value) implements Reply {}

    /** The store refused the read (for example the context does not exist on the leader). */
    record Error(ErrorCode code, String message) implements Reply {}

    /** The receiver cannot serve it: not the leader (hint may be {@code null}). */
    record NotLeader(String group, String leaderHint, String why) implements Reply {}
  }

  public static byte[] encode(LeaderRead read) {
    return write(
        out -> {
          if (read instanceof LeaderRead.AggregateEvents a) {
            out.writeByte(READ_AGGREGATE);
            writeString(out, a.context());
            writeString(out, a.aggregateId());
            out.writeLong(a.fromSequence());
            out.writeBoolean(a.fromLatestSnapshot());
          } else if (read instanceof LeaderRead.HighestSequence h) {
            out.writeByte(READ_HIGHEST_SEQUENCE);
            writeString(out, h.context());
            writeString(out, h.aggregateId());
          }
        });
  }

  public static LeaderRead decodeRead(byte[] data) {
    return read(
        data,
        in -> {
          int kind = in.readUnsignedByte();
          return switch (kind) {
            case READ_AGGREGATE ->
                new LeaderRead.AggregateEvents(
                    readString(in), readString(in), in.readLong(), readBoolean(in));
            case READ_HIGHEST_SEQUENCE ->
                new LeaderRead.HighestSequence(readString(in), readString(in));
            default -> throw new IllegalArgumentException("leader read kind " + kind + " unknown");
          };
        });
  }

  public static byte[] encode(Reply reply) {
    return write(
        out -> {
          if (reply instanceof Reply.Events e) {
            out.writeByte(REPLY_EVENTS);
            out.writeInt(e.events().size());
            for (Event event : e.events()) {
              writeEvent(out, event);
            }
          } else if (reply instanceof Reply.Sequence s) {
            out.writeByte(REPLY_SEQUENCE);
            out.writeLong(s.value());
          } else if (reply instanceof Reply.Error err) {
            out.writeByte(REPLY_ERROR);
            writeString(out, err.code().name());
            writeString(out, err.message());
          } else if (reply instanceof Reply.NotLeader n) {
            out.writeByte(REPLY_NOT_LEADER);
            writeString(out, n.group());
            writeString(out, n.leaderHint() == null ? "" : n.leaderHint());
            writeString(out, n.why());
          }
        });
  }

  public static Reply decodeReply(byte[] data) {
    return read(
        data,
        in -> {
          int kind = in.readUnsignedByte();
          return switch (kind) {
            case REPLY_EVENTS -> {
              int n = in.readInt();
              if (n < 0 || n > data.length) {
                throw new IllegalArgumentException("event count " + n + " impossible");
              }
              List<Event> events = new ArrayList<>(n);
              for (int i = 0; i < n; i++) {
                events.add(readEvent(in));
              }
              yield new Reply.Events(events);
            }
            case REPLY_SEQUENCE -> new Reply.Sequence(in.readLong());
            case REPLY_ERROR -> {
              String name = readString(in);
              ErrorCode code;
              try {
                code = ErrorCode.valueOf(name);
              } catch (IllegalArgumentException e) {
                code = ErrorCode.INTERNAL_ERROR;
              }
              yield new Reply.Error(code, readString(in));
            }
            case REPLY_NOT_LEADER -> {
              String group = readString(in);
              String hint = readString(in);
              yield new Reply.NotLeader(group, hint.isEmpty() ? null : hint, readString(in));
            }
            default -> throw new IllegalArgumentException("leader read reply kind " + kind);
          };
        });
  }

  private static void writeEvent(DataOutputStream out, Event e) throws IOException {
    writeString(out, e.messageId());
    writeString(out, e.aggregateId());
    writeString(out, e.aggregateType());
    out.writeLong(e.aggregateSequenceNumber());
    out.writeLong(e.timestamp());
    writeString(out, e.payloadType());
    writeString(out, e.payloadRevision());
    out.writeInt(e.payload().length);
    out.write(e.payload());
    out.writeInt(e.metadata().size());
    for (Map.Entry<String, String> m : e.metadata().entrySet()) {
      writeString(out, m.getKey());
      writeString(out, m.getValue());
    }
  }

  private static Event readEvent(DataInputStream in) throws IOException {
    String messageId = readString(in);
    String aggregateId = readString(in);
    String aggregateType = readString(in);
    long sequence = in.readLong();
    long timestamp = in.readLong();
    String payloadType = readString(in);
    String payloadRevision = readString(in);
    byte[] payload = readBytes(in);
    int entries = in.readInt();
    if (entries < 0 || entries > MAX_FIELD) {
      throw new IllegalArgumentException("metadata size " + entries + " impossible");
    }
    Map<String, String> metadata = new TreeMap<>();
    for (int i = 0; i < entries; i++) {
      metadata.put(readString(in), readString(in));
    }
    return new Event(
        messageId,
        aggregateId,
        aggregateType,
        sequence,
        timestamp,
        payloadType,
        payloadRevision,
        payload,
        metadata);
  }

  private static boolean readBoolean(DataInputStream in) throws IOException {
    int b = in.readUnsignedByte();
    if (b > 1) {
      throw new IllegalArgumentException("boolean byte " + b + " is neither 0 nor 1");
    }
    return b == 1;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_FIELD || n > in.available()) {
      throw new IllegalArgumentException("field length " + n + " exceeds the message");
    }
    return in.readNBytes(n);
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer w) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeByte(VERSION);
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] data, Reader<T> r) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IllegalArgumentException("not a leader read message (magic " + magic + ")");
      }
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("leader read format version " + version + " unknown");
      }
      T result = r.read(in);
      if (in.available() > 0) {
        throw new IllegalArgumentException(in.available() + " trailing bytes after the message");
      }
      return result;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed leader read message: " + e.getMessage(), e);
    }
  }
}

package io.caucus.cluster.rpc;

import io.caucus.cluster.admin.AdminResult;
import io.caucus.error.ErrorCode;
import io.caucus.eventstore.ApplyResult;
import io.caucus.eventstore.ByteReader;
import io.caucus.eventstore.ByteWriter;
import io.caucus.eventstore.EncodingException;
import io.caucus.eventstore.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire formats of every node-to-node request and reply of {@link Services} (except the snapshot
 * chunk, which carries its own checksummed format in {@link SnapshotChunk} beside it, and the admin
 * command itself, which travels in its {@code _admin} log format, {@code AdminCommandCodec}).
 *
 * <p>Every message: {@code u8 version} ({@value #VERSION}), {@code u8 kind} (one number per message
 * type across all services, so that a message sent to the wrong service is refused), then the
 * kind's fields with the event store's {@link ByteWriter} (big endian; strings and byte arrays
 * length-prefixed; events in the store's own form). The transport carries each message whole and
 * JGroups checks its frames, so there is no checksum here.
 *
 * <p>Stateless and thread safe. Decoding never trusts the input: an unknown version or kind,
 * truncated data, an impossible length or trailing bytes give {@link RpcFormatException} naming
 * what is wrong, never another exception.
 */
public final class RpcCodec {

  /** The format version this node writes and reads. */
  public static final int VERSION = 1;

  private static final int APPEND = 1;
  private static final int APPLIED_ACCEPTED = 2;
  private static final int APPLIED_REJECTED = 3;
  private static final int APPLIED_BEFORE = 4;
  private static final int NOT_LEADER = 5;
  private static final int READ_AGGREGATE = 6;
  private static final int READ_HIGHEST_SEQUENCE = 7;
  private static final int REPLY_EVENTS = 8;
  private static final int REPLY_SEQUENCE = 9;
  private static final int REPLY_ERROR = 10;
  private static final int ADMIN_RESULT = 11;

  private RpcCodec() {}

  // ------------------------------------------------------------------ appends

  public static byte[] encodeAppend(LeaderRequest.Append append) {
    return start(APPEND, append.command().length + 64)
        .putString(append.group())
        .putBytes(append.command())
        .toByteArray();
  }

  public static LeaderRequest.Append decodeAppend(byte[] data) {
    return decode(
        data,
        "forwarded append",
        (kind, in) -> {
          expectKind(kind, APPEND, "forwarded append");
          return new LeaderRequest.Append(in.getString(), in.getBytes());
        });
  }

  public static byte[] encodeAppendReply(AppendReply reply) {
    if (reply instanceof NotLeaderReply n) {
      return notLeader(n);
    }
    ApplyResult result = ((AppendReply.Applied) reply).result();
    if (result instanceof ApplyResult.Accepted a) {
      return start(APPLIED_ACCEPTED, 32)
          .putLong(a.logIndex())
          .putLong(a.firstToken())
          .putInt(a.eventCount())
          .toByteArray();
    }
    if (result instanceof ApplyResult.Rejected r) {
      return start(APPLIED_REJECTED, 64 + r.message().length())
          .putLong(r.logIndex())
          .putString(r.code().name())
          .putString(r.message())
          .toByteArray();
    }
    return start(APPLIED_BEFORE, 16).putLong(result.logIndex()).toByteArray();
  }

  public static AppendReply decodeAppendReply(byte[] data) {
    return decode(
        data,
        "append reply",
        (kind, in) ->
            switch (kind) {
              case APPLIED_ACCEPTED ->
                  new AppendReply.Applied(
                      new ApplyResult.Accepted(in.getLong(), in.getLong(), in.getInt()));
              case APPLIED_REJECTED ->
                  new AppendReply.Applied(
                      new ApplyResult.Rejected(in.getLong(), code(in.getString()), in.getString()));
              case APPLIED_BEFORE ->
                  new AppendReply.Applied(new ApplyResult.AlreadyApplied(in.getLong()));
              case NOT_LEADER -> readNotLeader(in);
              default -> throw unknownKind(kind, "append reply");
            });
  }

  // ------------------------------------------------------------------ reads

  public static byte[] encodeRead(LeaderRead read) {
    if (read instanceof LeaderRead.AggregateEvents a) {
      return start(READ_AGGREGATE, 64)
          .putString(a.context())
          .putString(a.aggregateId())
          .putLong(a.fromSequence())
          .putBoolean(a.fromLatestSnapshot())
          .toByteArray();
    }
    LeaderRead.HighestSequence h = (LeaderRead.HighestSequence) read;
    return start(READ_HIGHEST_SEQUENCE, 64)
        .putString(h.context())
        .putString(h.aggregateId())
        .toByteArray();
  }

  public static LeaderRead decodeRead(byte[] data) {
    return decode(
        data,
        "leader read",
        (kind, in) ->
            switch (kind) {
              case READ_AGGREGATE ->
                  new LeaderRead.AggregateEvents(
                      in.getString(), in.getString(), in.getLong(), in.getBoolean());
              case READ_HIGHEST_SEQUENCE ->
                  new LeaderRead.HighestSequence(in.getString(), in.getString());
              default -> throw unknownKind(kind, "leader read");
            });
  }

  public static byte[] encodeReadReply(ReadReply reply) {
    if (reply instanceof ReadReply.Events e) {
      ByteWriter out = start(REPLY_EVENTS, 256).putInt(e.events().size());
      for (Event event : e.events()) {
        out.putEvent(event);
      }
      return out.toByteArray();
    }
    if (reply instanceof ReadReply.Sequence s) {
      return start(REPLY_SEQUENCE, 16).putLong(s.value()).toByteArray();
    }
    if (reply instanceof ReadReply.Error err) {
      return start(REPLY_ERROR, 64 + err.message().length())
          .putString(err.code().name())
          .putString(err.message())
          .toByteArray();
    }
    return notLeader((NotLeaderReply) reply);
  }

  public static ReadReply decodeReadReply(byte[] data) {
    return decode(
        data,
        "leader read reply",
        (kind, in) ->
            switch (kind) {
              case REPLY_EVENTS -> {
                // An event takes at least 44 bytes (6 length fields, 2 longs, a metadata count).
                int n = in.getCount(44);
                List<Event> events = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                  events.add(in.getEvent());
                }
                yield new ReadReply.Events(events);
              }
              case REPLY_SEQUENCE -> new ReadReply.Sequence(in.getLong());
              case REPLY_ERROR -> new ReadReply.Error(code(in.getString()), in.getString());
              case NOT_LEADER -> readNotLeader(in);
              default -> throw unknownKind(kind, "leader read reply");
            });
  }

  // ------------------------------------------------------------------ admin

  /** The reply of a forwarded admin command. */
  public static byte[] encodeAdminResult(AdminResult result) {
    return start(ADMIN_RESULT, 64 + result.message().length())
        .putString(result.error() == null ? "" : result.error().name())
        .putBoolean(result.changed())
        .putString(result.message())
        .toByteArray();
  }

  public static AdminResult decodeAdminResult(byte[] data) {
    return decode(
        data,
        "admin reply",
        (kind, in) -> {
          expectKind(kind, ADMIN_RESULT, "admin reply");
          String error = in.getString();
          boolean changed = in.getBoolean();
          String message = in.getString();
          return new AdminResult(error.isEmpty() ? null : code(error), message, changed);
        });
  }

  // ------------------------------------------------------------------ shared

  private static byte[] notLeader(NotLeaderReply n) {
    return start(NOT_LEADER, 64 + n.why().length())
        .putString(n.group())
        .putString(n.leaderHint() == null ? "" : n.leaderHint())
        .putString(n.why())
        .putBoolean(n.retryable())
        .toByteArray();
  }

  private static NotLeaderReply readNotLeader(ByteReader in) {
    String group = in.getString();
    String hint = in.getString();
    return new NotLeaderReply(group, hint.isEmpty() ? null : hint, in.getString(), in.getBoolean());
  }

  /** An error code by its enum name; a name this node does not know is an internal error. */
  private static ErrorCode code(String name) {
    try {
      return ErrorCode.valueOf(name);
    } catch (IllegalArgumentException e) {
      return ErrorCode.INTERNAL_ERROR;
    }
  }

  private static ByteWriter start(int kind, int size) {
    return new ByteWriter(size).putByte(VERSION).putByte(kind);
  }

  private interface Body<T> {
    T read(int kind, ByteReader in);
  }

  private static <T> T decode(byte[] data, String what, Body<T> body) {
    if (data == null || data.length < 2) {
      throw new RpcFormatException(what + ": " + (data == null ? 0 : data.length) + " bytes");
    }
    int version = data[0] & 0xff;
    if (version != VERSION) {
      throw new RpcFormatException(
          what
              + ": format version "
              + version
              + " unknown, this node reads version "
              + VERSION
              + "; run the same Caucus version on every node");
    }
    ByteReader in = new ByteReader(data, 2, data.length - 2);
    try {
      T result = body.read(data[1] & 0xff, in);
      in.expectEnd();
      return result;
    } catch (EncodingException | IllegalArgumentException | NullPointerException e) {
      if (e instanceof RpcFormatException r) {
        throw r;
      }
      throw new RpcFormatException(what + " malformed: " + e.getMessage(), e);
    }
  }

  private static void expectKind(int kind, int expected, String what) {
    if (kind != expected) {
      throw unknownKind(kind, what);
    }
  }

  private static RpcFormatException unknownKind(int kind, String what) {
    return new RpcFormatException(what + ": message kind " + kind + " is not one");
  }
}

package io.caucus.cluster;

import io.caucus.error.ErrorCode;
import io.caucus.eventstore.ApplyResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The answer a group's leader sends back to a node that forwarded an append: the store's {@link
 * ApplyResult}, or "not the leader" with the leader it knows of. Format: version byte, kind byte,
 * then the kind's fields.
 */
public final class AppendReply {

  private static final int VERSION = 1;
  private static final int ACCEPTED = 1;
  private static final int REJECTED = 2;
  private static final int ALREADY_APPLIED = 3;
  private static final int NOT_LEADER = 4;

  private AppendReply() {}

  public static byte[] encode(ApplyResult result) {
    return write(
        out -> {
          if (result instanceof ApplyResult.Accepted a) {
            out.writeByte(ACCEPTED);
            out.writeLong(a.logIndex());
            out.writeLong(a.firstToken());
            out.writeInt(a.eventCount());
          } else if (result instanceof ApplyResult.Rejected r) {
            out.writeByte(REJECTED);
            out.writeLong(r.logIndex());
            out.writeUTF(r.code().name());
            out.writeUTF(r.message());
          } else {
            out.writeByte(ALREADY_APPLIED);
            out.writeLong(result.logIndex());
          }
        });
  }

  public static byte[] notLeader(NotLeaderException e) {
    return write(
        out -> {
          out.writeByte(NOT_LEADER);
          out.writeUTF(e.group());
          out.writeUTF(e.leaderHint() == null ? "" : e.leaderHint());
          out.writeBoolean(e.retryable());
        });
  }

  /** The result, or throws the {@link NotLeaderException} the leader answered with. */
  public static ApplyResult decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("append reply version " + version + " unknown");
      }
      int kind = in.readUnsignedByte();
      return switch (kind) {
        case ACCEPTED -> new ApplyResult.Accepted(in.readLong(), in.readLong(), in.readInt());
        case REJECTED ->
            new ApplyResult.Rejected(in.readLong(), ErrorCode.valueOf(in.readUTF()), in.readUTF());
        case ALREADY_APPLIED -> new ApplyResult.AlreadyApplied(in.readLong());
        case NOT_LEADER -> {
          String group = in.readUTF();
          String hint = in.readUTF();
          boolean retryable = in.readBoolean();
          throw new NotLeaderException(
              group,
              hint.isEmpty() ? null : hint,
              "the forwarded node is not the leader",
              retryable);
        }
        default -> throw new IllegalArgumentException("append reply kind " + kind + " unknown");
      };
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed append reply: " + e.getMessage(), e);
    }
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] write(Writer w) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}

package io.caucus.consensus;

import io.caucus.consensus.Message.AppendRequest;
import io.caucus.consensus.Message.AppendResponse;
import io.caucus.consensus.Message.Heartbeat;
import io.caucus.consensus.Message.HeartbeatResponse;
import io.caucus.consensus.Message.InstallSnapshot;
import io.caucus.consensus.Message.TimeoutNow;
import io.caucus.consensus.Message.VoteRequest;
import io.caucus.consensus.Message.VoteResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stable binary form of a {@link Message}, for the transport between nodes.
 *
 * <p>Layout (big-endian, {@link DataOutputStream} primitives): {@code version:u8 kind:u8 from:utf
 * to:utf term:i64} followed by the kind's fields in record order. Entries are {@code count:i32}
 * times {@code index:i64 term:i64 type:u8 length:i32 data}; a membership is {@code length:i32} and
 * {@link Membership#encode()}. Kind codes and the layout never change within a version; a new
 * layout gets a new version and decoders keep reading the old ones.
 *
 * <p>Stateless and thread-safe. Decoding never trusts its input: anything malformed (unknown
 * version or kind, truncated, trailing bytes, absurd lengths) is an {@link
 * IllegalArgumentException} whose message says what was wrong; the transport drops such a message
 * and logs it.
 */
public final class MessageCodec {

  /** The format version written by {@link #encode(Message)}. */
  public static final int VERSION = 1;

  private static final int APPEND = 1;
  private static final int APPEND_RESPONSE = 2;
  private static final int VOTE = 3;
  private static final int VOTE_RESPONSE = 4;
  private static final int HEARTBEAT = 5;
  private static final int HEARTBEAT_RESPONSE = 6;
  private static final int SNAPSHOT = 7;
  private static final int TIMEOUT_NOW = 8;
  private static final int MAX_ENTRIES = 1 << 20;
  private static final int MAX_BYTES = 1 << 30;

  private MessageCodec() {}

  public static byte[] encode(Message m) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeByte(kindOf(m));
      out.writeUTF(m.from());
      out.writeUTF(m.to());
      out.writeLong(m.term());
      if (m instanceof AppendRequest a) {
        out.writeLong(a.prevIndex());
        out.writeLong(a.prevTerm());
        out.writeLong(a.commit());
        out.writeInt(a.entries().size());
        for (Entry e : a.entries()) {
          out.writeLong(e.index());
          out.writeLong(e.term());
          out.writeByte(e.type().code());
          out.writeInt(e.data().length);
          out.write(e.data());
        }
      } else if (m instanceof AppendResponse r) {
        out.writeBoolean(r.reject());
        out.writeLong(r.index());
        out.writeLong(r.lastIndex());
      } else if (m instanceof VoteRequest v) {
        out.writeLong(v.lastIndex());
        out.writeLong(v.lastTerm());
        out.writeBoolean(v.preVote());
        out.writeBoolean(v.transfer());
      } else if (m instanceof VoteResponse v) {
        out.writeBoolean(v.granted());
        out.writeBoolean(v.preVote());
      } else if (m instanceof Heartbeat h) {
        out.writeLong(h.commit());
        out.writeLong(h.readRound());
      } else if (m instanceof HeartbeatResponse h) {
        out.writeLong(h.readRound());
      } else if (m instanceof InstallSnapshot s) {
        out.writeLong(s.snapshot().index());
        out.writeLong(s.snapshot().term());
        byte[] membership = s.snapshot().membership().encode();
        out.writeInt(membership.length);
        out.write(membership);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static int kindOf(Message m) {
    if (m instanceof AppendRequest) {
      return APPEND;
    } else if (m instanceof AppendResponse) {
      return APPEND_RESPONSE;
    } else if (m instanceof VoteRequest) {
      return VOTE;
    } else if (m instanceof VoteResponse) {
      return VOTE_RESPONSE;
    } else if (m instanceof Heartbeat) {
      return HEARTBEAT;
    } else if (m instanceof HeartbeatResponse) {
      return HEARTBEAT_RESPONSE;
    } else if (m instanceof InstallSnapshot) {
      return SNAPSHOT;
    } else if (m instanceof TimeoutNow) {
      return TIMEOUT_NOW;
    }
    throw new IllegalArgumentException("unknown message type " + m.getClass());
  }

  /** Decodes what {@link #encode(Message)} wrote. */
  public static Message decode(byte[] data) {
    if (data == null || data.length < 2) {
      throw new IllegalArgumentException("malformed consensus message: shorter than its header");
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
    try {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "consensus message format version "
                + version
                + " is not supported (this node reads "
                + VERSION
                + "); upgrade the node");
      }
      int kind = in.readUnsignedByte();
      String from = in.readUTF();
      String to = in.readUTF();
      long term = in.readLong();
      Message m =
          switch (kind) {
            case APPEND -> {
              long prevIndex = in.readLong();
              long prevTerm = in.readLong();
              long commit = in.readLong();
              int n = in.readInt();
              if (n < 0 || n > MAX_ENTRIES) {
                throw new IllegalArgumentException(
                    "malformed consensus message: " + n + " entries");
              }
              List<Entry> entries = new ArrayList<>(Math.min(n, 1024));
              for (int i = 0; i < n; i++) {
                long index = in.readLong();
                long eterm = in.readLong();
                EntryType type = EntryType.fromCode(in.readUnsignedByte());
                entries.add(new Entry(index, eterm, type, readBytes(in)));
              }
              yield new AppendRequest(from, to, term, prevIndex, prevTerm, entries, commit);
            }
            case APPEND_RESPONSE ->
                new AppendResponse(from, to, term, in.readBoolean(), in.readLong(), in.readLong());
            case VOTE ->
                new VoteRequest(
                    from,
                    to,
                    term,
                    in.readLong(),
                    in.readLong(),
                    in.readBoolean(),
                    in.readBoolean());
            case VOTE_RESPONSE ->
                new VoteResponse(from, to, term, in.readBoolean(), in.readBoolean());
            case HEARTBEAT -> new Heartbeat(from, to, term, in.readLong(), in.readLong());
            case HEARTBEAT_RESPONSE -> new HeartbeatResponse(from, to, term, in.readLong());
            case SNAPSHOT -> {
              long index = in.readLong();
              long sterm = in.readLong();
              Membership membership = Membership.decode(readBytes(in));
              yield new InstallSnapshot(
                  from, to, term, new SnapshotMetadata(index, sterm, membership));
            }
            case TIMEOUT_NOW -> new TimeoutNow(from, to, term);
            default ->
                throw new IllegalArgumentException(
                    "malformed consensus message: unknown kind " + kind);
          };
      if (in.available() > 0) {
        throw new IllegalArgumentException(
            "malformed consensus message: " + in.available() + " trailing bytes");
      }
      return m;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed consensus message: truncated", e);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_BYTES || length > in.available()) {
      throw new IllegalArgumentException("malformed consensus message: field of " + length + "B");
    }
    byte[] b = new byte[length];
    in.readFully(b);
    return b;
  }
}

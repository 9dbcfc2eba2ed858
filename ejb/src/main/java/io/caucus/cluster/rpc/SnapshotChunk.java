package io.caucus.cluster.rpc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32C;

/**
 * One chunk of a state-machine snapshot on its way from a group's leader to a lagging follower.
 * Wire format: magic, version, group, snapshot index, snapshot term, sequence, last flag, length,
 * data, CRC32C of everything before it.
 *
 * @param group the replication group
 * @param snapshotIndex the consensus snapshot index the transfer serves
 * @param snapshotTerm the term of the entry at {@code snapshotIndex}
 * @param sequence 0, 1, 2, … within one transfer
 * @param last whether this is the final chunk
 * @param data the state machine's chunk
 */
public record SnapshotChunk(
    String group, long snapshotIndex, long snapshotTerm, int sequence, boolean last, byte[] data) {

  private static final int MAGIC = 0x43534e50; // "CSNP"
  private static final int VERSION = 2;

  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length + 64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeByte(VERSION);
      out.writeUTF(group);
      out.writeLong(snapshotIndex);
      out.writeLong(snapshotTerm);
      out.writeInt(sequence);
      out.writeBoolean(last);
      out.writeInt(data.length);
      out.write(data);
      out.flush();
      CRC32C crc = new CRC32C();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decodes a chunk; throws {@link IllegalArgumentException} naming what is wrong. */
  public static SnapshotChunk decode(byte[] bytes) {
    if (bytes.length < 8) {
      throw new IllegalArgumentException("snapshot chunk too short");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    int stored =
        ((bytes[bytes.length - 4] & 0xff) << 24)
            | ((bytes[bytes.length - 3] & 0xff) << 16)
            | ((bytes[bytes.length - 2] & 0xff) << 8)
            | (bytes[bytes.length - 1] & 0xff);
    if (stored != (int) crc.getValue()) {
      throw new IllegalArgumentException("snapshot chunk checksum mismatch");
    }
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 4))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalArgumentException("not a snapshot chunk (wrong magic)");
      }
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("snapshot chunk version " + version + " unknown");
      }
      String group = in.readUTF();
      long index = in.readLong();
      long term = in.readLong();
      int seq = in.readInt();
      boolean last = in.readBoolean();
      int n = in.readInt();
      if (n < 0 || n > bytes.length) {
        throw new IllegalArgumentException("snapshot chunk length " + n + " impossible");
      }
      byte[] data = in.readNBytes(n);
      return new SnapshotChunk(group, index, term, seq, last, data);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed snapshot chunk: " + e.getMessage(), e);
    }
  }
}

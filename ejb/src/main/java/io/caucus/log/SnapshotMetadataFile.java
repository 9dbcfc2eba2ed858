package io.caucus.log;

import io.caucus.consensus.Membership;
import io.caucus.consensus.SnapshotMetadata;
import io.caucus.log.LogRecoveryException.Problem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The metadata of the group's latest durable snapshot (index, term, membership bytes) in the file
 * {@value #NAME}, replaced atomically (see {@link AtomicFile}). It also fixes where the log starts:
 * {@code firstIndex = index + 1}. Not thread-safe; {@link FileRaftLog} serializes calls.
 */
final class SnapshotMetadataFile {

  static final String NAME = "snapshot";
  private static final int MAGIC = 0x4341534D; // "CASM"
  private static final int VERSION = 1;

  private final AtomicFile file;

  SnapshotMetadataFile(Path dir) {
    this.file = new AtomicFile(dir.resolve(NAME), MAGIC, VERSION);
    file.removeLeftover();
  }

  SnapshotMetadata load() {
    byte[] payload = file.read();
    if (payload == null) {
      return SnapshotMetadata.NONE;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
      long index = in.readLong();
      long term = in.readLong();
      byte[] membership = new byte[in.readInt()];
      in.readFully(membership);
      return new SnapshotMetadata(index, term, Membership.decode(membership));
    } catch (IOException | RuntimeException e) {
      throw new LogRecoveryException(
          Problem.BAD_STATE_FILE, file.file(), 12, "the snapshot metadata cannot be decoded: " + e);
    }
  }

  void save(SnapshotMetadata snapshot) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(snapshot.index());
      out.writeLong(snapshot.term());
      byte[] membership = snapshot.membership().encode();
      out.writeInt(membership.length);
      out.write(membership);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    file.write(bytes.toByteArray());
  }
}

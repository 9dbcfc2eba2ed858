package io.caucus.log;

import io.caucus.consensus.HardState;
import io.caucus.log.LogRecoveryException.Problem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The group's hard state (term, vote, commit hint) in the file {@value #NAME}, replaced atomically
 * (see {@link AtomicFile}). Not thread-safe; {@link FileRaftLog} serializes calls.
 */
final class HardStateFile {

  static final String NAME = "hardstate";
  private static final int MAGIC = 0x43414853; // "CAHS"
  private static final int VERSION = 1;

  private final AtomicFile file;

  HardStateFile(Path dir) {
    this.file = new AtomicFile(dir.resolve(NAME), MAGIC, VERSION);
    file.removeLeftover();
  }

  HardState load() {
    byte[] payload = file.read();
    if (payload == null) {
      return HardState.EMPTY;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
      long term = in.readLong();
      String votedFor = in.readBoolean() ? in.readUTF() : null;
      long commit = in.readLong();
      return new HardState(term, votedFor, commit);
    } catch (IOException | IllegalArgumentException e) {
      throw new LogRecoveryException(
          Problem.BAD_STATE_FILE, file.file(), 12, "the hard state cannot be decoded: " + e);
    }
  }

  void save(HardState state) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(state.term());
      out.writeBoolean(state.votedFor() != null);
      if (state.votedFor() != null) {
        out.writeUTF(state.votedFor());
      }
      out.writeLong(state.commit());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    file.write(bytes.toByteArray());
  }
}

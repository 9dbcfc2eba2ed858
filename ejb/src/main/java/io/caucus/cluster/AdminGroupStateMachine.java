package io.caucus.cluster;

import io.caucus.cluster.admin.AdminStateMachine;
import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.List;

/**
 * The {@code _admin} structure as the state machine of the {@code _admin} group. The structure is
 * held in memory and rebuilt from the log at start (the {@code _admin} log is small and is not
 * compacted); its snapshot travels as one chunk. Threads and failures as {@link AdminStateMachine}.
 */
public final class AdminGroupStateMachine implements GroupStateMachine {

  private final AdminStateMachine admin;
  private ByteArrayOutputStream staged;

  public AdminGroupStateMachine(AdminStateMachine admin) {
    this.admin = admin;
  }

  @Override
  public Object apply(long index, byte[] data) {
    return admin.apply(index, data);
  }

  @Override
  public long lastAppliedIndex() {
    return admin.lastApplied();
  }

  /** The structure lives in memory and is rebuilt from the log: nothing of it is on a device. */
  @Override
  public long syncToDevice() {
    return 0;
  }

  @Override
  public Iterator<byte[]> snapshotChunks(int maxChunkBytes) {
    return List.of(admin.snapshot()).iterator();
  }

  @Override
  public void beginInstall() {
    staged = new ByteArrayOutputStream();
  }

  @Override
  public void installChunk(byte[] chunk) {
    staged.writeBytes(chunk);
  }

  @Override
  public void finishInstall() {
    admin.restore(staged.toByteArray());
    staged = null;
  }

  @Override
  public void close() {}
}

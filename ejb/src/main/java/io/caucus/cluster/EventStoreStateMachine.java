package io.caucus.cluster;

import io.caucus.eventstore.EventStore;
import io.caucus.eventstore.StateSnapshotInstaller;
import io.caucus.eventstore.StateSnapshotReader;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A context's event store as the state machine of the context's replication group. Results are the
 * store's {@code ApplyResult}s. Threads, durability and failures as {@link EventStore}.
 */
public final class EventStoreStateMachine implements GroupStateMachine {

  private final EventStore store;
  private StateSnapshotInstaller installer;

  public EventStoreStateMachine(EventStore store) {
    this.store = store;
  }

  public EventStore store() {
    return store;
  }

  @Override
  public Object apply(long index, byte[] data) {
    return store.apply(index, data);
  }

  @Override
  public long syncToDevice() {
    return store.syncToDevice();
  }

  @Override
  public long lastAppliedIndex() {
    return store.lastAppliedIndex();
  }

  @Override
  public Iterator<byte[]> snapshotChunks(int maxChunkBytes) {
    StateSnapshotReader reader = store.openStateSnapshot(maxChunkBytes);
    return new Iterator<>() {
      private byte[] next = advance();

      private byte[] advance() {
        byte[] chunk = reader.nextChunk();
        if (chunk == null) {
          reader.close();
        }
        return chunk;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public byte[] next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        byte[] chunk = next;
        next = advance();
        return chunk;
      }
    };
  }

  @Override
  public void beginInstall() {
    installer = store.beginInstall();
  }

  @Override
  public void installChunk(byte[] chunk) {
    if (chunk.length > 0) {
      installer.accept(chunk);
    }
  }

  @Override
  public void finishInstall() {
    installer.finish();
    installer = null;
  }

  @Override
  public void close() {
    // The store's lifecycle belongs to EventStores, which the runtime closes.
  }
}

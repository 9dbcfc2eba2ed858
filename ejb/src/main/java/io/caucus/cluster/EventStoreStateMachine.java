package io.caucus.cluster;

import io.caucus.error.ErrorCode;
import io.caucus.eventstore.ApplyResult;
import io.caucus.eventstore.CommandCodec;
import io.caucus.eventstore.EventStore;
import io.caucus.eventstore.StateSnapshotInstaller;
import io.caucus.eventstore.StateSnapshotReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state machine of a replication group that serves contexts: one event store per context (each
 * in its own folder), and every committed entry applied to the store of the context it names
 * ({@link CommandCodec#contextOf}; an entry written before entries named their context goes to the
 * group's first context). Results are the stores' {@code ApplyResult}s. Events of one context never
 * reach another context's store.
 *
 * <p><b>Contexts come and go while the group runs.</b> {@link #addContext} serves a context created
 * in the group; {@link #removeContext} stops serving one that was deleted (its store is then closed
 * or deleted by the caller). An entry naming a context that is not served here asks the {@link
 * ContextOpener}, which opens its store (a follower whose {@code _admin} lags behind the group's
 * leader learns of a new context from the group's own log) or refuses; a refused entry is {@link
 * ApplyResult.Rejected} with {@code CONTEXT_NOT_FOUND} and changes nothing. Entries of a context
 * removed while the group runs are refused so (they can only be appends proposed before the delete
 * reached the leader).
 *
 * <p><b>Applied index.</b> Each store keeps its own applied index, which only moves on its own
 * entries. The group's {@link #lastAppliedIndex()} is the highest index handed to a store in this
 * run, and at start the lowest of the stores' indexes: below it every store holds all of its
 * entries, so replaying from it is always safe (a store ignores entries at or below its own index).
 * {@link #syncToDevice()} syncs every store, after which everything handed to them is on the
 * device, so log compaction is not held back by a context that receives no appends.
 *
 * <p><b>Snapshot.</b> {@link #snapshotChunks} streams every context's store, one after the other,
 * each chunk tagged with its context ({@link ContextChunk}); installing opens each named context's
 * store and replaces its state, so a member restored from a snapshot gets every context. A context
 * served here but absent from the snapshot is left as it is. Chunks without a context tag (from a
 * node of the single-context format) are installed into the first context.
 *
 * <p><b>Threads.</b> {@link #apply}, the install methods and {@link #syncToDevice} run on the
 * group's runner thread; {@link #addContext}, {@link #removeContext} come from the reconciliation
 * thread and are serialised with apply by a lock, so a store is never removed in the middle of an
 * entry. Snapshot streams read from their own threads (a store removed meanwhile fails the stream,
 * which the leader retries). Durability and failures as {@link EventStore}.
 */
public final class EventStoreStateMachine implements GroupStateMachine {

  /** Opens the store of a context that an entry names but that this group does not serve yet. */
  @FunctionalInterface
  public interface ContextOpener {
    /**
     * @param context the context the entry names
     * @param index the entry's log index
     * @return the context's store, or empty to refuse the entry (no such context in this group)
     */
    Optional<EventStore> open(String context, long index);
  }

  private final String group;
  private final String firstContext;
  private final ContextOpener opener;
  private final Map<String, EventStore> stores = new ConcurrentHashMap<>();
  private final Set<String> removed = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();

  /** The highest index handed to a store in this run; 0 until the first. */
  private volatile long handed;

  private Install install;

  /**
   * @param group the replication group's name (for messages)
   * @param firstContext the context that entries naming none belong to (the group's only context
   *     before a group could serve several)
   * @param initial the stores of the group's contexts, opened by the caller
   * @param opener asked about entries naming a context not in {@code initial} nor added since
   */
  public EventStoreStateMachine(
      String group, String firstContext, Map<String, EventStore> initial, ContextOpener opener) {
    this.group = group;
    this.firstContext = firstContext;
    this.opener = opener;
    this.stores.putAll(initial);
  }

  /** A group serving just {@code store}'s context, opening no other. */
  public EventStoreStateMachine(String context, EventStore store) {
    this(context, context, Map.of(context, store), (c, i) -> Optional.empty());
  }

  /** The store of a context served here. */
  public Optional<EventStore> store(String context) {
    return Optional.ofNullable(stores.get(context));
  }

  /** The contexts served here, sorted. */
  public SortedSet<String> contexts() {
    return new TreeSet<>(stores.keySet());
  }

  /** Starts serving a context (created in the group while it runs). No-op if served. */
  public void addContext(String context, EventStore store) {
    synchronized (lock) {
      removed.remove(context);
      stores.putIfAbsent(context, store);
    }
  }

  /**
   * Stops serving a context: later entries naming it are refused. The caller closes or deletes its
   * store once this returns (no entry is being applied to it then).
   *
   * @return whether it was served
   */
  public boolean removeContext(String context) {
    synchronized (lock) {
      removed.add(context);
      return stores.remove(context) != null;
    }
  }

  @Override
  public Object apply(long index, byte[] data) {
    synchronized (lock) {
      String named = CommandCodec.contextOf(data);
      String context = named == null ? firstContext : named;
      EventStore store = storeForEntry(context, index);
      ApplyResult result =
          store == null
              ? new ApplyResult.Rejected(
                  index,
                  ErrorCode.CONTEXT_NOT_FOUND,
                  "context " + context + " is not served by replication group " + group)
              : store.apply(index, data);
      handed = index;
      return result;
    }
  }

  private EventStore storeForEntry(String context, long index) {
    EventStore store = stores.get(context);
    if (store != null || removed.contains(context)) {
      return store;
    }
    store = opener.open(context, index).orElse(null);
    if (store != null) {
      stores.put(context, store);
    }
    return store;
  }

  @Override
  public long lastAppliedIndex() {
    long lowest = Long.MAX_VALUE;
    for (EventStore s : stores.values()) {
      lowest = Math.min(lowest, s.lastAppliedIndex());
    }
    return Math.max(handed, lowest == Long.MAX_VALUE ? 0 : lowest);
  }

  @Override
  public long syncToDevice() {
    synchronized (lock) {
      for (EventStore s : stores.values()) {
        s.syncToDevice();
      }
      // Every entry handed to a store so far is now on the device, also in stores it did not
      // reach: their state up to it is complete as it is.
      return lastAppliedIndex();
    }
  }

  @Override
  public Iterator<byte[]> snapshotChunks(int maxChunkBytes) {
    Deque<String> contexts = new ArrayDeque<>(new TreeMap<>(stores).keySet());
    return new Iterator<>() {
      private String context;
      private StateSnapshotReader reader;
      private byte[] next = advance();

      private byte[] advance() {
        while (true) {
          if (reader == null) {
            context = contexts.poll();
            EventStore store = context == null ? null : stores.get(context);
            if (context == null) {
              return null;
            }
            if (store == null) {
              continue; // removed since the stream started
            }
            reader = store.openStateSnapshot(maxChunkBytes);
          }
          byte[] chunk = reader.nextChunk();
          if (chunk != null) {
            return new ContextChunk(context, chunk).encode();
          }
          reader.close();
          reader = null;
        }
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
    install = new Install();
  }

  @Override
  public void installChunk(byte[] chunk) {
    if (chunk.length > 0) {
      install.accept(ContextChunk.decode(chunk));
    }
  }

  @Override
  public void finishInstall() {
    install.finishCurrent();
    install = null;
    handed = 0; // the stores' own indexes now say where each stands
  }

  /** One install in progress: the context whose chunks arrive now and its store's installer. */
  private final class Install {
    private String context;
    private StateSnapshotInstaller installer;

    void accept(ContextChunk c) {
      String name = c.context() == null ? firstContext : c.context();
      if (!name.equals(context)) {
        finishCurrent();
        context = name;
        installer = storeToInstall(name).beginInstall();
      }
      installer.accept(c.storeChunk());
    }

    void finishCurrent() {
      if (installer != null) {
        installer.finish();
        installer = null;
      }
    }

    private EventStore storeToInstall(String name) {
      synchronized (lock) {
        EventStore store = stores.get(name);
        if (store == null) {
          // The snapshot says the context exists in this group as of its index.
          removed.remove(name);
          store = opener.open(name, Long.MAX_VALUE).orElse(null);
          if (store == null) {
            throw new IllegalStateException(
                "group "
                    + group
                    + ": the snapshot holds context "
                    + name
                    + ", whose store cannot be opened here");
          }
          stores.put(name, store);
        }
        return store;
      }
    }
  }

  @Override
  public void close() {
    // The stores' lifecycle belongs to EventStores, which the runtime closes.
  }
}

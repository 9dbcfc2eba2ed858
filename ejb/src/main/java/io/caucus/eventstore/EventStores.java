package io.caucus.eventstore;

import io.caucus.error.ErrorCode;
import io.caucus.eventstore.storage.StorageFactory;
import io.caucus.eventstore.storage.StoragePort;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The node's open event stores, one per context name.
 *
 * <p>Lifecycle: lives as long as the node; {@link #close()} closes every store (not the factory,
 * which its owner closes). Thread safety: thread-safe. Failure handling: unknown contexts give
 * {@link EventStoreException} with {@code CONTEXT_NOT_FOUND}, bad names {@code INVALID_REQUEST}.
 */
public final class EventStores implements AutoCloseable {

  /**
   * Context names double as folder names: letters, digits, {@code _ - .}, not starting with a dot.
   */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}");

  private final StorageFactory storage;
  private final ConcurrentHashMap<String, EventStore> open = new ConcurrentHashMap<>();

  public EventStores(StorageFactory storage) {
    this.storage = storage;
  }

  /** Opens the store of {@code context}, creating its storage if new; the open one if open. */
  public EventStore open(String context) {
    if (context == null || !NAME.matcher(context).matches()) {
      throw EventStoreException.of(
          ErrorCode.INVALID_REQUEST,
          "context name '"
              + context
              + "' must be 1-64 letters, digits, '_', '-' or '.', not starting with '.'");
    }
    return open.computeIfAbsent(context, this::openStore);
  }

  private EventStore openStore(String context) {
    StoragePort port = storage.open(context);
    try {
      return DefaultEventStore.open(context, port);
    } catch (RuntimeException e) {
      port.close(); // so that a later attempt can open it again
      throw e;
    }
  }

  /** The open store of {@code context}. */
  public EventStore get(String context) {
    EventStore store = context == null ? null : open.get(context);
    if (store == null) {
      throw EventStoreException.of(ErrorCode.CONTEXT_NOT_FOUND, context);
    }
    return store;
  }

  /** The open store of {@code context}, if any. */
  public Optional<EventStore> find(String context) {
    return Optional.ofNullable(context == null ? null : open.get(context));
  }

  /** Names of the open contexts, sorted. */
  public Set<String> contexts() {
    return new TreeSet<>(open.keySet());
  }

  /** Closes the store of {@code context}; its data stays. */
  public void close(String context) {
    EventStore store = open.remove(context);
    if (store == null) {
      throw EventStoreException.of(ErrorCode.CONTEXT_NOT_FOUND, context);
    }
    store.close();
  }

  /** Closes (if open) and deletes the store of {@code context} with all its data. */
  public void delete(String context) {
    EventStore store = open.remove(context);
    if (store != null) {
      store.close();
    } else if (!storage.exists(context)) {
      throw EventStoreException.of(ErrorCode.CONTEXT_NOT_FOUND, context);
    }
    storage.delete(context);
  }

  @Override
  public void close() {
    for (String c : contexts()) {
      EventStore store = open.remove(c);
      if (store != null) {
        store.close();
      }
    }
  }
}

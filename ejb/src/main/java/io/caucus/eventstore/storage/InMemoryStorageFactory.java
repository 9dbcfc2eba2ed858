package io.caucus.eventstore.storage;

import java.util.concurrent.ConcurrentHashMap;

/** Hands out one {@link InMemoryStoragePort} per context name, kept until deleted. Thread-safe. */
public final class InMemoryStorageFactory implements StorageFactory {

  private final ConcurrentHashMap<String, InMemoryStoragePort> ports = new ConcurrentHashMap<>();

  @Override
  public StoragePort open(String context) {
    return ports.computeIfAbsent(context, c -> new InMemoryStoragePort());
  }

  @Override
  public boolean exists(String context) {
    return ports.containsKey(context);
  }

  @Override
  public void delete(String context) {
    ports.remove(context);
  }

  @Override
  public void close() {
    // Nothing held open.
  }
}

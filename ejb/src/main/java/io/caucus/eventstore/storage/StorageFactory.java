package io.caucus.eventstore.storage;

/**
 * Opens the storage of a context by name.
 *
 * <p><b>Lifecycle:</b> a factory lives as long as the node; {@link #close()} closes what it still
 * holds. A context's storage is opened at most once at a time.
 *
 * <p><b>Thread safety:</b> implementations are thread-safe.
 *
 * <p><b>Failure handling:</b> {@link #open} throws an unchecked exception with a sentence if the
 * storage cannot be opened (folder not writable, files locked by another process).
 */
public interface StorageFactory extends AutoCloseable {

  /** Opens (creating if needed) the storage of {@code context}. */
  StoragePort open(String context);

  /** Whether storage for {@code context} exists (it was opened before and not deleted). */
  boolean exists(String context);

  /** Deletes the storage of a closed context and all its data. */
  void delete(String context);

  @Override
  void close();
}

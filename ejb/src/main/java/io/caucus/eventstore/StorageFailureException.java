package io.caucus.eventstore;

/**
 * The storage under an event store failed or holds data it cannot read (I/O error, corrupt record).
 * This is never caused by client input. The store's state in memory may be behind its files: the
 * caller must stop using the store, close it and reopen it (which replays from the durable applied
 * index).
 */
public class StorageFailureException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StorageFailureException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageFailureException(String message) {
    super(message);
  }
}

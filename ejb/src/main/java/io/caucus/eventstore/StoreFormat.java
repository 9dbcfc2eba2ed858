package io.caucus.eventstore;

import io.caucus.eventstore.storage.StoragePort;

/**
 * The format version of a context's event store, recorded under the reserved meta key {@link #KEY}
 * when the store is created (or, for a store written before versions were recorded, when this
 * version first opens it). The record is one single-key write, so it is either there whole or not;
 * it is synced to the device before anything else is written.
 *
 * <p>Record: {@code magic:int32 = 0x43535446 ("CSTF")}, {@code version:uint8}.
 *
 * <ul>
 *   <li>{@link #PLAIN_KEYS} (1): the aggregate index is keyed by the aggregate identifiers
 *       themselves. Every store written before format records existed (up to commit a83070a) is in
 *       this format; it is read and written in it for good (no migration: a rewrite of every head
 *       at start-up would cost time and add a crash window for no gain, since such a store only
 *       ever holds identifiers the file store accepted).
 *   <li>{@link #HASHED_KEYS} (2): the aggregate index is keyed by a fixed-size hash of the
 *       identifier, the identifier stored beside its head ({@link AggregateIndex}). New stores, and
 *       stores emptied for a snapshot install, are in this format.
 * </ul>
 */
final class StoreFormat {

  static final String KEY = "format";
  static final int MAGIC = 0x43535446;
  static final int PLAIN_KEYS = 1;
  static final int HASHED_KEYS = 2;
  static final int CURRENT = HASHED_KEYS;

  private StoreFormat() {}

  private static final System.Logger LOG = System.getLogger(StoreFormat.class.getName());

  /**
   * The format of the store behind {@code storage}. A store without a format record is new (nothing
   * of an entry, a retention pass or an install is in it: each of those writes one of the records
   * looked at) and gets the current format; otherwise older code wrote it, in plain keys, and it
   * keeps them. Either way the record is written and synced before the first apply.
   */
  static int open(String context, StoragePort storage) {
    byte[] record = storage.meta().get(KEY);
    if (record != null) {
      return decode(context, record);
    }
    boolean empty =
        storage.meta().get(DefaultEventStore.STATE) == null
            && storage.meta().get(DefaultEventStore.RETENTION) == null
            && storage.events().get(0L) == null;
    if (empty) {
      try (var heads = storage.aggregates().entries()) {
        empty = heads.findAny().isEmpty();
      }
    }
    int format = empty ? CURRENT : PLAIN_KEYS;
    write(context, storage, format);
    if (!empty) {
      LOG.log(
          System.Logger.Level.INFO,
          "Context {0}: event store written by an older version; keeping its plain-key layout"
              + " (format {1})",
          context,
          format);
    }
    return format;
  }

  /** Records {@code format} and syncs it to the device. */
  static void write(String context, StoragePort storage, int format) {
    storage.meta().put(KEY, encode(format));
    try {
      storage.syncToDevice();
    } catch (java.io.UncheckedIOException e) {
      throw new StorageFailureException(
          "Context " + context + ": cannot sync the store's format record: " + e.getMessage(), e);
    }
  }

  static byte[] encode(int version) {
    return new ByteWriter(5).putInt(MAGIC).putByte(version).toByteArray();
  }

  /**
   * The version in a format record.
   *
   * @throws StorageFailureException saying what to do if the record is not one or names a version
   *     this code does not know
   */
  static int decode(String context, byte[] record) {
    if (record.length != 5 || new ByteReader(record, 0, 4).getInt() != MAGIC) {
      throw new StorageFailureException(
          "Context "
              + context
              + ": the event store's format record is not one Caucus writes; the folder holds"
              + " something else or is damaged. Restore it from a backup or delete the context's"
              + " folder so that the node rebuilds it from its peers");
    }
    int version = record[4] & 0xff;
    if (version != PLAIN_KEYS && version != HASHED_KEYS) {
      throw new StorageFailureException(
          "Context "
              + context
              + ": the event store is in format "
              + version
              + ", this version of Caucus reads formats "
              + PLAIN_KEYS
              + " and "
              + HASHED_KEYS
              + " only. Run the (newer) Caucus version that wrote it");
    }
    return version;
  }
}

package io.caucus.eventstore;

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

package io.caucus.cluster;

import io.caucus.eventstore.ByteReader;
import io.caucus.eventstore.ByteWriter;
import io.caucus.eventstore.EncodingException;
import java.util.Arrays;

/**
 * One chunk of a replication group's state snapshot: a chunk of one context's event store snapshot
 * with the name of the context it belongs to, so that a group serving several contexts sends all of
 * them in one snapshot ({@link EventStoreStateMachine#snapshotChunks}).
 *
 * <p>Format (big-endian): {@code magic:int32 = 0x43435458 ("CCTX")}, {@code version:uint8 = 1},
 * {@code context:string}, then the store's chunk as it is (which carries its own checksum). A chunk
 * without this magic is a store chunk sent by a node from before groups served several contexts;
 * {@link #decode} returns it with a {@code null} context (the group's first context).
 *
 * @param context the context the chunk belongs to, or {@code null} for an old chunk
 * @param storeChunk the event store's snapshot chunk
 */
record ContextChunk(String context, byte[] storeChunk) {

  static final int MAGIC = 0x43435458;
  static final int VERSION = 1;

  byte[] encode() {
    ByteWriter w = new ByteWriter(storeChunk.length + context.length() + 16);
    w.putInt(MAGIC).putByte(VERSION).putString(context);
    w.putRaw(storeChunk, 0, storeChunk.length);
    return w.toByteArray();
  }

  /**
   * @throws EncodingException a chunk with this magic but another version or a broken name
   */
  static ContextChunk decode(byte[] data) {
    if (data.length < 5 || new ByteReader(data, 0, 4).getInt() != MAGIC) {
      return new ContextChunk(null, data);
    }
    ByteReader r = new ByteReader(data, 4, data.length - 4);
    int version = r.getByte();
    if (version != VERSION) {
      throw new EncodingException("group snapshot chunk version " + version + " (reads 1)");
    }
    String context = r.getString();
    return new ContextChunk(context, Arrays.copyOfRange(data, r.position(), data.length));
  }
}

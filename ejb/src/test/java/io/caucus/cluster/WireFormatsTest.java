package io.caucus.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.cluster.rpc.SnapshotChunk;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The snapshot chunk's wire format (the other node-to-node formats: rpc.RpcCodecTest). */
class WireFormatsTest {

  @Test
  void snapshotChunksRoundTrip() {
    byte[] data = new byte[10_000];
    new Random(7).nextBytes(data);
    SnapshotChunk chunk = new SnapshotChunk("default", 1234, 7, 5, true, data);
    SnapshotChunk back = SnapshotChunk.decode(chunk.encode());
    assertEquals("default", back.group());
    assertEquals(1234, back.snapshotIndex());
    assertEquals(5, back.sequence());
    assertTrue(back.last());
    assertArrayEquals(data, back.data());
  }

  @Test
  void aDamagedSnapshotChunkIsRefusedWhereverTheDamageIs() {
    byte[] bytes = new SnapshotChunk("g", 1, 1, 0, false, new byte[] {1, 2, 3}).encode();
    for (int i = 0; i < bytes.length; i++) {
      byte[] copy = bytes.clone();
      copy[i] ^= 0x10;
      int at = i;
      assertThrows(
          IllegalArgumentException.class, () -> SnapshotChunk.decode(copy), "flip at " + at);
    }
    assertThrows(IllegalArgumentException.class, () -> SnapshotChunk.decode(new byte[3]));
  }
}

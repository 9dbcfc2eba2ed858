package io.caucus.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.error.ErrorCode;
import io.caucus.eventstore.ApplyResult;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The runtime's own wire formats: snapshot chunks and forwarded-append replies. */
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

  @Test
  void appendRepliesCarryTheStoresVerdict() {
    ApplyResult accepted =
        AppendReply.decode(AppendReply.encode(new ApplyResult.Accepted(9, 40, 3)));
    assertEquals(new ApplyResult.Accepted(9, 40, 3), accepted);
    ApplyResult rejected =
        AppendReply.decode(
            AppendReply.encode(
                new ApplyResult.Rejected(10, ErrorCode.INVALID_SEQUENCE, "expected 2")));
    assertEquals(new ApplyResult.Rejected(10, ErrorCode.INVALID_SEQUENCE, "expected 2"), rejected);
    assertEquals(
        new ApplyResult.AlreadyApplied(3),
        AppendReply.decode(AppendReply.encode(new ApplyResult.AlreadyApplied(3))));
  }

  @Test
  void aNotLeaderReplyIsThrownWithItsHintAndWhetherARetryIsSafe() {
    byte[] safe = AppendReply.notLeader(new NotLeaderException("default", "node-2", "x", true));
    NotLeaderException e = assertThrows(NotLeaderException.class, () -> AppendReply.decode(safe));
    assertEquals("default", e.group());
    assertEquals("node-2", e.leaderHint());
    assertTrue(e.retryable());
    byte[] unsafe = AppendReply.notLeader(new NotLeaderException("default", null, "x", false));
    NotLeaderException u = assertThrows(NotLeaderException.class, () -> AppendReply.decode(unsafe));
    assertEquals(null, u.leaderHint());
    assertFalse(u.retryable());
    assertThrows(IllegalArgumentException.class, () -> AppendReply.decode(new byte[] {9, 1}));
  }
}

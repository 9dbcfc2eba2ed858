package io.caucus.consensus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

  static List<Message> samples() {
    Membership m =
        Membership.of(Map.of("n1", Role.PRIMARY, "n2", Role.ACTIVE_BACKUP, "n3", Role.SECONDARY));
    return List.of(
        new Message.AppendRequest(
            "n1",
            "n2",
            7,
            10,
            6,
            List.of(
                new Entry(11, 7, EntryType.NORMAL, new byte[] {1, 2, 3}),
                new Entry(12, 7, EntryType.MEMBERSHIP, MembershipChange.remove("n3").encode()),
                new Entry(13, 7, EntryType.NOOP, null)),
            9),
        new Message.AppendRequest("n1", "n2", 7, 10, 6, List.of(), 9),
        new Message.AppendResponse("n2", "n1", 7, true, 10, 8),
        new Message.VoteRequest("n1", "n2", 8, 13, 7, true, false),
        new Message.VoteRequest("n1", "n2", 8, 13, 7, false, true),
        new Message.VoteResponse("n2", "n1", 8, true, true),
        new Message.Heartbeat("n1", "n2", 8, 13, 99),
        new Message.HeartbeatResponse("n2", "n1", 8, 99),
        new Message.InstallSnapshot("n1", "n3", 8, new SnapshotMetadata(100, 7, m)),
        new Message.TimeoutNow("n1", "n2", 8));
  }

  @Test
  void everyKindRoundTrips() {
    for (Message m : samples()) {
      byte[] bytes = MessageCodec.encode(m);
      assertEquals(MessageCodec.VERSION, bytes[0]);
      assertEquals(m, MessageCodec.decode(bytes), m.getClass().getSimpleName());
      assertArrayEquals(bytes, MessageCodec.encode(MessageCodec.decode(bytes)));
    }
  }

  @Test
  void formatIsStable() {
    // Pinned bytes: changing the layout without a new version breaks mixed-version clusters.
    byte[] bytes = MessageCodec.encode(new Message.TimeoutNow("a", "b", 258));
    assertArrayEquals(new byte[] {1, 8, 0, 1, 'a', 0, 1, 'b', 0, 0, 0, 0, 0, 0, 1, 2}, bytes);
  }

  @Test
  void unknownVersionIsRefusedWithAdvice() {
    byte[] bytes = MessageCodec.encode(new Message.TimeoutNow("a", "b", 1));
    bytes[0] = 2;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.decode(bytes));
    assertTrue(e.getMessage().contains("version 2"), e.getMessage());
  }

  @Test
  void everyTruncationAndTrailingGarbageIsRefused() {
    for (Message m : samples()) {
      byte[] bytes = MessageCodec.encode(m);
      for (int len = 0; len < bytes.length; len++) {
        byte[] cut = Arrays.copyOf(bytes, len);
        assertThrows(
            IllegalArgumentException.class, () -> MessageCodec.decode(cut), m + " @" + len);
      }
      byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
      assertThrows(IllegalArgumentException.class, () -> MessageCodec.decode(longer));
    }
  }

  @Test
  void randomBytesNeverEscapeAsAnythingButIllegalArgument() {
    Random r = new Random(5);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[r.nextInt(64)];
      r.nextBytes(b);
      if (b.length > 0) {
        b[0] = 1;
      }
      try {
        MessageCodec.decode(b);
      } catch (IllegalArgumentException expected) {
        // the only allowed failure
      }
    }
  }
}

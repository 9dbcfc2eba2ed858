package io.caucus.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.caucus.error.ErrorCode;
import io.caucus.eventstore.Event;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The format of reads forwarded to the leader and of its answers. */
class LeaderReadCodecTest {

  private static Event event(long seq, String metaValue) {
    return new Event(
        "m-" + seq,
        "agg-é-" + "x".repeat(70_000), // longer than DataOutput#writeUTF allows
        "Order",
        seq,
        1_700_000_000_000L + seq,
        "OrderPlaced",
        seq % 2 == 0 ? "" : "2",
        new byte[] {(byte) seq, 0, -1},
        Map.of("trace", metaValue, "a", "b"));
  }

  @Test
  void readsRoundTrip() {
    LeaderRead aggregate = new LeaderRead.AggregateEvents("default", "order-1", 7, true);
    assertEquals(aggregate, LeaderReadCodec.decodeRead(LeaderReadCodec.encode(aggregate)));
    LeaderRead highest = new LeaderRead.HighestSequence("billing", "order-2");
    assertEquals(highest, LeaderReadCodec.decodeRead(LeaderReadCodec.encode(highest)));
  }

  @Test
  void repliesRoundTripWithEveryEventField() {
    List<Event> events = List.of(event(0, "t0"), event(1, "t1"), event(2, ""));
    LeaderReadCodec.Reply back =
        LeaderReadCodec.decodeReply(
            LeaderReadCodec.encode(new LeaderReadCodec.Reply.Events(events)));
    List<Event> decoded = ((LeaderReadCodec.Reply.Events) back).events();
    assertEquals(events.size(), decoded.size());
    for (int i = 0; i < events.size(); i++) {
      Event a = events.get(i);
      Event b = decoded.get(i);
      assertEquals(a.messageId(), b.messageId());
      assertEquals(a.aggregateId(), b.aggregateId());
      assertEquals(a.aggregateType(), b.aggregateType());
      assertEquals(a.aggregateSequenceNumber(), b.aggregateSequenceNumber());
      assertEquals(a.timestamp(), b.timestamp());
      assertEquals(a.payloadType(), b.payloadType());
      assertEquals(a.payloadRevision(), b.payloadRevision());
      assertArrayEquals(a.payload(), b.payload());
      assertEquals(a.metadata(), b.metadata());
    }
    assertEquals(
        new LeaderReadCodec.Reply.Events(List.of()),
        LeaderReadCodec.decodeReply(
            LeaderReadCodec.encode(new LeaderReadCodec.Reply.Events(List.of()))));
    assertEquals(
        new LeaderReadCodec.Reply.Sequence(-1),
        LeaderReadCodec.decodeReply(
            LeaderReadCodec.encode(new LeaderReadCodec.Reply.Sequence(-1))));
    LeaderReadCodec.Reply error =
        new LeaderReadCodec.Reply.Error(ErrorCode.DATA_NOT_AVAILABLE, "removed by retention");
    assertEquals(error, LeaderReadCodec.decodeReply(LeaderReadCodec.encode(error)));
    LeaderReadCodec.Reply notLeader = new LeaderReadCodec.Reply.NotLeader("g", "n2", "moved");
    assertEquals(notLeader, LeaderReadCodec.decodeReply(LeaderReadCodec.encode(notLeader)));
    LeaderReadCodec.Reply unknown = new LeaderReadCodec.Reply.NotLeader("g", null, "election");
    LeaderReadCodec.Reply unknownBack =
        LeaderReadCodec.decodeReply(LeaderReadCodec.encode(unknown));
    assertNull(((LeaderReadCodec.Reply.NotLeader) unknownBack).leaderHint());
  }

  @Test
  void wrongMagicVersionKindOrLengthIsRefusedWithIllegalArgument() {
    byte[] read =
        LeaderReadCodec.encode(new LeaderRead.AggregateEvents("default", "order-1", 0, false));
    byte[] badMagic = read.clone();
    badMagic[0] ^= 1;
    assertThrows(IllegalArgumentException.class, () -> LeaderReadCodec.decodeRead(badMagic));
    byte[] badVersion = read.clone();
    badVersion[4] = 9;
    assertThrows(IllegalArgumentException.class, () -> LeaderReadCodec.decodeRead(badVersion));
    byte[] badKind = read.clone();
    badKind[5] = 77;
    assertThrows(IllegalArgumentException.class, () -> LeaderReadCodec.decodeRead(badKind));
    byte[] badLength = read.clone();
    badLength[6] = 0x7f;
    assertThrows(IllegalArgumentException.class, () -> LeaderReadCodec.decodeRead(badLength));
    byte[] trailing = java.util.Arrays.copyOf(read, read.length + 1);
    assertThrows(IllegalArgumentException.class, () -> LeaderReadCodec.decodeRead(trailing));
    // A reply is not a read, and a read is not a reply.
    byte[] reply = LeaderReadCodec.encode(new LeaderReadCodec.Reply.Sequence(3));
    assertThrows(IllegalArgumentException.class, () -> LeaderReadCodec.decodeRead(reply));
  }

  @Test
  void everyTruncationIsRefusedWithIllegalArgument() {
    byte[] bytes = LeaderReadCodec.encode(new LeaderReadCodec.Reply.Events(List.of(event(1, "t"))));
    for (int n = 0; n < bytes.length; n += 97) {
      byte[] cut = java.util.Arrays.copyOf(bytes, n);
      int at = n;
      assertThrows(
          IllegalArgumentException.class, () -> LeaderReadCodec.decodeReply(cut), "cut at " + at);
    }
  }
}

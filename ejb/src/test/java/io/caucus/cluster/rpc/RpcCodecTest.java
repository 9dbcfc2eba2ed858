package io.caucus.cluster.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caucus.cluster.admin.AdminResult;
import io.caucus.error.ErrorCode;
import io.caucus.eventstore.ApplyResult;
import io.caucus.eventstore.Event;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The node-to-node formats: every message round trips; bad bytes give RpcFormatException. */
class RpcCodecTest {

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

  /** One encoded message of every kind, each with the decoder of its service. */
  private record Sample(String what, byte[] bytes, Function<byte[], Object> decoder) {}

  private static List<Sample> samples() {
    return List.of(
        new Sample(
            "append",
            RpcCodec.encodeAppend(new LeaderRequest.Append("g", new byte[] {1, 2, 3})),
            RpcCodec::decodeAppend),
        new Sample(
            "append accepted",
            RpcCodec.encodeAppendReply(new AppendReply.Applied(new ApplyResult.Accepted(5, 9, 2))),
            RpcCodec::decodeAppendReply),
        new Sample(
            "read",
            RpcCodec.encodeRead(new LeaderRead.AggregateEvents("default", "order-1", 0, false)),
            RpcCodec::decodeRead),
        new Sample(
            "read events",
            RpcCodec.encodeReadReply(new ReadReply.Events(List.of(event(1, "t")))),
            RpcCodec::decodeReadReply),
        new Sample(
            "read not leader",
            RpcCodec.encodeReadReply(new NotLeaderReply("g", "n2", "moved", true)),
            RpcCodec::decodeReadReply),
        new Sample(
            "admin result",
            RpcCodec.encodeAdminResult(
                new AdminResult(ErrorCode.CONTEXT_EXISTS, "Context c exists", false)),
            RpcCodec::decodeAdminResult));
  }

  @Test
  void appendsAndTheirRepliesRoundTrip() {
    LeaderRequest.Append append = new LeaderRequest.Append("billing", new byte[] {9, 0, -1});
    LeaderRequest.Append back = RpcCodec.decodeAppend(RpcCodec.encodeAppend(append));
    assertEquals("billing", back.group());
    assertArrayEquals(append.command(), back.command());
    assertEquals(
        0,
        RpcCodec.decodeAppend(RpcCodec.encodeAppend(new LeaderRequest.Append("g", new byte[0])))
            .command()
            .length);
    for (ApplyResult r :
        List.of(
            new ApplyResult.Accepted(12, 100, 3),
            new ApplyResult.Rejected(13, ErrorCode.INVALID_SEQUENCE, "expected 4"),
            new ApplyResult.AlreadyApplied(14))) {
      AppendReply reply = new AppendReply.Applied(r);
      assertEquals(reply, RpcCodec.decodeAppendReply(RpcCodec.encodeAppendReply(reply)));
    }
    AppendReply notLeader = new NotLeaderReply("g", "n3", "moved", false);
    assertEquals(notLeader, RpcCodec.decodeAppendReply(RpcCodec.encodeAppendReply(notLeader)));
    NotLeaderReply noHint =
        (NotLeaderReply)
            RpcCodec.decodeAppendReply(
                RpcCodec.encodeAppendReply(new NotLeaderReply("g", null, "election", true)));
    assertNull(noHint.leaderHint());
    assertTrue(noHint.retryable());
  }

  @Test
  void readsRoundTrip() {
    LeaderRead aggregate = new LeaderRead.AggregateEvents("default", "order-1", 7, true);
    assertEquals(aggregate, RpcCodec.decodeRead(RpcCodec.encodeRead(aggregate)));
    LeaderRead highest = new LeaderRead.HighestSequence("billing", "order-2");
    assertEquals(highest, RpcCodec.decodeRead(RpcCodec.encodeRead(highest)));
  }

  @Test
  void readRepliesRoundTripWithEveryEventField() {
    List<Event> events = List.of(event(0, "t0"), event(1, "t1"), event(2, ""));
    ReadReply back =
        RpcCodec.decodeReadReply(RpcCodec.encodeReadReply(new ReadReply.Events(events)));
    List<Event> decoded = ((ReadReply.Events) back).events();
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
    for (ReadReply r :
        List.of(
            new ReadReply.Events(List.of()),
            new ReadReply.Sequence(-1),
            new ReadReply.Error(ErrorCode.DATA_NOT_AVAILABLE, "removed by retention"),
            new NotLeaderReply("g", "n2", "moved", true))) {
      assertEquals(r, RpcCodec.decodeReadReply(RpcCodec.encodeReadReply(r)));
    }
  }

  @Test
  void adminResultsRoundTrip() {
    for (AdminResult r :
        List.of(
            new AdminResult(null, "created context c", true),
            new AdminResult(null, "nothing to do", false),
            new AdminResult(ErrorCode.LAST_PRIMARY, "x".repeat(70_000), false))) {
      assertEquals(r, RpcCodec.decodeAdminResult(RpcCodec.encodeAdminResult(r)));
    }
  }

  @Test
  void anUnknownVersionIsRefusedWithAClearMessage() {
    for (Sample s : samples()) {
      byte[] other = s.bytes().clone();
      other[0] = 7;
      RpcFormatException e =
          assertThrows(RpcFormatException.class, () -> s.decoder().apply(other), s.what());
      assertTrue(
          e.getMessage().contains("version 7 unknown") && e.getMessage().contains("version 1"),
          e.getMessage());
    }
    // The formats before versioning: a forwarded append started with writeUTF's length, a leader
    // read with the magic "CRDR". Neither passes for version 1.
    byte[] unversionedAppend = {0, 1, 'g', 1, 2};
    assertThrows(RpcFormatException.class, () -> RpcCodec.decodeAppend(unversionedAppend));
    byte[] magicRead = {0x43, 0x52, 0x44, 0x52, 1, 2};
    assertThrows(RpcFormatException.class, () -> RpcCodec.decodeRead(magicRead));
  }

  @Test
  void everyTruncationIsRefused() {
    for (Sample s : samples()) {
      int step = Math.max(1, s.bytes().length / 200);
      for (int n = 0; n < s.bytes().length; n += step) {
        byte[] cut = Arrays.copyOf(s.bytes(), n);
        int at = n;
        assertThrows(
            RpcFormatException.class, () -> s.decoder().apply(cut), s.what() + " cut at " + at);
      }
    }
  }

  @Test
  void trailingBytesAndMessagesOfAnotherServiceAreRefused() {
    for (Sample s : samples()) {
      byte[] trailing = Arrays.copyOf(s.bytes(), s.bytes().length + 1);
      assertThrows(RpcFormatException.class, () -> s.decoder().apply(trailing), s.what());
    }
    // A reply is not a read, a read is not an append, an append reply is not an admin result.
    byte[] reply = RpcCodec.encodeReadReply(new ReadReply.Sequence(3));
    assertThrows(RpcFormatException.class, () -> RpcCodec.decodeRead(reply));
    byte[] read = RpcCodec.encodeRead(new LeaderRead.HighestSequence("c", "a"));
    assertThrows(RpcFormatException.class, () -> RpcCodec.decodeAppend(read));
    byte[] applied =
        RpcCodec.encodeAppendReply(new AppendReply.Applied(new ApplyResult.AlreadyApplied(1)));
    assertThrows(RpcFormatException.class, () -> RpcCodec.decodeAdminResult(applied));
    byte[] badLength = RpcCodec.encodeRead(new LeaderRead.HighestSequence("c", "a"));
    badLength[2] = 0x7f;
    assertThrows(RpcFormatException.class, () -> RpcCodec.decodeRead(badLength));
  }
}

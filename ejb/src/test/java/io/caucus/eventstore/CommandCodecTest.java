package io.caucus.eventstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CommandCodecTest {

  @Test
  void eventTransactionAndSnapshotRoundTrip() {
    Event a =
        new Event(
            "m1",
            "agg",
            "Order",
            7,
            123,
            "Placed",
            "2",
            new byte[] {1, 2},
            Map.of("b", "2", "a", "1"));
    Event b = new Event("m2", null, null, 0, 5, "Tick", null, null, null);
    EventCommand decoded = CommandCodec.decode(CommandCodec.encodeEvents(List.of(a, b)));
    assertEquals(new EventCommand.AppendEvents(List.of(a, b)), decoded);
    assertEquals(
        new EventCommand.AppendSnapshot(a), CommandCodec.decode(CommandCodec.encodeSnapshot(a)));
  }

  @Test
  void equalEventsEncodeToEqualBytesWhateverTheMetadataOrder() {
    Map<String, String> m1 = new java.util.LinkedHashMap<>();
    m1.put("x", "1");
    m1.put("a", "2");
    Map<String, String> m2 = new java.util.LinkedHashMap<>();
    m2.put("a", "2");
    m2.put("x", "1");
    Event e1 = new Event("m", "a", "T", 0, 1, "P", "", new byte[0], m1);
    Event e2 = new Event("m", "a", "T", 0, 1, "P", "", new byte[0], m2);
    assertArrayEquals(CommandCodec.encodeSnapshot(e1), CommandCodec.encodeSnapshot(e2));
  }

  @Test
  void wrongMagicVersionChecksumAndTruncationAreNamed() {
    byte[] good = TestEvents.events("a", 0, 3, 1);
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertTrue(
        assertThrows(EncodingException.class, () -> CommandCodec.decode(magic))
            .getMessage()
            .contains("magic"));
    byte[] version = good.clone();
    version[4] = 9;
    assertTrue(
        assertThrows(EncodingException.class, () -> CommandCodec.decode(version))
            .getMessage()
            .contains("version"));
    byte[] flipped = good.clone();
    flipped[20] ^= 0x10;
    assertTrue(
        assertThrows(EncodingException.class, () -> CommandCodec.decode(flipped))
            .getMessage()
            .contains("checksum"));
    assertThrows(EncodingException.class, () -> CommandCodec.decode(new byte[3]));
    assertThrows(EncodingException.class, () -> CommandCodec.decode(null));
  }

  @Test
  void randomBytesNeverEscapeAsAnythingButEncodingException() {
    Random rnd = new Random(7);
    byte[] good = TestEvents.events("a", 0, 3, 1);
    for (int i = 0; i < 2000; i++) {
      byte[] b = java.util.Arrays.copyOf(good, rnd.nextInt(good.length + 1));
      if (b.length > 0) {
        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt();
      }
      try {
        CommandCodec.decode(b);
      } catch (EncodingException expected) {
        // fine
      }
    }
  }
}

package io.caucus.eventstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
    EventCommand decoded = CommandCodec.decode(CommandCodec.encodeEvents("default", List.of(a, b)));
    assertEquals(new EventCommand.AppendEvents(List.of(a, b)), decoded);
    assertEquals(
        new EventCommand.AppendSnapshot(a),
        CommandCodec.decode(CommandCodec.encodeSnapshot("default", a)));
  }

  @Test
  void aCommandNamesItsContextAndAVersion1CommandNamesNone() {
    Event a = new Event("m1", "agg", "Order", 0, 1, "Placed", "", new byte[] {1}, Map.of());
    byte[] v2 = CommandCodec.encodeEvents("orders", List.of(a));
    assertEquals(CommandCodec.VERSION, v2[4]);
    assertEquals("orders", CommandCodec.contextOf(v2));

    // The bytes a node wrote before entries named their context: version 1, no name.
    byte[] v1 = CommandCodec.encodeVersion1(new EventCommand.AppendEvents(List.of(a)));
    assertEquals(CommandCodec.VERSION_1, v1[4]);
    assertNull(CommandCodec.contextOf(v1));
    assertEquals(CommandCodec.decode(v2), CommandCodec.decode(v1), "both versions decode alike");

    byte[] stamped = CommandCodec.withContext(v1, "billing");
    assertEquals("billing", CommandCodec.contextOf(stamped));
    assertEquals(CommandCodec.decode(v1), CommandCodec.decode(stamped));
    assertEquals("billing", CommandCodec.contextOf(CommandCodec.withContext(v2, "billing")));

    // A damaged name never routes an entry: the checksum covers it.
    byte[] damaged = v2.clone();
    damaged[10] ^= 0x01;
    assertNull(CommandCodec.contextOf(damaged));
    byte[] garbage = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    assertNull(CommandCodec.contextOf(garbage));
    assertArrayEquals(
        garbage, CommandCodec.withContext(garbage, "x"), "left for the store to refuse");
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
    assertArrayEquals(
        CommandCodec.encodeSnapshot("default", e1), CommandCodec.encodeSnapshot("default", e2));
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

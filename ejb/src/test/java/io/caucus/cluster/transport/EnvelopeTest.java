package io.caucus.cluster.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

  @Test
  void everyKindRoundTripsAtAnOffset() {
    for (Envelope.Kind kind : Envelope.Kind.values()) {
      Envelope e = new Envelope(kind, "node-1", "group.ä", 77L, new byte[] {1, 2, 3});
      byte[] bytes = e.encode();
      byte[] framed = new byte[bytes.length + 10];
      System.arraycopy(bytes, 0, framed, 5, bytes.length);
      Envelope d = Envelope.decode(framed, 5, bytes.length);
      assertEquals(kind, d.kind());
      assertEquals("node-1", d.fromNode());
      assertEquals("group.ä", d.target());
      assertEquals(77L, d.correlationId());
      assertArrayEquals(new byte[] {1, 2, 3}, d.payload());
    }
  }

  @Test
  void firstByteIsTheFormatVersionAndAnotherVersionIsRefused() {
    byte[] bytes = new Envelope(Envelope.Kind.GROUP, "a", "g", 0, new byte[0]).encode();
    assertEquals(Envelope.VERSION, bytes[0]);
    bytes[0] = 2;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Envelope.decode(bytes, 0, bytes.length));
    assertTrue(e.getMessage().contains("version 2"), e.getMessage());
  }

  @Test
  void everyTruncationAndExtensionIsRefused() {
    byte[] bytes = new Envelope(Envelope.Kind.REQUEST, "abc", "svc", 9, new byte[] {4, 5}).encode();
    for (int len = 0; len < bytes.length; len++) {
      int l = len;
      assertThrows(IllegalArgumentException.class, () -> Envelope.decode(bytes, 0, l));
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(IllegalArgumentException.class, () -> Envelope.decode(longer, 0, longer.length));
  }

  @Test
  void randomBytesNeverEscapeAsAnythingButIllegalArgument() {
    Random r = new Random(1);
    for (int i = 0; i < 10_000; i++) {
      byte[] junk = new byte[r.nextInt(40)];
      r.nextBytes(junk);
      if (junk.length > 0 && r.nextBoolean()) {
        junk[0] = (byte) Envelope.VERSION;
      }
      try {
        Envelope.decode(junk, 0, junk.length);
      } catch (IllegalArgumentException expected) {
        // the only failure allowed
      }
    }
  }
}

package io.caucus.cluster.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransportConfigTest {

  @Test
  void addressesParseWithAndWithoutPort() {
    assertEquals(new NodeAddress("node1", 8224), NodeAddress.parse("node1", 8224));
    assertEquals(new NodeAddress("node1", 9000), NodeAddress.parse(" node1:9000 ", 8224));
    assertEquals(new NodeAddress("::1", 9000), NodeAddress.parse("[::1]:9000", 8224));
    assertEquals(new NodeAddress("::1", 8224), NodeAddress.parse("[::1]", 8224));
    assertEquals("[::1]:9000", new NodeAddress("::1", 9000).toString());
    assertEquals("h[1]", new NodeAddress("h", 1).toJGroups());
  }

  @Test
  void badAddressesAreRefusedWithTheTextInTheMessage() {
    for (String bad : new String[] {"", "h:x", "h:0", "h:70000", "[::1", "[::1]x", "a b:1", ":1"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> NodeAddress.parse(bad, 8224), bad);
      assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), bad);
    }
  }

  @Test
  void defaultsAreLoopbackAndAxonsInternalPort() {
    TransportConfig c = TransportConfig.builder("node-1").build();
    assertEquals("127.0.0.1", c.bindHost());
    assertEquals(8224, c.bindPort());
    assertEquals("caucus", c.clusterName());
  }

  @Test
  void badValuesAreRefusedWithASentence() {
    IllegalArgumentException name =
        assertThrows(IllegalArgumentException.class, () -> TransportConfig.builder("a b").build());
    assertTrue(name.getMessage().contains("'a b'"), name.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> TransportConfig.builder("n").bindPort(0).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> TransportConfig.builder("n").failureDetectionTimeout(Duration.ZERO).build());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TransportConfig.builder("n").bindPort(65_500).failureDetectionPortOffset(100).build());
  }
}

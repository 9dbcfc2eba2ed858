package io.caucus.cluster.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {

  @Test
  void addressCarriesTheNodeName() {
    assertEquals("node-7", JGroupsTransport.nodeName(JGroupsTransport.newAddress("node-7", 1)));
  }

  @Test
  void newestIncarnationOfARestartedNodeWinsWhateverTheViewOrder() {
    Address oldB = JGroupsTransport.newAddress("b", 1_000);
    Address newB = JGroupsTransport.newAddress("b", 2_000);
    Address a = JGroupsTransport.newAddress("a", 5);
    assertEquals(
        Map.of("a", a, "b", newB), JGroupsTransport.newestIncarnations(List.of(a, oldB, newB)));
    assertEquals(
        Map.of("a", a, "b", newB), JGroupsTransport.newestIncarnations(List.of(newB, a, oldB)));
  }

  @Test
  void memberWithoutACaucusNameIsIgnored() {
    Address foreign = UUID.randomUUID();
    Address a = JGroupsTransport.newAddress("a", 5);
    assertEquals(Map.of("a", a), JGroupsTransport.newestIncarnations(List.of(foreign, a)));
  }
}

package io.caucus.cluster.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {

  private static final NodeAddress HERE = new NodeAddress("localhost", 8224);

  @Test
  void addressCarriesTheInternalAddress() {
    assertEquals(HERE, JGroupsTransport.internalAddress(JGroupsTransport.newAddress("n", 1, HERE)));
    assertEquals(null, JGroupsTransport.internalAddress(UUID.randomUUID()));
  }

  @Test
  void addressCarriesTheNodeName() {
    assertEquals(
        "node-7", JGroupsTransport.nodeName(JGroupsTransport.newAddress("node-7", 1, HERE)));
  }

  @Test
  void newestIncarnationOfARestartedNodeWinsWhateverTheViewOrder() {
    Address oldB = JGroupsTransport.newAddress("b", 1_000, HERE);
    Address newB = JGroupsTransport.newAddress("b", 2_000, HERE);
    Address a = JGroupsTransport.newAddress("a", 5, HERE);
    assertEquals(
        Map.of("a", a, "b", newB), JGroupsTransport.newestIncarnations(List.of(a, oldB, newB)));
    assertEquals(
        Map.of("a", a, "b", newB), JGroupsTransport.newestIncarnations(List.of(newB, a, oldB)));
  }

  @Test
  void memberWithoutACaucusNameIsIgnored() {
    Address foreign = UUID.randomUUID();
    Address a = JGroupsTransport.newAddress("a", 5, HERE);
    assertEquals(Map.of("a", a), JGroupsTransport.newestIncarnations(List.of(foreign, a)));
  }
}

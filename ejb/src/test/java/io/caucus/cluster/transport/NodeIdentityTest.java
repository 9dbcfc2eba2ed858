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
    assertEquals(HERE, NodeIdentity.internalAddress(NodeIdentity.newAddress("n", 1, HERE)));
    assertEquals(null, NodeIdentity.internalAddress(UUID.randomUUID()));
  }

  @Test
  void addressCarriesTheNodeName() {
    assertEquals("node-7", NodeIdentity.nodeName(NodeIdentity.newAddress("node-7", 1, HERE)));
  }

  @Test
  void newestIncarnationOfARestartedNodeWinsWhateverTheViewOrder() {
    Address oldB = NodeIdentity.newAddress("b", 1_000, HERE);
    Address newB = NodeIdentity.newAddress("b", 2_000, HERE);
    Address a = NodeIdentity.newAddress("a", 5, HERE);
    assertEquals(
        Map.of("a", a, "b", newB), NodeIdentity.newestIncarnations(List.of(a, oldB, newB)));
    assertEquals(
        Map.of("a", a, "b", newB), NodeIdentity.newestIncarnations(List.of(newB, a, oldB)));
  }

  @Test
  void memberWithoutACaucusNameIsIgnored() {
    Address foreign = UUID.randomUUID();
    Address a = NodeIdentity.newAddress("a", 5, HERE);
    assertEquals(Map.of("a", a), NodeIdentity.newestIncarnations(List.of(foreign, a)));
  }
}

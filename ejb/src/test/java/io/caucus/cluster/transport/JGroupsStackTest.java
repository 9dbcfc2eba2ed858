package io.caucus.cluster.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JGroupsStackTest {

  private static TransportConfig config() {
    return TransportConfig.builder("n1")
        .bindHost("127.0.0.1")
        .bindPort(18_224)
        .initialHosts(
            List.of(new NodeAddress("127.0.0.1", 18_225), new NodeAddress("localhost", 18_226)))
        .failureDetectionTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** resources/caucus-jgroups.xml is what operators copy: it must be the built-in stack. */
  @Test
  void shippedCopyIsTheBuiltInStack() throws Exception {
    Path shipped = Path.of("..", "resources", JGroupsStack.BUILT_IN);
    assertTrue(
        Files.isRegularFile(shipped), "run from the ejb module: " + shipped.toAbsolutePath());
    String builtIn;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(JGroupsStack.BUILT_IN)) {
      builtIn = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertEquals(builtIn, Files.readString(shipped, StandardCharsets.UTF_8));
  }

  @Test
  void builtInStackGetsTheNodesOwnValuesWithoutSystemProperties() throws Exception {
    try (JChannel ch = JGroupsStack.newChannel(config())) {
      TCP tcp = ch.getProtocolStack().findProtocol(TCP.class);
      assertEquals(18_224, tcp.getBindPort());
      assertEquals(0, tcp.getPortRange());
      assertFalse(tcp.getDiagnosticsHandler().isEnabled()); // no multicast socket on any NIC
      // one sender thread per member: a frozen member must not stall the others
      assertTrue(tcp.getBundler() instanceof org.jgroups.protocols.PerDestinationBundler);
      assertFalse(((org.jgroups.protocols.BaseBundler) tcp.getBundler()).useSingleSenderThread());
      assertEquals("127.0.0.1", tcp.getBindAddress().getHostAddress());
      TCPPING ping = ch.getProtocolStack().findProtocol(TCPPING.class);
      assertEquals(3, ping.getInitialHosts().size()); // itself and the two known nodes
      FD_SOCK2 fd = ch.getProtocolStack().findProtocol(FD_SOCK2.class);
      assertEquals("127.0.0.1", fd.getBindAddress().getHostAddress());
      assertEquals(10_000, ch.getProtocolStack().<FD_ALL3>findProtocol(FD_ALL3.class).getTimeout());
      assertEquals(
          2_000,
          ch.getProtocolStack()
              .<org.jgroups.protocols.pbcast.GMS>findProtocol(
                  org.jgroups.protocols.pbcast.GMS.class)
              .getJoinTimeout());
    }
  }

  @Test
  void stackTheResourcesHoldNamesEveryRequiredProtocol() throws Exception {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(JGroupsStack.BUILT_IN)) {
      String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String p :
          List.of(
              "<TCP ",
              "<TCPPING ",
              "<MERGE3 ",
              "<FD_SOCK2 ",
              "<FD_ALL3 ",
              "<VERIFY_SUSPECT2 ",
              "<pbcast.NAKACK2 use_mcast_xmit=\"false\"",
              "<UNICAST3",
              "<pbcast.STABLE",
              "<pbcast.GMS",
              "<MFC",
              "<UFC",
              "<FRAG2")) {
        assertTrue(xml.contains(p), p);
      }
    }
  }

  @Test
  void knownPlaceholdersAreReplacedWithOrWithoutDefaultAndOthersAreLeft() {
    String out =
        JGroupsStack.resolve(
            "<TCP a=\"${caucus.bind_port:8224}\" b=\"${caucus.bind_addr}\" c=\"${other:1}\"/>",
            Map.of("caucus.bind_port", "9", "caucus.bind_addr", "h&<\""));
    assertEquals("<TCP a=\"9\" b=\"h&amp;&lt;&quot;\" c=\"${other:1}\"/>", out);
  }

  @Test
  void unknownCaucusPlaceholderIsNamedInTheError() {
    TransportException e =
        assertThrows(
            TransportException.class,
            () -> JGroupsStack.resolve("<TCP a=\"${caucus.bind_prot}\"/>", Map.of()));
    assertTrue(e.getMessage().contains("caucus.bind_prot"), e.getMessage());
  }

  @Test
  void customStackFileIsUsedAndABrokenOneIsReportedWithItsPath(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("stack.xml");
    Files.writeString(broken, "<config><NoSuchProtocol/></config>");
    TransportConfig c = TransportConfig.builder("n1").bindPort(18_224).stackFile(broken).build();
    TransportException e = assertThrows(TransportException.class, () -> JGroupsStack.newChannel(c));
    assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());

    TransportConfig missing =
        TransportConfig.builder("n1").bindPort(18_224).stackFile(dir.resolve("none.xml")).build();
    TransportException m =
        assertThrows(TransportException.class, () -> JGroupsStack.newChannel(missing));
    assertTrue(m.getMessage().contains("none.xml"), m.getMessage());
  }

  @Test
  void initialHostsAlwaysStartWithThisNodeAndHoldNoDuplicates() {
    TransportConfig c =
        TransportConfig.builder("n1")
            .bindPort(18_224)
            .initialHost(new NodeAddress("127.0.0.1", 18_224))
            .initialHost(new NodeAddress("127.0.0.1", 18_225))
            .build();
    assertEquals(
        "127.0.0.1[18224],127.0.0.1[18225]", JGroupsStack.variables(c).get("caucus.initial_hosts"));
    assertFalse(JGroupsStack.variables(c).containsValue(null));
  }
}

package io.caucus.arquillian.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The lab itself: the host reaches a namespace over the bridge; a connect from one namespace to
 * another gets "Connection refused" (port 1 has no listener, so the RST proves the packet got there
 * and back), after {@code cut} it gets the prohibit route's error instead, after {@code heal}
 * refused again. Skips where namespaces cannot be made.
 */
class NetworkLabTest {

  private static final int PREFIX = 35;

  @Test
  void cutAndHealChangeWhatAConnectSees() throws Exception {
    assumeTrue(NetworkLab.available(), "cannot create network namespaces here (needs root and ip)");
    try (NetworkLab lab = NetworkLab.create(PREFIX, 2)) {
      try (Socket s = new Socket()) {
        assertThrows(
            ConnectException.class,
            () -> s.connect(new InetSocketAddress(lab.address(1), 1), 2000),
            "host reaches node 1 over the bridge and is refused");
      }
      assertEquals("refused", connectFrom(lab, 1, 2));
      lab.cut(1, 2);
      assertEquals("cut", connectFrom(lab, 1, 2));
      assertEquals("cut", connectFrom(lab, 2, 1));
      lab.heal(1, 2);
      assertEquals("refused", connectFrom(lab, 1, 2));
      lab.cutOneWay(1, 2);
      assertEquals("cut", connectFrom(lab, 1, 2));
      // the SYN from 2 reaches 1, but 1's answer hits the prohibit route: 2 waits (timeout 3 s)
      assertEquals("", connectFrom(lab, 2, 1).trim());
      lab.healAll();
      assertEquals("refused", connectFrom(lab, 2, 1));
    }
    String left = run("ip", "netns", "list") + run("ip", "-o", "link", "show");
    assertFalse(left.contains("caucus-" + PREFIX + "-n"), left);
    assertFalse(left.contains("cb" + PREFIX + ":"), left);
  }

  /** Connects from node {@code from}'s namespace to port 1 of node {@code to}. */
  private static String connectFrom(NetworkLab lab, int from, int to) throws Exception {
    String out =
        run(
            "ip",
            "netns",
            "exec",
            lab.namespace(from),
            "timeout",
            "3",
            "bash",
            "-c",
            "exec 3<>/dev/tcp/" + lab.address(to) + "/1 && echo connected");
    if (out.contains("refused")) {
      return "refused";
    }
    if (out.contains("ermission denied") || out.contains("o route") || out.contains("nreachable")) {
      return "cut";
    }
    return out;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.waitFor();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}

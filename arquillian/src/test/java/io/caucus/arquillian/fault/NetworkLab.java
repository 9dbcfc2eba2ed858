package io.caucus.arquillian.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces for fault tests: namespaces {@code caucus-<prefix>-n1..nN}, joined by veth
 * pairs to one bridge {@code cb<prefix>} whose host side has {@code 10.200.<prefix>.254/24}; node i
 * has {@code 10.200.<prefix>.i}. Links are cut with {@code prohibit} routes (the sender gets an
 * immediate "no route"/unreachable error), which works on this kernel; {@code netem} (delay, loss)
 * is not available here and not offered.
 *
 * <p>Lifecycle: {@link #create} first deletes leftovers with the same prefix (from a failed earlier
 * run), then makes everything; {@link #close} deletes everything by name. Not thread safe: one test
 * thread drives a lab. Needs root and {@code ip}; {@link #available} says whether namespaces can be
 * made so callers can skip with a JUnit assumption.
 *
 * <p>Not done yet: starting nodes inside the namespaces (NodeProcess) and partition nemesis faults;
 * this class is step 1 of issue 12's partitions.
 */
final class NetworkLab implements AutoCloseable {

  private final int prefix;
  private final int nodes;

  private NetworkLab(int prefix, int nodes) {
    this.prefix = prefix;
    this.nodes = nodes;
  }

  /** True when this process may create network namespaces (root and a working {@code ip}). */
  static boolean available() {
    String probe = "caucus-probe";
    try {
      run(false, "ip", "netns", "del", probe);
      run(true, "ip", "netns", "add", probe);
      run(false, "ip", "netns", "del", probe);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Creates namespaces, bridge and veth pairs for {@code nodes} nodes (1..253). */
  static NetworkLab create(int prefix, int nodes) throws IOException {
    NetworkLab lab = new NetworkLab(prefix, nodes);
    lab.deleteLeftovers();
    try {
      lab.build();
    } catch (IOException | RuntimeException e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  String namespace(int node) {
    return "caucus-" + prefix + "-n" + node;
  }

  String address(int node) {
    return "10.200." + prefix + "." + node;
  }

  String hostAddress() {
    return address(254);
  }

  private String bridge() {
    return "cb" + prefix;
  }

  private String hostVeth(int node) {
    return "cv" + prefix + "h" + node; // <= 15 chars
  }

  private String nsVeth(int node) {
    return "cv" + prefix + "n" + node;
  }

  private void build() throws IOException {
    run(true, "ip", "link", "add", bridge(), "type", "bridge");
    run(true, "ip", "addr", "add", hostAddress() + "/24", "dev", bridge());
    run(true, "ip", "link", "set", bridge(), "up");
    for (int i = 1; i <= nodes; i++) {
      String ns = namespace(i);
      run(true, "ip", "netns", "add", ns);
      run(true, "ip", "link", "add", hostVeth(i), "type", "veth", "peer", "name", nsVeth(i));
      run(true, "ip", "link", "set", nsVeth(i), "netns", ns);
      run(true, "ip", "link", "set", hostVeth(i), "master", bridge());
      run(true, "ip", "link", "set", hostVeth(i), "up");
      run(
          true,
          "ip",
          "netns",
          "exec",
          ns,
          "ip",
          "addr",
          "add",
          address(i) + "/24",
          "dev",
          nsVeth(i));
      run(true, "ip", "netns", "exec", ns, "ip", "link", "set", nsVeth(i), "up");
      run(true, "ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
    }
  }

  /** Cuts the link between two nodes in both directions. */
  void cut(int a, int b) throws IOException {
    cutOneWay(a, b);
    cutOneWay(b, a);
  }

  /**
   * Cuts only packets from {@code from} to {@code to}: a route on the sender side. TCP then sees:
   * connects from {@code from} fail at once (EACCES, "Permission denied", checked); connects from
   * {@code to} reach {@code from} with their SYN but the SYN-ACK is dropped at {@code from}, so
   * they time out (checked); on an open connection {@code from}'s writes fail and {@code to} stops
   * getting data.
   */
  void cutOneWay(int from, int to) throws IOException {
    run(
        true,
        "ip",
        "netns",
        "exec",
        namespace(from),
        "ip",
        "route",
        "replace",
        "prohibit",
        address(to) + "/32");
  }

  /** Heals the link between two nodes in both directions (no error if it was not cut). */
  void heal(int a, int b) throws IOException {
    healOneWay(a, b);
    healOneWay(b, a);
  }

  void healOneWay(int from, int to) throws IOException {
    run(
        false,
        "ip",
        "netns",
        "exec",
        namespace(from),
        "ip",
        "route",
        "del",
        "prohibit",
        address(to) + "/32");
  }

  /** Cuts {@code node} off from every other node (the host still reaches it). */
  void isolate(int node) throws IOException {
    for (int other = 1; other <= nodes; other++) {
      if (other != node) {
        cut(node, other);
      }
    }
  }

  void healAll() throws IOException {
    for (int a = 1; a <= nodes; a++) {
      for (int b = a + 1; b <= nodes; b++) {
        heal(a, b);
      }
    }
  }

  /** Deletes every namespace and link with this prefix, made by this or an earlier run. */
  @Override
  public void close() {
    deleteLeftovers();
  }

  private void deleteLeftovers() {
    try {
      String list = run(false, "ip", "netns", "list");
      for (String line : list.split("\n")) {
        String name = line.split(" ")[0].trim();
        if (name.startsWith("caucus-" + prefix + "-n")) {
          run(false, "ip", "netns", "del", name);
        }
      }
      String links = run(false, "ip", "-o", "link", "show");
      for (String line : links.split("\n")) {
        String[] parts = line.split(":\\s+");
        if (parts.length > 1) {
          String name = parts[1].split("@")[0];
          if (name.equals(bridge()) || name.startsWith("cv" + prefix + "h")) {
            run(false, "ip", "link", "del", name);
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not delete lab " + prefix + ": " + e.getMessage(), e);
    }
  }

  private static String run(boolean mustSucceed, String... command) throws IOException {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", command));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0 && mustSucceed) {
      throw new IOException(String.join(" ", command) + " failed: " + out.trim());
    }
    return out;
  }
}

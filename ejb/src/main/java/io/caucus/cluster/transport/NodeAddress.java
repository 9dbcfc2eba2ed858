package io.caucus.cluster.transport;

import java.util.Objects;

/**
 * A node's internal (node-to-node) address: a host name or IP literal and a TCP port.
 *
 * @param host host name or IP literal, without brackets
 * @param port TCP port, 1–65535
 */
public record NodeAddress(String host, int port) {

  public NodeAddress {
    Objects.requireNonNull(host, "host");
    if (host.isBlank() || host.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',')) {
      throw new IllegalArgumentException(
          "host '" + host + "' is not a host name: give a name or IP address without spaces");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(
          "port " + port + " of host " + host + " is out of range: use a port in 1..65535");
    }
  }

  /**
   * Parses {@code host}, {@code host:port} or {@code [ipv6]:port}.
   *
   * @param defaultPort the port used when the text names none
   * @throws IllegalArgumentException with a sentence naming the bad text when it cannot be parsed
   */
  public static NodeAddress parse(String text, int defaultPort) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty node address: expected host[:port]");
    }
    String s = text.trim();
    String host;
    String port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException(
            "node address '" + text + "' has no closing ']': expected [ipv6]:port");
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException(
              "node address '" + text + "' is not [ipv6]:port: expected ':' after ']'");
        }
        port = rest.substring(1);
      }
    } else {
      int colon = s.lastIndexOf(':');
      if (colon >= 0 && s.indexOf(':') == colon) {
        host = s.substring(0, colon);
        port = s.substring(colon + 1);
      } else {
        host = s;
      }
    }
    int p = defaultPort;
    if (port != null) {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "node address '" + text + "' has port '" + port + "', which is not a number", e);
      }
    }
    return new NodeAddress(host, p);
  }

  /** The form JGroups' TCPPING expects: {@code host[port]}. */
  String toJGroups() {
    return host + "[" + port + "]";
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}

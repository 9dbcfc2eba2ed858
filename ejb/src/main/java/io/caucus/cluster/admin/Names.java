package io.caucus.cluster.admin;

import java.util.regex.Pattern;

/**
 * The naming rules of the cluster structure. Each check returns {@code null} when the value is
 * acceptable, otherwise the sentence to show. Stateless.
 */
final class Names {

  /** Letters, digits, '-', '_', '.'; no leading '_' (reserved for internal names like _admin). */
  private static final Pattern CONTEXT_OR_GROUP = Pattern.compile("[A-Za-z0-9.-][A-Za-z0-9._-]*");

  private static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  static final int MAX_NAME_LENGTH = 255;
  static final int MAX_HOST_LENGTH = 255;
  static final int MAX_PROPERTIES = 100;
  static final int MAX_PROPERTY_KEY_LENGTH = 255;
  static final int MAX_PROPERTY_VALUE_LENGTH = 4096;

  private Names() {}

  static String checkContextName(String name) {
    return check(name, "context", CONTEXT_OR_GROUP);
  }

  static String checkGroupName(String name) {
    return check(name, "replication group", CONTEXT_OR_GROUP);
  }

  static String checkNodeName(String name) {
    if (name.length() > MAX_NAME_LENGTH || !NODE.matcher(name).matches()) {
      return "node name '"
          + name
          + "' is not valid: use 1-255 letters, digits, '.', '_' or '-', starting with a letter or"
          + " digit";
    }
    return null;
  }

  private static String check(String name, String what, Pattern rule) {
    if (name.length() > MAX_NAME_LENGTH || !rule.matcher(name).matches()) {
      return what
          + " name '"
          + name
          + "' is not valid: use 1-255 letters, digits, '-', '_' or '.', not starting with '_'";
    }
    return null;
  }

  static String checkHost(String host, String what) {
    if (host.isEmpty()
        || host.length() > MAX_HOST_LENGTH
        || host.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',' || c < 32)) {
      return what + " '" + host + "' is not a host name: give a name or IP address, 1-255 chars";
    }
    return null;
  }

  static String checkPort(int port, String what) {
    if (port < 1 || port > 65_535) {
      return what + " " + port + " is out of range: use a port in 1..65535";
    }
    return null;
  }

  static String checkNode(NodeInfo n) {
    String e = checkNodeName(n.name());
    if (e == null) {
      e = checkHost(n.hostName(), "host name");
    }
    if (e == null) {
      e = checkHost(n.internalHostName(), "internal host name");
    }
    if (e == null) {
      e = checkPort(n.grpcPort(), "gRPC port");
    }
    if (e == null) {
      e = checkPort(n.internalGrpcPort(), "internal port");
    }
    if (e == null) {
      e = checkPort(n.httpPort(), "HTTP port");
    }
    return e;
  }
}

package io.caucus.cluster.transport;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jgroups.Address;
import org.jgroups.util.ExtendedUUID;
import org.jgroups.util.NameCache;

/**
 * How a JGroups address names a Caucus node: every channel's address is an {@link ExtendedUUID}
 * carrying the node name, an incarnation number (start time) and the node's configured internal
 * address, so that a view names its members without a lookup and a restarted node's new address
 * wins over its old one while both are in a view.
 *
 * <p><b>Threads.</b> Pure functions of their arguments (the name cache fallback is JGroups' own,
 * thread safe); callable from any thread. <b>Failures.</b> A malformed or missing key reads as
 * unknown ({@code null}, or the lowest incarnation), never as an exception.
 */
final class NodeIdentity {

  private static final Logger LOG = System.getLogger(NodeIdentity.class.getName());

  static final String NODE_KEY = "caucus.node";
  static final String INCARNATION_KEY = "caucus.incarnation";
  static final String INTERNAL_ADDRESS_KEY = "caucus.internal";

  private NodeIdentity() {}

  /**
   * Node name → address for the members of a view; when a restarted node's old address is still in
   * the view beside its new one, the newest incarnation wins.
   */
  static Map<String, Address> newestIncarnations(List<Address> members) {
    Map<String, Address> next = new HashMap<>();
    for (Address a : members) {
      String name = nodeName(a);
      if (name == null) {
        LOG.log(Level.WARNING, "member {0} of the view is not a Caucus node; ignored", a);
        continue;
      }
      Address current = next.get(name);
      if (current != null) {
        LOG.log(
            Level.WARNING,
            "node name {0} appears twice in the view ({1} and {2}): a restarted node whose old"
                + " incarnation is not excluded yet, or two nodes configured with the same name;"
                + " messages go to the newer one",
            name,
            internalAddress(current),
            internalAddress(a));
      }
      if (current == null || incarnation(current) < incarnation(a)) {
        next.put(name, a);
      }
    }
    return next;
  }

  /** A fresh JGroups address that names its node, incarnation and internal address. */
  static ExtendedUUID newAddress(String node, long incarnation, NodeAddress internal) {
    return ExtendedUUID.randomUUID(node)
        .put(NODE_KEY, node.getBytes(StandardCharsets.UTF_8))
        // decimal text, so that JGroups' own log lines print it readably
        .put(INCARNATION_KEY, Long.toString(incarnation).getBytes(StandardCharsets.US_ASCII))
        .put(INTERNAL_ADDRESS_KEY, internal.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The internal address a member was configured with, or {@code null} if it does not say. */
  static NodeAddress internalAddress(Address a) {
    if (a instanceof ExtendedUUID e) {
      byte[] v = e.get(INTERNAL_ADDRESS_KEY);
      if (v != null) {
        try {
          return NodeAddress.parse(new String(v, StandardCharsets.UTF_8), 1);
        } catch (IllegalArgumentException malformed) {
          return null;
        }
      }
    }
    return null;
  }

  static String nodeName(Address a) {
    if (a instanceof ExtendedUUID e) {
      byte[] name = e.get(NODE_KEY);
      if (name != null) {
        return new String(name, StandardCharsets.UTF_8);
      }
    }
    return NameCache.get(a);
  }

  private static long incarnation(Address a) {
    if (a instanceof ExtendedUUID e) {
      byte[] inc = e.get(INCARNATION_KEY);
      if (inc != null) {
        try {
          return Long.parseLong(new String(inc, StandardCharsets.US_ASCII));
        } catch (NumberFormatException malformed) {
          return Long.MIN_VALUE;
        }
      }
    }
    return Long.MIN_VALUE;
  }
}

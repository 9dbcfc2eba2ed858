package io.caucus.api;

import io.caucus.cluster.admin.AdminCommands;
import io.caucus.error.ErrorCode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The checks of admin requests made before anything is sent to {@code _admin}: names of what is
 * created, roles, member lists, ports and properties. Each check throws a {@link CaucusException}
 * (400) saying what to correct; none looks at the cluster structure (the {@code _admin} state
 * machine checks the rules that depend on it: unknown names, duplicates, the last PRIMARY).
 * Stateless; thread safe.
 */
public final class AdminRequests {

  /** Axon Server's rule for the names of contexts, replication groups and nodes one creates. */
  public static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z_\\-0-9]*");

  static final int MAX_NAME_LENGTH = 255;

  private AdminRequests() {}

  /** A name of something to create: required, {@link #NAME}, at most 255 characters. */
  public static String newName(String value, String what) {
    String v = required(value, what);
    if (v.length() > MAX_NAME_LENGTH || !NAME.matcher(v).matches()) {
      throw new CaucusException(
          ErrorCode.INVALID_NAME,
          what
              + " '"
              + shorten(v)
              + "' is not a valid name: use 1-255 letters, digits, '-' and '_', starting with a"
              + " letter");
    }
    return v;
  }

  /**
   * A name of something that should exist: required and not absurdly long; whether it exists is
   * {@code _admin}'s answer (404).
   */
  public static String reference(String value, String what) {
    String v = required(value, what);
    if (v.length() > MAX_NAME_LENGTH) {
      throw new CaucusException(
          ErrorCode.INVALID_NAME, what + " '" + shorten(v) + "' is longer than 255 characters");
    }
    return v;
  }

  private static String required(String value, String what) {
    if (value == null || value.isBlank()) {
      throw CaucusException.of(ErrorCode.INVALID_REQUEST, what + " is required");
    }
    return value;
  }

  /** A role's name; {@code null} gives {@code fallback}; an unknown role is refused. */
  public static String role(String value, String fallback) {
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    if (!AdminCommands.isRole(value)) {
      throw new CaucusException(
          ErrorCode.INVALID_VALUE,
          "role '"
              + shorten(value)
              + "' is unknown: use one of "
              + String.join(", ", AdminCommands.roleNames()));
    }
    return value;
  }

  /**
   * The members of a new group: each {@code roles} entry with its role (PRIMARY when none), and
   * each of {@code nodes} not in {@code roles} as PRIMARY. A node listed twice is refused.
   *
   * @return node name to role name, sorted by node name; empty when both lists are empty
   */
  public static Map<String, String> members(List<ContextView.NodeRole> roles, List<String> nodes) {
    Map<String, String> members = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    for (ContextView.NodeRole r : roles == null ? List.<ContextView.NodeRole>of() : roles) {
      if (r == null) {
        throw CaucusException.of(ErrorCode.INVALID_REQUEST, "a roles entry is null");
      }
      String node = reference(r.node(), "node of a roles entry");
      if (!seen.add(node)) {
        throw twice(node);
      }
      members.put(node, role(r.role(), "PRIMARY"));
    }
    Set<String> listed = new HashSet<>();
    for (String n : nodes == null ? List.<String>of() : nodes) {
      String node = reference(n, "an entry of nodes");
      if (!listed.add(node)) {
        throw twice(node);
      }
      members.putIfAbsent(node, "PRIMARY");
    }
    return members;
  }

  private static CaucusException twice(String node) {
    return new CaucusException(
        ErrorCode.INVALID_REQUEST,
        "node " + shorten(node) + " is listed twice: name each member once, with one role");
  }

  /** Refuses a member list without a PRIMARY: a group without one could never elect a leader. */
  public static void requirePrimary(String group, Map<String, String> members) {
    if (!members.containsValue("PRIMARY")) {
      throw new CaucusException(
          ErrorCode.INVALID_VALUE,
          "replication group "
              + group
              + " needs at least one PRIMARY member (it leads and votes): give one node the role"
              + " PRIMARY");
    }
  }

  /** A port: required, 1..65535. */
  public static int port(Integer value, String what) {
    if (value == null) {
      throw CaucusException.of(ErrorCode.INVALID_REQUEST, what + " is required");
    }
    if (value < 1 || value > 65_535) {
      throw new CaucusException(
          ErrorCode.INVALID_VALUE, what + " " + value + " is out of range: use 1..65535");
    }
    return value;
  }

  /** Context properties: no null or empty key, no null value; copied in their order. */
  public static Map<String, String> properties(Map<String, String> values) {
    Map<String, String> copy = new LinkedHashMap<>();
    if (values == null) {
      return copy;
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
        throw new CaucusException(
            ErrorCode.INVALID_VALUE,
            "property '" + e.getKey() + "' has no name or no value: give both as strings");
      }
      copy.put(e.getKey(), e.getValue());
    }
    return copy;
  }

  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}

package io.caucus.cluster.admin;

import io.caucus.consensus.Role;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the {@link AdminCommand}s that carry roles from role <em>names</em>, so that the outer
 * layers ({@code io.caucus.api}) need not know the consensus types. Stateless; thread safe.
 */
public final class AdminCommands {

  private AdminCommands() {}

  /** The names of the roles, in the order of their codes: PRIMARY first. */
  public static List<String> roleNames() {
    return Arrays.stream(Role.values()).map(Role::name).toList();
  }

  /** Whether {@code name} is a role's name (exactly, upper case). */
  public static boolean isRole(String name) {
    return name != null && roleNames().contains(name);
  }

  /**
   * {@link AdminCommand.CreateReplicationGroup} with members by role name.
   *
   * @throws IllegalArgumentException if a role name is not one of {@link #roleNames()}
   */
  public static AdminCommand createReplicationGroup(String name, Map<String, String> members) {
    Map<String, Role> roles = new TreeMap<>();
    members.forEach((node, role) -> roles.put(node, Role.valueOf(role)));
    return new AdminCommand.CreateReplicationGroup(name, roles);
  }

  /**
   * {@link AdminCommand.AddNodeToGroup} with the role by name.
   *
   * @throws IllegalArgumentException if {@code role} is not one of {@link #roleNames()}
   */
  public static AdminCommand addNodeToGroup(String group, String node, String role) {
    return new AdminCommand.AddNodeToGroup(group, node, Role.valueOf(role));
  }
}

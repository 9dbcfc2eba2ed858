package io.caucus.cluster.admin;

import static io.caucus.cluster.admin.ClusterStructure.ADMIN;

import io.caucus.cluster.admin.AdminCommand.AddNodeToGroup;
import io.caucus.cluster.admin.AdminCommand.CreateContext;
import io.caucus.cluster.admin.AdminCommand.CreateReplicationGroup;
import io.caucus.cluster.admin.AdminCommand.DeleteContext;
import io.caucus.cluster.admin.AdminCommand.DeleteReplicationGroup;
import io.caucus.cluster.admin.AdminCommand.InitCluster;
import io.caucus.cluster.admin.AdminCommand.RegisterNode;
import io.caucus.cluster.admin.AdminCommand.RemoveNodeFromGroup;
import io.caucus.cluster.admin.AdminCommand.UnregisterNode;
import io.caucus.consensus.Membership;
import io.caucus.consensus.MembershipChange;
import io.caucus.consensus.Role;
import io.caucus.error.ErrorCode;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The rules of the admin commands: a pure function from (structure, command) to (result, next
 * structure). Deterministic (no clock, no randomness, sorted iteration); on any error the next
 * structure is the given one. Stateless; thread safe.
 */
final class AdminCommandExecutor {

  /** What a command did: its result and the structure after it. */
  record Outcome(AdminResult result, ClusterStructure next) {}

  private AdminCommandExecutor() {}

  static Outcome execute(ClusterStructure s, AdminCommand command) {
    if (command instanceof InitCluster c) {
      return init(s, c);
    }
    if (!s.isInitialized()) {
      return refuse(
          s,
          ErrorCode.CLUSTER_NOT_INITIALIZED,
          "the cluster is not initialised: run init-cluster on the first node, or register this"
              + " node with a node of an existing cluster");
    }
    if (command instanceof RegisterNode c) {
      return register(s, c.node());
    } else if (command instanceof UnregisterNode c) {
      return unregister(s, c.node());
    } else if (command instanceof CreateReplicationGroup c) {
      return createGroup(s, c);
    } else if (command instanceof DeleteReplicationGroup c) {
      return deleteGroup(s, c.name());
    } else if (command instanceof AddNodeToGroup c) {
      return addToGroup(s, c);
    } else if (command instanceof RemoveNodeFromGroup c) {
      return removeFromGroup(s, c);
    } else if (command instanceof CreateContext c) {
      return createContext(s, c);
    } else if (command instanceof DeleteContext c) {
      return deleteContext(s, c);
    }
    return refuse(s, ErrorCode.MALFORMED_ADMIN_COMMAND, "unknown admin command " + command);
  }

  private static Outcome init(ClusterStructure s, InitCluster c) {
    NodeInfo n = c.node();
    String bad = Names.checkNode(n);
    if (bad != null) {
      return refuse(s, invalid(bad), bad);
    }
    if (s.isInitialized()) {
      boolean same =
          s.node(n.name()).filter(n::equals).isPresent()
              && s.group(ADMIN)
                  .map(g -> g.members().roleOf(n.name()) == Role.PRIMARY)
                  .orElse(false);
      if (same) {
        return new Outcome(
            AdminResult.unchanged("the cluster was already initialised by " + n.name()), s);
      }
      return refuse(
          s,
          ErrorCode.CLUSTER_ALREADY_INITIALIZED,
          "the cluster is already initialised: register node "
              + n.name()
              + " with it instead of initialising it again");
    }
    ClusterStructure next =
        s.withNode(n)
            .withGroup(ADMIN, Membership.of(Map.of(n.name(), Role.PRIMARY)))
            .withContext(new ContextInfo(ADMIN, ADMIN, Map.of()));
    return changed(next, "cluster initialised with " + n.name() + " as PRIMARY of _admin");
  }

  private static Outcome register(ClusterStructure s, NodeInfo n) {
    String bad = Names.checkNode(n);
    if (bad != null) {
      return refuse(s, invalid(bad), bad);
    }
    Optional<NodeInfo> existing = s.node(n.name());
    if (existing.isPresent()) {
      if (existing.get().equals(n)) {
        return new Outcome(AdminResult.unchanged("node " + n.name() + " is already registered"), s);
      }
      return refuse(
          s,
          ErrorCode.NODE_CONFLICT,
          "a node named "
              + n.name()
              + " is registered with other addresses ("
              + existing.get().internalAddress()
              + "): give this node another name, or unregister the old one first");
    }
    for (NodeInfo other : s.nodes()) {
      if (other.internalHostName().equals(n.internalHostName())
          && other.internalGrpcPort() == n.internalGrpcPort()) {
        return refuse(
            s,
            ErrorCode.NODE_CONFLICT,
            "node "
                + other.name()
                + " already uses internal address "
                + other.internalAddress()
                + ": give "
                + n.name()
                + " its own internal host or port");
      }
    }
    Membership admin =
        s.group(ADMIN)
            .orElseThrow()
            .members()
            .apply(MembershipChange.add(n.name(), Role.PASSIVE_BACKUP));
    return changed(
        s.withNode(n).withGroup(ADMIN, admin),
        "node " + n.name() + " registered; it follows _admin as PASSIVE_BACKUP");
  }

  private static Outcome unregister(ClusterStructure s, String node) {
    if (s.node(node).isEmpty()) {
      return refuse(s, ErrorCode.NO_SUCH_NODE, noSuchNode(node));
    }
    SortedMap<String, Role> member = new java.util.TreeMap<>(s.groupsOf(node));
    member.remove(ADMIN);
    if (!member.isEmpty()) {
      return refuse(
          s,
          ErrorCode.NODE_IN_USE,
          "node "
              + node
              + " is still a member of "
              + member.keySet()
              + ": remove it from those replication groups first");
    }
    Membership admin = s.group(ADMIN).orElseThrow().members();
    if (isLastPrimary(admin, node)) {
      return refuse(
          s,
          ErrorCode.LAST_PRIMARY,
          "node " + node + " is the last PRIMARY of _admin: make another node PRIMARY first");
    }
    return changed(
        s.withoutNode(node).withGroup(ADMIN, admin.apply(MembershipChange.remove(node))),
        "node " + node + " unregistered");
  }

  private static Outcome createGroup(ClusterStructure s, CreateReplicationGroup c) {
    String bad = Names.checkGroupName(c.name());
    if (bad != null) {
      return refuse(s, ErrorCode.INVALID_NAME, bad);
    }
    if (s.group(c.name()).isPresent()) {
      return refuse(
          s,
          ErrorCode.REPLICATION_GROUP_EXISTS,
          "replication group " + c.name() + " exists: choose another name or add nodes to it");
    }
    for (String node : c.members().keySet()) {
      if (s.node(node).isEmpty()) {
        return refuse(s, ErrorCode.NO_SUCH_NODE, noSuchNode(node));
      }
    }
    if (!c.members().containsValue(Role.PRIMARY)) {
      return refuse(
          s,
          ErrorCode.LAST_PRIMARY,
          "replication group " + c.name() + " needs at least one PRIMARY member: name one");
    }
    return changed(
        s.withGroup(c.name(), Membership.of(c.members())),
        "replication group " + c.name() + " created with " + c.members());
  }

  private static Outcome deleteGroup(ClusterStructure s, String name) {
    if (name.equals(ADMIN)) {
      return refuse(
          s,
          ErrorCode.CANNOT_DELETE_INTERNAL,
          "_admin is the cluster itself and cannot be deleted");
    }
    if (s.group(name).isEmpty()) {
      return refuse(s, ErrorCode.NO_SUCH_REPLICATION_GROUP, noSuchGroup(name));
    }
    var contexts = s.contextsOf(name);
    if (!contexts.isEmpty()) {
      return refuse(
          s,
          ErrorCode.REPLICATION_GROUP_HAS_CONTEXTS,
          "replication group "
              + name
              + " still stores "
              + contexts.stream().map(ContextInfo::name).toList()
              + ": delete those contexts first");
    }
    return changed(s.withoutGroup(name), "replication group " + name + " deleted");
  }

  private static Outcome addToGroup(ClusterStructure s, AddNodeToGroup c) {
    Optional<ReplicationGroupInfo> group = s.group(c.group());
    if (group.isEmpty()) {
      return refuse(s, ErrorCode.NO_SUCH_REPLICATION_GROUP, noSuchGroup(c.group()));
    }
    if (s.node(c.node()).isEmpty()) {
      return refuse(s, ErrorCode.NO_SUCH_NODE, noSuchNode(c.node()));
    }
    if (c.group().equals(ADMIN) && !c.role().receivesLog()) {
      return refuse(
          s,
          ErrorCode.ADMIN_GROUP_RESTRICTED,
          "every node must receive the _admin log, so "
              + c.role()
              + " is not allowed there: use PRIMARY, ACTIVE_BACKUP, PASSIVE_BACKUP or SECONDARY");
    }
    Membership members = group.get().members();
    Role current = members.roleOf(c.node());
    if (current == c.role()) {
      return new Outcome(
          AdminResult.unchanged(
              "node " + c.node() + " is already " + c.role() + " of " + c.group()),
          s);
    }
    if (current == Role.PRIMARY && isLastPrimary(members, c.node())) {
      return refuse(
          s,
          ErrorCode.LAST_PRIMARY,
          "node "
              + c.node()
              + " is the last PRIMARY of "
              + c.group()
              + ": make another member PRIMARY before changing its role");
    }
    MembershipChange change =
        current == null
            ? MembershipChange.add(c.node(), c.role())
            : MembershipChange.setRole(c.node(), c.role());
    return changed(
        s.withGroup(c.group(), members.apply(change)),
        "node " + c.node() + " is now " + c.role() + " of " + c.group());
  }

  private static Outcome removeFromGroup(ClusterStructure s, RemoveNodeFromGroup c) {
    Optional<ReplicationGroupInfo> group = s.group(c.group());
    if (group.isEmpty()) {
      return refuse(s, ErrorCode.NO_SUCH_REPLICATION_GROUP, noSuchGroup(c.group()));
    }
    Membership members = group.get().members();
    if (!members.contains(c.node())) {
      return refuse(
          s,
          ErrorCode.NOT_A_MEMBER,
          "node " + c.node() + " is not a member of " + c.group() + ": nothing to remove");
    }
    if (c.group().equals(ADMIN)) {
      return refuse(
          s,
          ErrorCode.ADMIN_GROUP_RESTRICTED,
          "every registered node follows _admin: unregister node "
              + c.node()
              + ", or make it PASSIVE_BACKUP of _admin to take away its vote");
    }
    if (isLastPrimary(members, c.node())) {
      return refuse(
          s,
          ErrorCode.LAST_PRIMARY,
          "node "
              + c.node()
              + " is the last PRIMARY of "
              + c.group()
              + ": make another member PRIMARY first, or delete the group");
    }
    return changed(
        s.withGroup(c.group(), members.apply(MembershipChange.remove(c.node()))),
        "node "
            + c.node()
            + " removed from "
            + c.group()
            + (c.deleteData() ? "; it deletes its data of the group" : "; it keeps its data"));
  }

  private static Outcome createContext(ClusterStructure s, CreateContext c) {
    String bad = Names.checkContextName(c.name());
    if (bad != null) {
      return refuse(s, ErrorCode.INVALID_NAME, bad);
    }
    if (s.context(c.name()).isPresent()) {
      return refuse(
          s,
          ErrorCode.CONTEXT_EXISTS,
          "context " + c.name() + " exists: choose another name, or delete it first");
    }
    if (c.group().equals(ADMIN)) {
      return refuse(
          s,
          ErrorCode.ADMIN_GROUP_RESTRICTED,
          "_admin hosts no other context: create context " + c.name() + " in another group");
    }
    if (s.group(c.group()).isEmpty()) {
      return refuse(s, ErrorCode.NO_SUCH_REPLICATION_GROUP, noSuchGroup(c.group()));
    }
    if (c.metaData().size() > Names.MAX_PROPERTIES) {
      return refuse(
          s,
          ErrorCode.INVALID_VALUE,
          "context " + c.name() + " has more than " + Names.MAX_PROPERTIES + " properties");
    }
    for (Map.Entry<String, String> p : c.metaData().entrySet()) {
      if (p.getKey().isEmpty()
          || p.getKey().length() > Names.MAX_PROPERTY_KEY_LENGTH
          || p.getValue().length() > Names.MAX_PROPERTY_VALUE_LENGTH) {
        return refuse(
            s,
            ErrorCode.INVALID_VALUE,
            "property '"
                + p.getKey()
                + "' of context "
                + c.name()
                + " is not valid: keys are 1-255 characters, values at most 4096");
      }
    }
    return changed(
        s.withContext(new ContextInfo(c.name(), c.group(), c.metaData())),
        "context " + c.name() + " created in " + c.group());
  }

  private static Outcome deleteContext(ClusterStructure s, DeleteContext c) {
    String name = c.name();
    if (name.equals(ADMIN)) {
      return refuse(
          s, ErrorCode.CANNOT_DELETE_INTERNAL, "context _admin is internal and cannot be deleted");
    }
    if (s.context(name).isEmpty()) {
      return refuse(
          s, ErrorCode.CONTEXT_NOT_FOUND, "context " + name + " does not exist: check the name");
    }
    String group = s.context(name).orElseThrow().replicationGroup();
    return changed(
        s.withoutContext(name),
        "context "
            + name
            + " deleted; its data "
            + (c.deleteData()
                ? "is deleted from each member when group " + group + " stops there"
                : "stays on the members' disks"));
  }

  private static boolean isLastPrimary(Membership members, String node) {
    return members.roleOf(node) == Role.PRIMARY && members.withRole(Role.PRIMARY).size() == 1;
  }

  private static ErrorCode invalid(String sentence) {
    return sentence.startsWith("node name") ? ErrorCode.INVALID_NAME : ErrorCode.INVALID_VALUE;
  }

  private static String noSuchNode(String node) {
    return "node " + node + " is not registered: register it first, or check the name";
  }

  private static String noSuchGroup(String group) {
    return "replication group " + group + " does not exist: create it first, or check the name";
  }

  private static Outcome refuse(ClusterStructure s, ErrorCode error, String message) {
    return new Outcome(AdminResult.failed(error, message), s);
  }

  private static Outcome changed(ClusterStructure next, String message) {
    return new Outcome(AdminResult.changed(message), next);
  }
}

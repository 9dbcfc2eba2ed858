package io.caucus.api;

import io.caucus.cluster.ClusterNode;
import io.caucus.cluster.ForwardFailedException;
import io.caucus.cluster.NodeStartingException;
import io.caucus.cluster.NotLeaderException;
import io.caucus.cluster.admin.AdminCommand;
import io.caucus.cluster.admin.AdminCommands;
import io.caucus.cluster.admin.AdminResult;
import io.caucus.cluster.admin.ClusterStructure;
import io.caucus.cluster.admin.ContextInfo;
import io.caucus.error.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The admin operations of Axon Server's REST API and CLI (init-cluster, register-node, replication
 * groups, contexts) as {@link AdminCommand}s for {@code _admin}.
 *
 * <p><b>Order of checks.</b> First the request's own shape ({@link AdminRequests}: names, roles,
 * members, ports; 400), then what needs this node's view of the structure (a group to create with a
 * context, a group that already holds a context), then the {@code _admin} state machine's rules on
 * its leader (unknown names 404, conflicts 409). A refused request changes nothing.
 *
 * <p><b>When it answers.</b> After {@code _admin}'s leader committed and applied the command (not
 * necessarily this node yet: a read right after may still show the old structure for a moment).
 * init-cluster and register-node start background commands and answer once this node sees them
 * applied, or after {@link #STARTUP_WAIT} with {@link AdminAnswer#pending()}.
 *
 * <p><b>Failures.</b> No {@code _admin} leader, an unreachable leader or a lost answer: 503 {@code
 * AXONIQ-2100} (retry; a lost answer may have been applied, which a GET shows); a node still
 * starting: 503 {@code CAUCUS-2110}. Application scoped, stateless; thread safe.
 *
 * <p><b>Not yet.</b> Context properties after creation and leadership transfer (501 {@code
 * CAUCUS-1501}).
 */
@ApplicationScoped
public class AdminFacade {

  /** How long an admin call waits for {@code _admin}'s leader to commit it. */
  static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  /** How long init-cluster and register-node wait to see their commands applied here. */
  static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

  @Inject ClusterNode node;

  // ------------------------------------------------------------------ cluster

  /** {@code init-cluster}: this clean node creates {@code _admin} and {@code context}. */
  public AdminAnswer initCluster(String context) {
    String ctx = AdminRequests.newName(context == null ? "default" : context, "context");
    try {
      node.initialiseCluster(List.of(ctx));
    } catch (IllegalStateException e) {
      throw new CaucusException(ErrorCode.CLUSTER_ALREADY_INITIALIZED, e.getMessage());
    }
    return awaitStartup(
        () -> node.structure().context(ctx).isPresent() && node.leaderOf(ctx).isPresent(),
        "cluster initialised with context " + ctx);
  }

  /**
   * {@code register-node}: this clean node joins the cluster through the node at {@code host:port}
   * (its internal address), and joins {@code context} unless {@code noContexts}. Unlike Axon
   * Server, no context given means no context joined (this node cannot list them before it joined).
   */
  public AdminAnswer joinCluster(String host, Integer port, String context, boolean noContexts) {
    String h = AdminRequests.reference(host, "internalHostName");
    int p = AdminRequests.port(port, "internalGrpcPort");
    List<String> contexts =
        noContexts || context == null
            ? List.of()
            : List.of(AdminRequests.reference(context, "context"));
    try {
      node.joinCluster(h, p, contexts);
    } catch (IllegalStateException e) {
      throw new CaucusException(ErrorCode.CLUSTER_ALREADY_INITIALIZED, e.getMessage());
    }
    String me = node.me().map(n -> n.name()).orElse("this node");
    return awaitStartup(
        () -> {
          ClusterStructure s = node.structure();
          return s.node(me).isPresent()
              && contexts.stream()
                  .allMatch(
                      c ->
                          s.context(c)
                              .flatMap(ci -> s.group(ci.replicationGroup()))
                              .map(g -> g.roleNames().containsKey(me))
                              .orElse(false));
        },
        me + " registered with the node at " + h + ":" + p + " and joined " + contexts);
  }

  /** {@code unregister-node}. */
  public AdminAnswer unregisterNode(String name) {
    return run(new AdminCommand.UnregisterNode(AdminRequests.reference(name, "node")));
  }

  // ------------------------------------------------------------------ replication groups

  /** {@code register-replication-group}: members by node, at least one PRIMARY. */
  public AdminAnswer createReplicationGroup(String name, List<ContextView.NodeRole> roles) {
    String group = AdminRequests.newName(name, "replication group");
    Map<String, String> members = AdminRequests.members(roles, List.of());
    AdminRequests.requirePrimary(group, members);
    return run(AdminCommands.createReplicationGroup(group, members));
  }

  /** {@code delete-replication-group}; its contexts must be deleted first. */
  public AdminAnswer deleteReplicationGroup(String name, boolean preserveEventStore) {
    // Deleting the group stops it on every member, and each deletes the group's data as the
    // contexts' deletions asked for; the flag only matters for a context deleted with it.
    return run(
        new AdminCommand.DeleteReplicationGroup(
            AdminRequests.reference(name, "replication group")));
  }

  /** {@code add-node-to-replication-group}, or a member's role change. */
  public AdminAnswer addNodeToGroup(String group, String node, String role) {
    return run(
        AdminCommands.addNodeToGroup(
            AdminRequests.reference(group, "replication group"),
            AdminRequests.reference(node, "node"),
            AdminRequests.role(role, "PRIMARY")));
  }

  /** {@code delete-node-from-replication-group}; the node deletes its copy unless preserved. */
  public AdminAnswer removeNodeFromGroup(String group, String node, boolean preserveEventStore) {
    return run(
        new AdminCommand.RemoveNodeFromGroup(
            AdminRequests.reference(group, "replication group"),
            AdminRequests.reference(node, "node"),
            !preserveEventStore));
  }

  /** Leadership transfer: not offered by the runtime yet (501). */
  public AdminAnswer transferLeadership(String group, String to) {
    AdminRequests.reference(group, "replication group");
    AdminRequests.reference(to, "to (the PRIMARY to hand leadership to)");
    throw CaucusException.of(
        ErrorCode.NOT_IMPLEMENTED,
        "leadership transfer of replication group "
            + group
            + " (the runtime cannot hand leadership to a named PRIMARY yet; stopping the leader"
            + " makes the others elect one)");
  }

  // ------------------------------------------------------------------ contexts

  /**
   * {@code register-context}: in {@code replicationGroup}; a group that does not exist is created
   * first with {@code roles}/{@code nodes} (named after the context when no group is named).
   */
  public AdminAnswer createContext(
      String context,
      String replicationGroup,
      List<ContextView.NodeRole> roles,
      List<String> nodes,
      Map<String, String> metaData) {
    String ctx = AdminRequests.newName(context, "context");
    Map<String, String> members = AdminRequests.members(roles, nodes);
    Map<String, String> properties = AdminRequests.properties(metaData);
    String group = replicationGroup == null ? ctx : replicationGroup;
    ClusterStructure s = node.structure();
    if (s.context(ctx).isPresent()) {
      throw CaucusException.of(ErrorCode.CONTEXT_EXISTS, ctx);
    }
    if (s.group(group).isEmpty()) {
      if (members.isEmpty()) {
        throw new CaucusException(
            ErrorCode.NO_SUCH_REPLICATION_GROUP,
            "replication group "
                + group
                + " does not exist: create it first, or name its members in roles or nodes");
      }
      AdminRequests.newName(group, "replication group");
      AdminRequests.requirePrimary(group, members);
      run(AdminCommands.createReplicationGroup(group, members));
    } else {
      if (!members.isEmpty()) {
        throw new CaucusException(
            ErrorCode.INVALID_REQUEST,
            "replication group "
                + group
                + " exists, so roles and nodes would be ignored: leave them out, or change the"
                + " group's members with /v1/replicationgroups/"
                + group
                + "/{node}");
      }
    }
    return run(new AdminCommand.CreateContext(ctx, group, properties));
  }

  /** {@code update-context}: not carried by {@code _admin} yet (501). */
  public AdminAnswer updateContext(String context, Map<String, String> properties) {
    AdminRequests.reference(context, "context");
    AdminRequests.properties(properties);
    groupOf(context);
    throw CaucusException.of(
        ErrorCode.NOT_IMPLEMENTED,
        "changing the properties of context "
            + context
            + " after its creation (give them in POST /v1/context metaData)");
  }

  /** {@code delete-context}; each member deletes its data unless preserved. */
  public AdminAnswer deleteContext(String context, boolean preserveEventStore) {
    return run(
        new AdminCommand.DeleteContext(
            AdminRequests.reference(context, "context"), !preserveEventStore));
  }

  /** {@code add-node-to-context}: adds the node to the context's replication group. */
  public AdminAnswer addNodeToContext(String context, String node, String role) {
    return addNodeToGroup(groupOf(context), node, role);
  }

  /** {@code delete-node-from-context}: removes the node from the context's replication group. */
  public AdminAnswer removeNodeFromContext(
      String context, String node, boolean preserveEventStore) {
    return removeNodeFromGroup(groupOf(context), node, preserveEventStore);
  }

  private String groupOf(String context) {
    String ctx = AdminRequests.reference(context, "context");
    return node.structure()
        .context(ctx)
        .map(ContextInfo::replicationGroup)
        .orElseThrow(() -> CaucusException.of(ErrorCode.CONTEXT_NOT_FOUND, ctx));
  }

  // ------------------------------------------------------------------ running

  private AdminAnswer run(AdminCommand command) {
    AdminResult result;
    try {
      result = node.admin(command).get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw failed(e.getCause() == null ? e : e.getCause());
    } catch (TimeoutException e) {
      throw new CaucusException(
          ErrorCode.NO_LEADER,
          ErrorCode.NO_LEADER.message(ClusterStructure.ADMIN)
              + " (not confirmed within "
              + ADMIN_TIMEOUT.toSeconds()
              + " s: it may still be applied; look with GET before retrying)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CaucusException.of(ErrorCode.INTERNAL_ERROR, "interrupted while waiting for _admin");
    }
    return AdminAnswer.of(result);
  }

  /** The one translation of a failed admin call (no answer from {@code _admin}'s leader). */
  static CaucusException failed(Throwable cause) {
    if (cause instanceof NodeStartingException) {
      return new CaucusException(
          ErrorCode.NODE_STARTING, ErrorCode.NODE_STARTING.message(cause.getMessage()), cause);
    }
    if (cause instanceof NotLeaderException || cause instanceof ForwardFailedException) {
      return new CaucusException(
          ErrorCode.NO_LEADER,
          ErrorCode.NO_LEADER.message(ClusterStructure.ADMIN) + " (" + cause.getMessage() + ")",
          cause);
    }
    if (cause instanceof CaucusException c) {
      return c;
    }
    return new CaucusException(
        ErrorCode.INTERNAL_ERROR,
        ErrorCode.INTERNAL_ERROR.message("the admin command failed: " + cause),
        cause);
  }

  private static AdminAnswer awaitStartup(BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean()) {
        return new AdminAnswer(what, true, false);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new AdminAnswer(
        what + ": started, not complete yet; watch /health/ready on this node", true, true);
  }
}

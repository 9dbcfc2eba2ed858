package io.caucus.error;

import java.util.Locale;

/**
 * Every error Caucus reports to a caller, with Axon Server's code where one exists, the HTTP status
 * and the gRPC status code name the web and gRPC layers answer with, and a sentence template that
 * says what happened and what to do.
 *
 * <p>Codes that Axon Server defines keep Axon's number and meaning (clients match on them); errors
 * Axon has no code for take a {@code CAUCUS-} code, so that no number Axon may use for something
 * else (AXONIQ-4000 is "no handler for command") is taken.
 *
 * <p>The {@link #code()} strings are part of the public API: clients (Axon Framework, the
 * connector) match on them. Never renumber them. The templates take {@link String#format}
 * arguments; {@link #message(Object...)} fills them in.
 */
public enum ErrorCode {
  /** The request is malformed: a missing field, a negative number where none is allowed. */
  INVALID_REQUEST(
      "CAUCUS-1200",
      400,
      "INVALID_ARGUMENT",
      "Invalid request: %s. Correct the request and retry."),
  /** No resource answers the request's path (outside {@code /v1}, or an unknown one inside). */
  UNKNOWN_PATH(
      "CAUCUS-1210",
      404,
      "UNIMPLEMENTED",
      "No resource at %s. The REST API is under /v1 (see the README for its paths)."),
  /** The request body's media type or charset is not one this server reads. */
  UNSUPPORTED_MEDIA_TYPE(
      "CAUCUS-1215",
      415,
      "INVALID_ARGUMENT",
      "Unsupported media type: %s. Send Content-Type: application/json (UTF-8)."),
  /** A command's binary format is not one this server reads (wrong magic, version or checksum). */
  UNSUPPORTED_FORMAT(
      "AXONIQ-1002",
      400,
      "INVALID_ARGUMENT",
      "Unsupported command format: %s. Build commands with this server's codec version."),
  /** A transaction (or one message) is larger than {@code axoniq.axonserver.max-message-size}. */
  PAYLOAD_TOO_LARGE(
      "AXONIQ-2001",
      413,
      "RESOURCE_EXHAUSTED",
      "Transaction too large: %s. Split it into smaller transactions or raise"
          + " axoniq.axonserver.max-message-size on every node."),
  /** A transaction holds more events than one append may carry. */
  TOO_MANY_EVENTS(
      "AXONIQ-2002",
      400,
      "RESOURCE_EXHAUSTED",
      "Too many events in one transaction: %s. Split it into smaller transactions."),
  /** An event's aggregate sequence number does not follow the aggregate's last stored one. */
  INVALID_SEQUENCE(
      "AXONIQ-2000",
      409,
      "OUT_OF_RANGE",
      "Invalid sequence number %2$d for aggregate %1$s, expected %3$d. Another process changed"
          + " the aggregate concurrently: reload it and retry."),
  /** A snapshot claims a sequence number beyond the aggregate's last stored event. */
  SNAPSHOT_AHEAD_OF_EVENTS(
      "CAUCUS-2010",
      409,
      "OUT_OF_RANGE",
      "Snapshot of aggregate %1$s at sequence %2$d is ahead of its last event (%3$d). Store the"
          + " events before the snapshot."),
  /** The context's replication group has no leader right now (election in progress, no quorum). */
  NO_LEADER(
      "AXONIQ-2100",
      503,
      "UNAVAILABLE",
      "No leader for context %s. An election is in progress or a majority of primaries is down;"
          + " retry shortly."),
  /**
   * The node cannot serve yet: it is deploying, replaying its cluster structure, waiting to be
   * initialised, or its autocluster commands have not all been applied (issue 8 §3: not a 404 for a
   * context it simply does not know yet).
   */
  NODE_STARTING(
      "CAUCUS-2110",
      503,
      "UNAVAILABLE",
      "This node is starting: %s. Retry once its /health/ready answers UP."),
  /**
   * This member is replacing its copy of the context with a snapshot from the leader; reads wait
   * until the install has finished (seconds), or go to another member meanwhile. Not {@link
   * #DATA_NOT_AVAILABLE}: nothing was removed, the data is on its way.
   */
  STORE_INSTALLING(
      "CAUCUS-2120",
      503,
      "UNAVAILABLE",
      "This member is installing %s from a snapshot of the leader. Retry in a few seconds, or read"
          + " from another member meanwhile."),
  /** The requested events or snapshots were removed from this member by retention. */
  DATA_NOT_AVAILABLE(
      "CAUCUS-2300",
      410,
      "OUT_OF_RANGE",
      "Data not available on this member: %s. Read it from a SECONDARY member of the replication"
          + " group."),
  /** No context of that name exists on this node. */
  CONTEXT_NOT_FOUND(
      "AXONIQ-1302", 404, "NOT_FOUND", "Context %s not found. Create it first or check the name."),
  // --- Admin commands (folded in from io.caucus.cluster.admin.AdminError, issue 9 part 6). The
  // enum names are on the wire of a forwarded admin reply (RpcCodec.encodeAdminResult): never
  // rename them.
  // Admin results carry their own full sentence; the templates serve callers that only have a
  // detail to report.
  /** Bytes that are not an admin command of a known format (Axon's 1002 is another failure). */
  MALFORMED_ADMIN_COMMAND(
      "CAUCUS-2315",
      400,
      "INVALID_ARGUMENT",
      "Malformed admin command: %s. Build admin commands with this server's codec version."),
  /** The cluster has no {@code _admin} group yet (Axon: NOT_RUNNING_IN_CLUSTER). */
  CLUSTER_NOT_INITIALIZED(
      "AXONIQ-2101",
      409,
      "FAILED_PRECONDITION",
      "Cluster not initialized: %s. Run init-cluster on one node first."),
  /** {@code init-cluster} on a cluster that already exists (Axon: ALREADY_MEMBER_OF_CLUSTER). */
  CLUSTER_ALREADY_INITIALIZED(
      "AXONIQ-2306",
      409,
      "ALREADY_EXISTS",
      "Cluster already initialized: %s. Join nodes to the existing cluster instead."),
  /** The node is not registered (Axon: NO_SUCH_NODE). */
  NO_SUCH_NODE(
      "AXONIQ-1301", 404, "NOT_FOUND", "Node %s not found. Check the name or register the node."),
  /** The node name or internal address is taken by another node (Axon: SAME_NODE_NAME). */
  NODE_CONFLICT(
      "AXONIQ-2500",
      409,
      "ALREADY_EXISTS",
      "Node conflict: %s. Give each node its own name and internal address."),
  /** A value (host, port, role, property) is not acceptable (Axon: INVALID_PROPERTY_VALUE). */
  INVALID_VALUE(
      "AXONIQ-2311", 400, "INVALID_ARGUMENT", "Invalid value: %s. Correct the value and retry."),
  /** A context, group or node name breaks the naming rule (Axon: INVALID_CONTEXT_NAME). */
  INVALID_NAME(
      "AXONIQ-2308",
      400,
      "INVALID_ARGUMENT",
      "Invalid name: %s. Use letters, digits, '-' and '_' only."),
  /** A context with this name exists (Axon: CONTEXT_EXISTS). */
  CONTEXT_EXISTS(
      "AXONIQ-1304",
      409,
      "ALREADY_EXISTS",
      "Context %s already exists. Choose another name or use the existing context."),
  /** {@code _admin} cannot be deleted (Axon: CANNOT_DELETE_INTERNAL_CONTEXT). */
  CANNOT_DELETE_INTERNAL(
      "AXONIQ-2304",
      409,
      "FAILED_PRECONDITION",
      "Cannot delete %s: the cluster needs it. Delete only contexts you created."),
  /** The node is not a member of the group (Axon: NOT_A_MEMBER). */
  NOT_A_MEMBER(
      "AXONIQ-2307",
      409,
      "FAILED_PRECONDITION",
      "Not a member: %s. Add the node to the replication group first."),
  /** The change would leave a group without a PRIMARY (Axon: CANNOT_REMOVE_LAST_NODE). */
  LAST_PRIMARY(
      "AXONIQ-2310",
      409,
      "FAILED_PRECONDITION",
      "Last primary: %s. Add another PRIMARY member before removing or demoting this one."),
  /** No such replication group. */
  NO_SUCH_REPLICATION_GROUP(
      "CAUCUS-1303",
      404,
      "NOT_FOUND",
      "Replication group %s not found. Create it first or check the name."),
  /** A replication group with this name exists. */
  REPLICATION_GROUP_EXISTS(
      "CAUCUS-1305",
      409,
      "ALREADY_EXISTS",
      "Replication group %s already exists. Choose another name or use the existing group."),
  /** The replication group still holds contexts. */
  REPLICATION_GROUP_HAS_CONTEXTS(
      "CAUCUS-2312",
      409,
      "FAILED_PRECONDITION",
      "Replication group %s still holds contexts. Delete or move its contexts first."),
  /** The node is still a member of replication groups. */
  NODE_IN_USE(
      "CAUCUS-2313",
      409,
      "FAILED_PRECONDITION",
      "Node %s is still a member of replication groups. Remove it from them first."),
  /** The change is not allowed on {@code _admin} (other contexts, removal, a non-storing role). */
  ADMIN_GROUP_RESTRICTED(
      "CAUCUS-2314",
      409,
      "FAILED_PRECONDITION",
      "Not allowed on the _admin group: %s. Make the change on another replication group."),
  /** An admin call this version does not carry out yet (e.g. leadership transfer). */
  NOT_IMPLEMENTED(
      "CAUCUS-1501",
      501,
      "UNIMPLEMENTED",
      "Not implemented: %s. This version of Caucus does not offer it yet; see the README."),
  // --- end of admin codes.
  /** Something failed inside the server; the log says what. */
  INTERNAL_ERROR(
      "AXONIQ-0001",
      500,
      "INTERNAL",
      "Internal error: %s. See the server log; the operation may be retried.");

  private final String code;
  private final int httpStatus;
  private final String grpcStatus;
  private final String template;

  ErrorCode(String code, int httpStatus, String grpcStatus, String template) {
    this.code = code;
    this.httpStatus = httpStatus;
    this.grpcStatus = grpcStatus;
    this.template = template;
  }

  /** Axon-style code, e.g. {@code AXONIQ-2000}. */
  public String code() {
    return code;
  }

  /** HTTP status the REST layer answers with. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Name of the {@code io.grpc.Status.Code} the gRPC layer answers with. */
  public String grpcStatus() {
    return grpcStatus;
  }

  /** The sentence template ({@link String#format} syntax). */
  public String template() {
    return template;
  }

  /** The template filled with {@code args}. */
  public String message(Object... args) {
    return String.format(Locale.ROOT, template, args);
  }
}

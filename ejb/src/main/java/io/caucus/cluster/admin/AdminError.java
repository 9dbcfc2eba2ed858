package io.caucus.cluster.admin;

/**
 * Why an admin command was refused. Codes follow Axon Server's published error codes where one
 * exists ({@code AXONIQ-…}); the others use the {@code CAUCUS-…} prefix so that no client mistakes
 * them for an Axon code with another meaning. To be merged into {@code io.caucus.error.ErrorCode}.
 */
public enum AdminError {
  /** The bytes are not an admin command of a known format (Axon: UNSUPPORTED_INSTRUCTION). */
  MALFORMED_COMMAND("AXONIQ-1002"),
  /** The cluster has no {@code _admin} group yet (Axon: NOT_RUNNING_IN_CLUSTER). */
  NOT_INITIALIZED("AXONIQ-2101"),
  /** {@code init-cluster} on a cluster that already exists (Axon: ALREADY_MEMBER_OF_CLUSTER). */
  ALREADY_INITIALIZED("AXONIQ-2306"),
  /** The node is not registered (Axon: NO_SUCH_NODE). */
  NO_SUCH_NODE("AXONIQ-1301"),
  /** The node name or internal address is already taken by another node (Axon: SAME_NODE_NAME). */
  NODE_CONFLICT("AXONIQ-2500"),
  /** A value (host, port, role, property) is not acceptable (Axon: INVALID_PROPERTY_VALUE). */
  INVALID_VALUE("AXONIQ-2311"),
  /** A context, group or node name breaks the naming rule (Axon: INVALID_CONTEXT_NAME). */
  INVALID_NAME("AXONIQ-2308"),
  /** No such context (Axon: CONTEXT_NOT_FOUND). */
  CONTEXT_NOT_FOUND("AXONIQ-1302"),
  /** A context with this name exists (Axon: CONTEXT_EXISTS). */
  CONTEXT_EXISTS("AXONIQ-1304"),
  /** {@code _admin} cannot be deleted (Axon: CANNOT_DELETE_INTERNAL_CONTEXT). */
  CANNOT_DELETE_INTERNAL("AXONIQ-2304"),
  /** The node is not a member of the group (Axon: NOT_A_MEMBER). */
  NOT_A_MEMBER("AXONIQ-2307"),
  /** The change would leave a group without a PRIMARY (Axon: CANNOT_REMOVE_LAST_NODE). */
  LAST_PRIMARY("AXONIQ-2310"),
  /** No such replication group. */
  NO_SUCH_REPLICATION_GROUP("CAUCUS-1303"),
  /** A replication group with this name exists. */
  REPLICATION_GROUP_EXISTS("CAUCUS-1305"),
  /** The replication group still holds contexts. */
  REPLICATION_GROUP_HAS_CONTEXTS("CAUCUS-2312"),
  /** The node is still a member of replication groups. */
  NODE_IN_USE("CAUCUS-2313"),
  /** The change is not allowed on {@code _admin} (other contexts, removal, a non-storing role). */
  ADMIN_GROUP_RESTRICTED("CAUCUS-2314"),
  /** A bug: applying the command failed unexpectedly; nothing changed (Axon: OTHER). */
  INTERNAL_ERROR("AXONIQ-0001");

  private final String code;

  AdminError(String code) {
    this.code = code;
  }

  /** The stable string code shown to users and clients. */
  public String code() {
    return code;
  }
}

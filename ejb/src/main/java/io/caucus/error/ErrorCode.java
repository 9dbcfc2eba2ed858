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

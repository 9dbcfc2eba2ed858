/**
 * What applications and the web layer call: facades (CDI beans and EJBs) for appending and reading
 * events, snapshots and cluster information, the value types they take and return ({@link
 * io.caucus.api.EventMessage}, {@link io.caucus.api.TrackedEventMessage}: the outer layers never
 * see the event store's own types; {@code EventMessages} maps between them), the validation of
 * request shapes, and {@link io.caucus.error.ErrorCode}, the one enum of error codes every layer
 * reports with. The facades hide where the work happens (this node, or the leader of a context's
 * replication group).
 *
 * <p>What does not belong here: HTTP or gRPC types (those live in the web module) and storage or
 * consensus logic.
 */
package io.caucus.api;

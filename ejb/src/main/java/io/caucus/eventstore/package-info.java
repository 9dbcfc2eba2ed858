/**
 * The event store of a context: the state machine every storing member of the context's replication
 * group applies committed log entries to ({@link io.caucus.eventstore.ContextStateMachine}), its
 * reads, retention for secondaries and whole-state snapshots; the command codec the API layers
 * build log entries with. Plain Java over the storage port of {@link io.caucus.eventstore.storage};
 * Infinispan stays in {@link io.caucus.eventstore.infinispan}.
 */
package io.caucus.eventstore;

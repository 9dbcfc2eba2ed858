/**
 * The event store of a context: the state machine every storing member of the context's replication
 * group applies committed log entries to ({@link io.caucus.eventstore.ContextStateMachine}), its
 * reads, retention for secondaries and whole-state snapshots; the command codec the API layers
 * build log entries with. Plain Java over the storage port of {@link io.caucus.eventstore.storage};
 * Infinispan stays in {@link io.caucus.eventstore.infinispan}.
 *
 * <p>On-disk layout: a store records its format version ({@code StoreFormat}: 1 = aggregate index
 * keyed by the identifiers themselves, as written before format records; 2 = keyed by a fixed-size
 * hash of the identifier, the identifier stored beside the head, see {@code AggregateIndex}). Old
 * stores keep their layout; new and reinstalled stores use the current one. Limits of an event (at
 * the door, and the verdict kept at apply for old logs) are in {@link
 * io.caucus.eventstore.EventLimits}.
 */
package io.caucus.eventstore;

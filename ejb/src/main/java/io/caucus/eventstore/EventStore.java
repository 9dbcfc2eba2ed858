package io.caucus.eventstore;

/**
 * A context's event store: the state machine the group runner applies to ({@link
 * ContextStateMachine}), the reads ({@link EventStoreReader}) and retention ({@link
 * EventRetention}). {@link DefaultEventStore} is the implementation, over either storage port.
 */
public interface EventStore extends ContextStateMachine, EventStoreReader, EventRetention {

  /** The context's name. */
  String context();
}

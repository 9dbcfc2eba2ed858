package io.caucus.api;

import io.caucus.eventstore.Event;
import io.caucus.eventstore.StoredEvent;
import java.util.List;

/** Between the API's event types and the event store's: the one place that maps them. */
final class EventMessages {

  private EventMessages() {}

  static Event toStore(EventMessage m) {
    return new Event(
        m.messageId(),
        m.aggregateId(),
        m.aggregateType(),
        m.aggregateSequenceNumber(),
        m.timestamp(),
        m.payloadType(),
        m.payloadRevision(),
        m.payload(),
        m.metadata());
  }

  static EventMessage fromStore(Event e) {
    return new EventMessage(
        e.messageId(),
        e.aggregateId(),
        e.aggregateType(),
        e.aggregateSequenceNumber(),
        e.timestamp(),
        e.payloadType(),
        e.payloadRevision(),
        e.payload(),
        e.metadata());
  }

  static List<Event> allToStore(List<EventMessage> messages) {
    return messages.stream().map(EventMessages::toStore).toList();
  }

  static List<EventMessage> allFromStore(List<Event> events) {
    return events.stream().map(EventMessages::fromStore).toList();
  }

  static List<TrackedEventMessage> tracked(List<StoredEvent> events) {
    return events.stream()
        .map(s -> new TrackedEventMessage(s.token(), fromStore(s.event())))
        .toList();
  }
}

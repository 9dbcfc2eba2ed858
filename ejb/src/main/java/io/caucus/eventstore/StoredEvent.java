package io.caucus.eventstore;

import java.util.Objects;

/**
 * An event as the store holds it: with its global token.
 *
 * @param token position in the context's event stream (0, 1, 2, … without gaps)
 * @param event the event
 */
public record StoredEvent(long token, Event event) {
  public StoredEvent {
    Objects.requireNonNull(event, "event");
  }
}

package io.caucus.eventstore;

import java.util.List;
import java.util.Objects;

/**
 * A command for a context's state machine, carried in a NORMAL log entry. Encoded and decoded only
 * by {@link CommandCodec}.
 */
public sealed interface EventCommand {

  /** Store these events atomically (all or nothing) and give them consecutive tokens. */
  record AppendEvents(List<Event> events) implements EventCommand {
    public AppendEvents {
      events = List.copyOf(Objects.requireNonNull(events, "events"));
    }
  }

  /** Store an aggregate snapshot (apart from the events; it gets no token). */
  record AppendSnapshot(Event snapshot) implements EventCommand {
    public AppendSnapshot {
      Objects.requireNonNull(snapshot, "snapshot");
    }
  }
}

package io.caucus.cluster.rpc;

import io.caucus.error.ErrorCode;
import io.caucus.eventstore.Event;
import java.util.List;

/** The leader's answer to a {@link LeaderRead}. Immutable values. */
public sealed interface ReadReply
    permits ReadReply.Events, ReadReply.Sequence, ReadReply.Error, NotLeaderReply {

  /** The events of an aggregate read. */
  record Events(List<Event> events) implements ReadReply {
    public Events {
      events = List.copyOf(events);
    }
  }

  /** A highest-sequence answer. */
  record Sequence(long value) implements ReadReply {}

  /** The store refused the read (for example the context does not exist on the leader). */
  record Error(ErrorCode code, String message) implements ReadReply {}
}

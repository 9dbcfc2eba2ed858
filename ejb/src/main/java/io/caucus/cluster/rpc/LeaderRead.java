package io.caucus.cluster.rpc;

import java.util.Objects;

/**
 * A read that must be served by the leader of a context's replication group after a read barrier
 * (Axon's "force read from leader"): it sees every event acknowledged before it was asked.
 * Forwarded to the leader in the {@link RpcCodec} format when this node does not lead.
 */
public sealed interface LeaderRead {

  /** The context whose store is read. */
  String context();

  /** The events of an aggregate from {@code fromSequence}, optionally from its latest snapshot. */
  record AggregateEvents(
      String context, String aggregateId, long fromSequence, boolean fromLatestSnapshot)
      implements LeaderRead {
    public AggregateEvents {
      Objects.requireNonNull(context, "context");
      Objects.requireNonNull(aggregateId, "aggregateId");
    }
  }

  /** The highest sequence number of an aggregate (-1 when it has no events). */
  record HighestSequence(String context, String aggregateId) implements LeaderRead {
    public HighestSequence {
      Objects.requireNonNull(context, "context");
      Objects.requireNonNull(aggregateId, "aggregateId");
    }
  }
}

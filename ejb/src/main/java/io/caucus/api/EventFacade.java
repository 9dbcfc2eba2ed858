package io.caucus.api;

import io.caucus.cluster.ClusterNode;
import io.caucus.cluster.ContextNotFoundException;
import io.caucus.cluster.ForwardFailedException;
import io.caucus.cluster.NodeStartingException;
import io.caucus.cluster.NotLeaderException;
import io.caucus.error.ErrorCode;
import io.caucus.eventstore.ApplyResult;
import io.caucus.eventstore.CommandCodec;
import io.caucus.eventstore.Event;
import io.caucus.eventstore.EventLimits;
import io.caucus.eventstore.EventStoreException;
import io.caucus.eventstore.EventStoreReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Appends and reads events of a context, for the web layer and applications in the same server.
 * Appends go to the leader of the context's replication group (through {@link ClusterNode}) and
 * return once the transaction is applied; reads are served from this node's copy of the context,
 * or, when the caller forces it (Axon's {@code forceReadFromLeader}), by the group's leader after a
 * read barrier, so that they see every acknowledged append even where this node's copy lags.
 *
 * <p>Application scoped, stateless; thread safe. Every failure is a {@link CaucusException} with an
 * {@link ErrorCode}: bad request shapes before anything is sent, the store's verdict (e.g. {@code
 * AXONIQ-2000}) after.
 */
@ApplicationScoped
public class EventFacade {

  /** How long an append may wait for a leader and for its commit. */
  static final Duration APPEND_TIMEOUT = Duration.ofSeconds(15);

  /** How long a read forced to the leader may wait for a leader and its read barrier. */
  static final Duration LEADER_READ_TIMEOUT = Duration.ofSeconds(10);

  /** Largest transaction accepted in one append. */
  static final int MAX_EVENTS_PER_TRANSACTION = 10_000;

  /** TEST ONLY: see {@link ClusterNode#UNCHECKED_APPENDS_PROPERTY}. */
  public static final String UNCHECKED_APPENDS_HEADER = ClusterNode.UNCHECKED_APPENDS_HEADER;

  @Inject ClusterNode node;

  /**
   * Appends events as one transaction.
   *
   * @return the token of the first event stored
   */
  public AppendOutcome append(String context, List<EventMessage> events) {
    return append(context, events, false);
  }

  /**
   * {@link #append(String, List)}; with {@code unchecked} on a node started with the test-only
   * {@link ClusterNode#UNCHECKED_APPENDS_PROPERTY}, the per-event door checks are skipped
   * (elsewhere {@code unchecked} is ignored): a test-only path into the log past the door.
   */
  public AppendOutcome append(String context, List<EventMessage> messages, boolean unchecked) {
    if (messages == null || messages.isEmpty()) {
      throw CaucusException.of(ErrorCode.INVALID_REQUEST, "an append needs at least one event");
    }
    if (messages.size() > MAX_EVENTS_PER_TRANSACTION) {
      throw CaucusException.of(
          ErrorCode.TOO_MANY_EVENTS,
          messages.size() + " events, at most " + MAX_EVENTS_PER_TRANSACTION + " are allowed");
    }
    List<Event> events = EventMessages.allToStore(messages);
    boolean skipChecks = unchecked && node.uncheckedAppendsEnabled();
    for (int i = 0; i < events.size() && !skipChecks; i++) {
      validate(events.get(i), i);
    }
    return submit(context, sizeChecked(CommandCodec.encodeEvents(context, events)));
  }

  private byte[] sizeChecked(byte[] command) {
    int max = node.maxMessageBytes();
    if (command.length > max) {
      throw CaucusException.of(
          ErrorCode.PAYLOAD_TOO_LARGE,
          command.length
              + " bytes encoded, at most "
              + max
              + " are allowed ("
              + ClusterNode.MAX_MESSAGE_SIZE_PROPERTY
              + ")");
    }
    return command;
  }

  /** Stores an aggregate snapshot. */
  public AppendOutcome appendSnapshot(String context, EventMessage message) {
    Event snapshot = EventMessages.toStore(message);
    validate(snapshot, 0);
    if (snapshot.aggregateId().isEmpty()) {
      throw CaucusException.of(
          ErrorCode.INVALID_REQUEST, "a snapshot needs an aggregateIdentifier");
    }
    return submit(context, sizeChecked(CommandCodec.encodeSnapshot(context, snapshot)));
  }

  /** The checks every append passes before anything is proposed (REST, gRPC and CDI alike). */
  static void validate(Event e, int index) {
    EventLimits.violationAtDoor(e, index)
        .ifPresent(
            v -> {
              throw CaucusException.of(ErrorCode.INVALID_REQUEST, v);
            });
    if (e.aggregateSequenceNumber() < 0) {
      throw CaucusException.of(ErrorCode.INVALID_REQUEST, "aggregateSequenceNumber must be >= 0");
    }
    if (!e.aggregateType().isEmpty() && e.aggregateId().isEmpty()) {
      throw CaucusException.of(
          ErrorCode.INVALID_REQUEST, "an event with an aggregateType needs an aggregateIdentifier");
    }
  }

  private AppendOutcome submit(String context, byte[] command) {
    ApplyResult result =
        throughCluster(context, "appending", n -> n.append(context, command, APPEND_TIMEOUT));
    if (result instanceof ApplyResult.Accepted a) {
      return new AppendOutcome(a.firstToken(), a.eventCount());
    }
    if (result instanceof ApplyResult.Rejected r) {
      throw new CaucusException(r.code(), r.message());
    }
    throw CaucusException.of(ErrorCode.INTERNAL_ERROR, "the entry was applied before: " + result);
  }

  /** Events of an aggregate from {@code initialSequence}, optionally from its latest snapshot. */
  public List<EventMessage> aggregateEvents(
      String context, String aggregateId, long initialSequence, boolean allowSnapshots) {
    return aggregateEvents(context, aggregateId, initialSequence, allowSnapshots, false);
  }

  /**
   * As {@link #aggregateEvents(String, String, long, boolean)}; with {@code forceReadFromLeader}
   * the leader of the context's group serves the read after a read barrier (NO_LEADER when there is
   * none within {@link #LEADER_READ_TIMEOUT}).
   */
  public List<EventMessage> aggregateEvents(
      String context,
      String aggregateId,
      long initialSequence,
      boolean allowSnapshots,
      boolean forceReadFromLeader) {
    if (aggregateId == null || aggregateId.isBlank()) {
      throw CaucusException.of(ErrorCode.INVALID_REQUEST, "aggregateId is required");
    }
    if (initialSequence < 0) {
      throw CaucusException.of(ErrorCode.INVALID_REQUEST, "initialSequence must be >= 0");
    }
    if (forceReadFromLeader) {
      return EventMessages.allFromStore(
          fromLeader(
              context,
              node ->
                  node.aggregateEventsFromLeader(
                      context, aggregateId, initialSequence, allowSnapshots, LEADER_READ_TIMEOUT)));
    }
    return EventMessages.allFromStore(
        read(() -> store(context).aggregateEvents(aggregateId, initialSequence, allowSnapshots)));
  }

  /** The highest sequence number of an aggregate (-1 when it has none). */
  public long highestSequence(String context, String aggregateId, boolean forceReadFromLeader) {
    if (aggregateId == null || aggregateId.isBlank()) {
      throw CaucusException.of(ErrorCode.INVALID_REQUEST, "aggregateId is required");
    }
    if (forceReadFromLeader) {
      return fromLeader(
          context,
          node -> node.highestSequenceFromLeader(context, aggregateId, LEADER_READ_TIMEOUT));
    }
    return read(() -> store(context).highestSequence(aggregateId));
  }

  private interface ClusterCall<T> {
    T run(ClusterNode node) throws InterruptedException, TimeoutException;
  }

  private <T> T fromLeader(String context, ClusterCall<T> read) {
    return throughCluster(context, "reading", read);
  }

  /**
   * Runs a call that may go to the leader of the context's group, translating every failure into
   * the {@link ErrorCode} clients see: the one translation for appends and leader reads, whichever
   * API (REST, gRPC, CDI) called the facade.
   *
   * @param doing what the call does, for the message when it is interrupted
   */
  private <T> T throughCluster(String context, String doing, ClusterCall<T> call) {
    try {
      return call.run(node);
    } catch (NodeStartingException e) {
      throw starting(e);
    } catch (ContextNotFoundException e) {
      throw CaucusException.of(ErrorCode.CONTEXT_NOT_FOUND, context);
    } catch (NotLeaderException | ForwardFailedException | TimeoutException e) {
      throw new CaucusException(
          ErrorCode.NO_LEADER,
          ErrorCode.NO_LEADER.message(context) + " (" + e.getMessage() + ")",
          e);
    } catch (EventStoreException e) {
      throw new CaucusException(e.code(), e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CaucusException.of(ErrorCode.INTERNAL_ERROR, "interrupted while " + doing);
    }
  }

  /** Up to {@code max} events from {@code fromToken} on, in token order. */
  public List<TrackedEventMessage> readEvents(String context, long fromToken, int max) {
    if (fromToken < 0) {
      throw CaucusException.of(ErrorCode.INVALID_REQUEST, "trackingToken must be >= 0");
    }
    return EventMessages.tracked(read(() -> store(context).readEvents(fromToken, max)));
  }

  /**
   * Snapshots of an aggregate with sequence numbers in {@code [fromSequence, toSequence]}, newest
   * first, at most {@code maxResults}, from this node's copy of the context.
   */
  public List<EventMessage> aggregateSnapshots(
      String context, String aggregateId, long fromSequence, long toSequence, int maxResults) {
    if (aggregateId == null || aggregateId.isBlank()) {
      throw CaucusException.of(ErrorCode.INVALID_REQUEST, "aggregateId is required");
    }
    if (fromSequence < 0 || maxResults < 1) {
      throw CaucusException.of(
          ErrorCode.INVALID_REQUEST, "initialSequence must be >= 0 and maxResults >= 1");
    }
    return EventMessages.allFromStore(
        read(
            () ->
                store(context)
                    .aggregateSnapshots(aggregateId, fromSequence, toSequence, maxResults)));
  }

  /**
   * The first token that can be read: 0 for an empty context, later once retention removed some.
   */
  public long firstToken(String context) {
    return read(() -> store(context).firstToken());
  }

  /** The last token of the context (-1 when empty). */
  public long lastToken(String context) {
    return read(() -> store(context).lastToken());
  }

  private interface Read<T> {
    T get();
  }

  private static <T> T read(Read<T> read) {
    try {
      return read.get();
    } catch (EventStoreException e) {
      throw new CaucusException(e.code(), e.getMessage(), e);
    }
  }

  private EventStoreReader store(String context) {
    Optional<EventStoreReader> store;
    try {
      store = node.store(context);
    } catch (NodeStartingException e) {
      throw starting(e);
    } catch (ContextNotFoundException e) {
      throw CaucusException.of(ErrorCode.CONTEXT_NOT_FOUND, context);
    }
    return store.orElseThrow(
        () ->
            new CaucusException(
                ErrorCode.CONTEXT_NOT_FOUND,
                "Context "
                    + context
                    + " is not stored on this node (yet). Ask a node that stores it."));
  }

  /** The node cannot serve yet (503 NODE_STARTING); the message says what it waits for. */
  private static CaucusException starting(NodeStartingException e) {
    return new CaucusException(
        ErrorCode.NODE_STARTING, ErrorCode.NODE_STARTING.message(e.getMessage()), e);
  }

  /**
   * What an append stored.
   *
   * @param firstToken token of the first event (-1 for a snapshot)
   * @param count events stored
   */
  public record AppendOutcome(long firstToken, int count) {}
}

package io.caucus.grpc;

import io.axoniq.axonserver.grpc.event.Confirmation;
import io.axoniq.axonserver.grpc.event.Event;
import io.axoniq.axonserver.grpc.event.EventStoreGrpc;
import io.axoniq.axonserver.grpc.event.EventWithToken;
import io.axoniq.axonserver.grpc.event.GetAggregateEventsRequest;
import io.axoniq.axonserver.grpc.event.GetAggregateSnapshotsRequest;
import io.axoniq.axonserver.grpc.event.GetEventsRequest;
import io.axoniq.axonserver.grpc.event.GetFirstTokenRequest;
import io.axoniq.axonserver.grpc.event.GetLastTokenRequest;
import io.axoniq.axonserver.grpc.event.GetTokenAtRequest;
import io.axoniq.axonserver.grpc.event.ReadHighestSequenceNrRequest;
import io.axoniq.axonserver.grpc.event.ReadHighestSequenceNrResponse;
import io.axoniq.axonserver.grpc.event.TrackingToken;
import io.caucus.api.EventFacade;
import io.caucus.api.EventMessage;
import io.caucus.api.TrackedEventMessage;
import io.caucus.error.ErrorCode;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Axon Server's {@code EventStore} service over {@link EventFacade} (the facade REST uses), for the
 * context of the call's {@code AxonIQ-Context} header. Thread safe: holds no per-call state; each
 * streaming call keeps its own.
 *
 * <p>Not served yet (answers UNIMPLEMENTED): {@code QueryEvents}. {@code ListAggregateEvents}
 * ignores {@code min_token} and loads the aggregate's events at once (no back-pressure yet). Reads
 * are served from this node's copy of the context (a node that does not store it answers
 * AXONIQ-1302).
 */
final class EventStoreService extends EventStoreGrpc.EventStoreImplBase {

  private final EventFacade events;
  private final ScheduledExecutorService trackers;
  private final int maxTransactionBytes;

  /**
   * @param maxTransactionBytes the most bytes of events one {@code AppendEvent} stream may carry
   *     ({@code axoniq.axonserver.max-message-size}): past it the stream fails at once, so that a
   *     client streaming without end cannot fill the node's memory
   */
  EventStoreService(
      EventFacade events, ScheduledExecutorService trackers, int maxTransactionBytes) {
    this.events = events;
    this.trackers = trackers;
    this.maxTransactionBytes = maxTransactionBytes;
  }

  /** One transaction: the events of the stream, stored on {@code onCompleted}; nothing on error. */
  @Override
  public StreamObserver<Event> appendEvent(StreamObserver<Confirmation> responses) {
    String context = AxonContext.current();
    return new StreamObserver<>() {
      private final List<EventMessage> transaction = new ArrayList<>();
      private long bytes;
      private boolean failed;

      @Override
      public void onNext(Event event) {
        if (failed) {
          return;
        }
        bytes += event.getSerializedSize();
        if (bytes > maxTransactionBytes) {
          failed = true;
          transaction.clear();
          responses.onError(
              GrpcErrors.of(
                  ErrorCode.PAYLOAD_TOO_LARGE,
                  ErrorCode.PAYLOAD_TOO_LARGE.message(
                      "more than " + maxTransactionBytes + " bytes of events in one transaction")));
          return;
        }
        transaction.add(GrpcEvents.toApi(event));
      }

      @Override
      public void onError(Throwable t) {
        transaction.clear();
      }

      @Override
      public void onCompleted() {
        if (failed) {
          return;
        }
        answer(
            responses,
            () -> {
              events.append(context, transaction);
              return Confirmation.newBuilder().setSuccess(true).build();
            });
      }
    };
  }

  @Override
  public void appendSnapshot(Event request, StreamObserver<Confirmation> responses) {
    String context = AxonContext.current();
    answer(
        responses,
        () -> {
          events.appendSnapshot(context, GrpcEvents.toApi(request));
          return Confirmation.newBuilder().setSuccess(true).build();
        });
  }

  /**
   * With {@code allow_snapshots}, the latest snapshot in range first (flagged {@code snapshot}),
   * then the events after it; otherwise the events from {@code initial_sequence}.
   */
  @Override
  public void listAggregateEvents(
      GetAggregateEventsRequest request, StreamObserver<Event> responses) {
    String context = AxonContext.current();
    String id = request.getAggregateId();
    long max = request.getMaxSequence() <= 0 ? Long.MAX_VALUE : request.getMaxSequence();
    try {
      long from = request.getInitialSequence();
      if (request.getAllowSnapshots()) {
        List<EventMessage> latest = events.aggregateSnapshots(context, id, from, max, 1);
        if (!latest.isEmpty()) {
          responses.onNext(GrpcEvents.toGrpc(latest.get(0), true));
          from = latest.get(0).aggregateSequenceNumber() + 1;
        }
      }
      for (EventMessage m : events.aggregateEvents(context, id, from, false)) {
        if (m.aggregateSequenceNumber() > max) {
          break;
        }
        responses.onNext(GrpcEvents.toGrpc(m, false));
      }
      responses.onCompleted();
    } catch (RuntimeException e) {
      responses.onError(GrpcErrors.of(e));
    }
  }

  @Override
  public void listAggregateSnapshots(
      GetAggregateSnapshotsRequest request, StreamObserver<Event> responses) {
    String context = AxonContext.current();
    long max = request.getMaxSequence() <= 0 ? Long.MAX_VALUE : request.getMaxSequence();
    int results = request.getMaxResults() <= 0 ? Integer.MAX_VALUE : request.getMaxResults();
    try {
      for (EventMessage m :
          events.aggregateSnapshots(
              context, request.getAggregateId(), request.getInitialSequence(), max, results)) {
        responses.onNext(GrpcEvents.toGrpc(m, true));
      }
      responses.onCompleted();
    } catch (RuntimeException e) {
      responses.onError(GrpcErrors.of(e));
    }
  }

  @Override
  public void readHighestSequenceNr(
      ReadHighestSequenceNrRequest request,
      StreamObserver<ReadHighestSequenceNrResponse> responses) {
    String context = AxonContext.current();
    answer(
        responses,
        () ->
            ReadHighestSequenceNrResponse.newBuilder()
                .setToSequenceNr(events.highestSequence(context, request.getAggregateId(), false))
                .build());
  }

  @Override
  public StreamObserver<GetEventsRequest> listEvents(StreamObserver<EventWithToken> responses) {
    return new EventTracker(
        events,
        AxonContext.current(),
        (ServerCallStreamObserver<EventWithToken>) responses,
        trackers);
  }

  @Override
  public void getFirstToken(GetFirstTokenRequest request, StreamObserver<TrackingToken> responses) {
    String context = AxonContext.current();
    answer(responses, () -> token(events.firstToken(context)));
  }

  @Override
  public void getLastToken(GetLastTokenRequest request, StreamObserver<TrackingToken> responses) {
    String context = AxonContext.current();
    answer(responses, () -> token(events.lastToken(context)));
  }

  /**
   * The first token whose event's timestamp is at or after the instant, by binary search over the
   * tokens (timestamps are the clients', so this assumes they grow with the token, as Axon Server
   * does); the token after the last when every event is older.
   */
  @Override
  public void getTokenAt(GetTokenAtRequest request, StreamObserver<TrackingToken> responses) {
    String context = AxonContext.current();
    answer(
        responses,
        () -> {
          long low = 0;
          long high = events.lastToken(context) + 1;
          while (low < high) {
            long mid = (low + high) >>> 1;
            List<TrackedEventMessage> at = events.readEvents(context, mid, 1);
            if (at.isEmpty() || at.get(0).event().timestamp() >= request.getInstant()) {
              high = mid;
            } else {
              low = mid + 1;
            }
          }
          return token(low);
        });
  }

  private static TrackingToken token(long token) {
    return TrackingToken.newBuilder().setToken(token).build();
  }

  /** Completes a unary call with the answer, or fails it with the error Axon Server would send. */
  private static <T> void answer(StreamObserver<T> responses, Supplier<T> call) {
    T answer;
    try {
      answer = call.get();
    } catch (RuntimeException e) {
      responses.onError(GrpcErrors.of(e));
      return;
    }
    responses.onNext(answer);
    responses.onCompleted();
  }
}

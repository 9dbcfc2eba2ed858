package io.caucus.grpc;

import io.axoniq.axonserver.grpc.event.EventWithToken;
import io.axoniq.axonserver.grpc.event.GetEventsRequest;
import io.caucus.api.EventFacade;
import io.caucus.api.TrackedEventMessage;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code ListEvents} tracking stream: the first request gives the token to start from and the
 * permits; later requests add permits. Never sends more events than permitted; reads in batches of
 * at most {@link #BATCH} from the facade, so a long stream is never loaded whole; when caught up it
 * polls every {@link #POLL_MILLIS} ms for newly committed events.
 *
 * <p><b>Threads.</b> Requests arrive on gRPC's executor; sending runs as one task at a time on the
 * shared tracker scheduler ({@link #running} makes sure there is never a second). Stops when the
 * client cancels or completes, or on the first failure (sent to the client as its error).
 *
 * <p>Not done yet: the request's {@code blacklist} is ignored (every event is sent), and {@code
 * force_read_from_leader} too (this node's copy is read).
 */
final class EventTracker implements StreamObserver<GetEventsRequest> {

  static final int BATCH = 256;
  static final long POLL_MILLIS = 50;

  private final EventFacade events;
  private final String context;
  private final ServerCallStreamObserver<EventWithToken> responses;
  private final ScheduledExecutorService scheduler;
  private final AtomicLong permits = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean stopped;
  private volatile long next = -1;

  EventTracker(
      EventFacade events,
      String context,
      ServerCallStreamObserver<EventWithToken> responses,
      ScheduledExecutorService scheduler) {
    this.events = events;
    this.context = context;
    this.responses = responses;
    this.scheduler = scheduler;
    responses.setOnCancelHandler(() -> stopped = true);
  }

  @Override
  public void onNext(GetEventsRequest request) {
    if (next < 0) {
      next = Math.max(0, request.getTrackingToken());
    }
    permits.addAndGet(request.getNumberOfPermits());
    schedule(0);
  }

  @Override
  public void onError(Throwable t) {
    stopped = true;
  }

  @Override
  public void onCompleted() {
    stopped = true;
    synchronized (responses) {
      try {
        responses.onCompleted();
      } catch (IllegalStateException alreadyClosed) {
        // cancelled meanwhile
      }
    }
  }

  private void schedule(long delayMillis) {
    if (!stopped && next >= 0 && permits.get() > 0 && running.compareAndSet(false, true)) {
      scheduler.schedule(this::send, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void send() {
    long delay = 0;
    try {
      int max = (int) Math.min(BATCH, permits.get());
      List<TrackedEventMessage> batch = stopped ? List.of() : events.readEvents(context, next, max);
      synchronized (responses) {
        for (TrackedEventMessage t : batch) {
          if (stopped) {
            break;
          }
          responses.onNext(
              EventWithToken.newBuilder()
                  .setToken(t.token())
                  .setEvent(GrpcEvents.toGrpc(t.event(), false))
                  .build());
          next = t.token() + 1;
          permits.decrementAndGet();
        }
      }
      if (batch.isEmpty()) {
        delay = POLL_MILLIS;
      }
    } catch (RuntimeException e) {
      stopped = true;
      synchronized (responses) {
        try {
          responses.onError(GrpcErrors.of(e));
        } catch (IllegalStateException alreadyClosed) {
          // cancelled meanwhile
        }
      }
      return;
    } finally {
      running.set(false);
    }
    schedule(delay);
  }
}

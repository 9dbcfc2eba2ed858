package io.caucus.web;

import io.caucus.api.EventFacade;
import io.caucus.api.EventMessage;
import io.caucus.api.TrackedEventMessage;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The event API as Axon Server SE's REST API has it, context in the {@code AxonIQ-Context} header:
 * {@code POST /v1/events} appends a transaction, {@code GET /v1/events} reads an aggregate or
 * tracks the event stream as server-sent events, one event per message with its token. An aggregate
 * read with {@code forceReadFromLeader=true} (Axon's name for the flag; also the header {@code
 * AxonIQ-ForceReadFromLeader: true}) is served by the leader after a read barrier.
 */
@Path("/events")
@RequestScoped
public class EventsResource {

  static final String CONTEXT_HEADER = "AxonIQ-Context";
  static final String DEFAULT_CONTEXT = "default";
  static final String FORCE_READ_FROM_LEADER_HEADER = "AxonIQ-ForceReadFromLeader";
  static final MediaType EVENT_STREAM = MediaType.SERVER_SENT_EVENTS_TYPE;
  private static final int MAX_EVENTS_LIMIT = 100_000;
  private static final int MAX_TIMEOUT_SECONDS = 3600;

  @Inject EventFacade events;

  /** Appends {@code {messages: [...]}} as one transaction; answers after it is committed. */
  @POST
  @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.WILDCARD})
  @Produces(MediaType.APPLICATION_JSON)
  public Response append(
      @HeaderParam(CONTEXT_HEADER) @DefaultValue(DEFAULT_CONTEXT) String context,
      @HeaderParam(EventFacade.UNCHECKED_APPENDS_HEADER) String unchecked,
      String body) {
    List<EventMessage> list = EventJson.messages(EventJson.parseObject(body));
    EventFacade.AppendOutcome outcome =
        events.append(context, list, "true".equalsIgnoreCase(unchecked));
    return Response.ok(
            JsonFactories.object()
                .add("firstToken", outcome.firstToken())
                .add("count", outcome.count())
                .build())
        .build();
  }

  /**
   * {@code ?aggregateId=&initialSequence=&allowSnapshots=} reads an aggregate; {@code
   * ?trackingToken=&maxEvents=&timeout=} streams events from a token until {@code maxEvents} were
   * sent or {@code timeout} seconds passed. Server-sent events; JSON array when the client accepts
   * only JSON.
   */
  @GET
  @Produces({MediaType.SERVER_SENT_EVENTS, MediaType.APPLICATION_JSON})
  public Response read(
      @HeaderParam(CONTEXT_HEADER) @DefaultValue(DEFAULT_CONTEXT) String context,
      @HeaderParam("Accept") String accept,
      @QueryParam("aggregateId") String aggregateId,
      @QueryParam("initialSequence") String initialSequence,
      @QueryParam("allowSnapshots") String allowSnapshots,
      @QueryParam("trackingToken") String trackingToken,
      @QueryParam("maxEvents") String maxEvents,
      @QueryParam("timeout") String timeout,
      @QueryParam("forceReadFromLeader") String forceReadFromLeader,
      @HeaderParam(FORCE_READ_FROM_LEADER_HEADER) String forceReadFromLeaderHeader) {
    boolean json = accept != null && accept.contains("json") && !accept.contains("event-stream");
    if (aggregateId != null) {
      List<EventMessage> list =
          events.aggregateEvents(
              context,
              aggregateId,
              whole("initialSequence", initialSequence, 0, 0, Long.MAX_VALUE),
              bool("allowSnapshots", allowSnapshots, true),
              bool("forceReadFromLeader", forceReadFromLeader, false)
                  || bool(FORCE_READ_FROM_LEADER_HEADER, forceReadFromLeaderHeader, false));
      if (json) {
        var array = JsonFactories.array();
        list.forEach(e -> array.add(EventJson.toJson(e, -1)));
        return Response.ok(array.build(), MediaType.APPLICATION_JSON_TYPE).build();
      }
      StreamingOutput out = o -> list.forEach(e -> sse(o, EventJson.toJson(e, -1), -1));
      return Response.ok(out, EVENT_STREAM).build();
    }
    if (bool("forceReadFromLeader", forceReadFromLeader, false)
        || bool(FORCE_READ_FROM_LEADER_HEADER, forceReadFromLeaderHeader, false)) {
      throw EventJson.invalid(
          "forceReadFromLeader is supported for aggregate reads (aggregateId) only; read the"
              + " event stream without it");
    }
    long from = whole("trackingToken", trackingToken, 0, 0, Long.MAX_VALUE);
    int max = (int) whole("maxEvents", maxEvents, 1000, 1, MAX_EVENTS_LIMIT);
    long seconds = whole("timeout", timeout, 5, 0, MAX_TIMEOUT_SECONDS);
    events.lastToken(context); // fail fast (404, 503) before the stream starts
    if (json) {
      var array = JsonFactories.array();
      events.readEvents(context, from, max).forEach(e -> array.add(toJson(e)));
      return Response.ok(array.build(), MediaType.APPLICATION_JSON_TYPE).build();
    }
    StreamingOutput out = o -> track(o, context, from, max, seconds);
    return Response.ok(out, EVENT_STREAM).build();
  }

  private void track(OutputStream o, String context, long from, int max, long seconds)
      throws IOException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    long next = from;
    int sent = 0;
    while (sent < max) {
      List<TrackedEventMessage> batch = events.readEvents(context, next, Math.min(256, max - sent));
      for (TrackedEventMessage e : batch) {
        sse(o, toJson(e), e.token());
        next = e.token() + 1;
        sent++;
      }
      o.flush();
      if (batch.isEmpty()) {
        if (System.nanoTime() > deadline) {
          break;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
  }

  private static JsonObject toJson(TrackedEventMessage e) {
    return EventJson.toJson(e.event(), e.token());
  }

  private static void sse(OutputStream o, JsonObject json, long token) {
    StringBuilder b = new StringBuilder();
    if (token >= 0) {
      b.append("id: ").append(token).append('\n');
    }
    b.append("data: ").append(json).append("\n\n");
    try {
      o.write(b.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static long whole(String name, String value, long absent, long min, long max) {
    if (value == null || value.isBlank()) {
      return absent;
    }
    try {
      long v = Long.parseLong(value.trim());
      if (v < min || v > max) {
        throw EventJson.invalid(name + " must be between " + min + " and " + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw EventJson.invalid(name + " must be a whole number, was '" + value + "'");
    }
  }

  static boolean bool(String name, String value, boolean absent) {
    if (value == null || value.isBlank()) {
      return absent;
    }
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw EventJson.invalid(name + " must be true or false, was '" + value + "'");
    };
  }
}

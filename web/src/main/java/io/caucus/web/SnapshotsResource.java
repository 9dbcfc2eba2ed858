package io.caucus.web;

import io.caucus.api.EventFacade;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /v1/snapshots}: stores one aggregate snapshot (an event object). */
@Path("/snapshots")
@RequestScoped
public class SnapshotsResource {

  @Inject EventFacade events;

  @POST
  @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.WILDCARD})
  @Produces(MediaType.APPLICATION_JSON)
  public Response append(
      @HeaderParam(EventsResource.CONTEXT_HEADER) @DefaultValue(EventsResource.DEFAULT_CONTEXT)
          String context,
      String body) {
    events.appendSnapshot(context, EventJson.event(EventJson.parseObject(body), "snapshot"));
    return Response.ok(JsonFactories.object().add("stored", true).build()).build();
  }
}

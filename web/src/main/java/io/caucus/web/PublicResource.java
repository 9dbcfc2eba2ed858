package io.caucus.web;

import io.caucus.api.ClusterInfoFacade;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /v1/public}: the nodes of the cluster, this node, contexts and replication groups. */
@Path("/public")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class PublicResource {

  @Inject ClusterInfoFacade cluster;

  /** This node ({@code GET /v1/public/me}). */
  @GET
  @Path("/me")
  public Response me() {
    return cluster
        .me()
        .map(me -> Response.ok(me))
        .orElseGet(
            () ->
                Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .entity(new ErrorBody("AXONIQ-1001", cluster.readiness().detail())))
        .build();
  }
}

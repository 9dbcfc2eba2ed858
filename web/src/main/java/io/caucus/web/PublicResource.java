package io.caucus.web;

import io.caucus.api.ClusterInfoFacade;
import io.caucus.api.ContextView;
import io.caucus.api.NodeInfo;
import io.caucus.api.ReplicationGroupView;
import io.caucus.error.ErrorCode;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code /v1/public}: the nodes of the cluster, this node, contexts and replication groups. */
@Path("/public")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class PublicResource {

  @Inject ClusterInfoFacade cluster;

  /** The nodes of the cluster ({@code GET /v1/public}). */
  @GET
  public List<NodeInfo> nodes() {
    return cluster.nodes();
  }

  /** This node ({@code GET /v1/public/me}). */
  @GET
  @Path("/me")
  public Response me() {
    return cluster
        .me()
        .map(me -> Response.ok(me))
        .orElseGet(
            () ->
                Response.status(ErrorCode.NO_LEADER.httpStatus())
                    .entity(
                        new ErrorBody(ErrorCode.NO_LEADER.code(), cluster.readiness().detail())))
        .build();
  }

  /** The contexts ({@code GET /v1/public/context}). */
  @GET
  @Path("/context")
  public List<ContextView> contexts() {
    return cluster.contexts();
  }

  /** The replication groups ({@code GET /v1/public/replicationgroups}). */
  @GET
  @Path("/replicationgroups")
  public List<ReplicationGroupView> replicationGroups() {
    return cluster.replicationGroups();
  }
}

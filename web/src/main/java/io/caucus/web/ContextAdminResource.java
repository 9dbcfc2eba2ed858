package io.caucus.web;

import io.caucus.api.AdminAnswer;
import io.caucus.api.AdminFacade;
import io.caucus.api.ContextView;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/context}: Axon Server's context administration, first part. {@code POST
 * /v1/context/init[?context=]} (init-cluster on a node waiting to be initialised), {@code POST
 * /v1/context} {@code {context, replicationGroup?, roles?[{node, role}], nodes?[], metaData?{}}} (a
 * context in an existing group, or in a new group named after it when members are given) and {@code
 * DELETE /v1/context/{c}[?preserveEventStore=true]}. Every change goes through {@code _admin}
 * ({@link AdminFacade}) and is answered once committed; refusals are JSON {@code {code, message}}
 * with the facade's status. The other admin paths of issue 10 are not served yet.
 */
@Path("/context")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ContextAdminResource {

  @Inject AdminFacade admin;

  /** {@code init-cluster}: creates {@code _admin} and the context (default {@code default}). */
  @POST
  @Path("/init")
  public AdminAnswer init(@QueryParam("context") String context) {
    return admin.initCluster(context);
  }

  /** {@code register-context}. */
  @POST
  @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.WILDCARD})
  public AdminAnswer create(String body) {
    JsonObject o = EventJson.parseObject(body);
    return admin.createContext(
        text(o, "context"), text(o, "replicationGroup"), roles(o), nodes(o), metaData(o));
  }

  /** {@code delete-context}; its event store is deleted on every member unless preserved. */
  @DELETE
  @Path("/{context}")
  public AdminAnswer delete(
      @PathParam("context") String context,
      @QueryParam("preserveEventStore") boolean preserveEventStore) {
    return admin.deleteContext(context, preserveEventStore);
  }

  private static String text(JsonObject o, String field) {
    JsonValue v = o.get(field);
    if (v == null || v == JsonValue.NULL) {
      return null;
    }
    if (v instanceof JsonString s) {
      return s.getString();
    }
    throw EventJson.invalid(field + " must be a string");
  }

  private static List<ContextView.NodeRole> roles(JsonObject o) {
    List<ContextView.NodeRole> roles = new ArrayList<>();
    for (JsonValue v : array(o, "roles")) {
      if (v.getValueType() != JsonValue.ValueType.OBJECT) {
        throw EventJson.invalid("each of roles must be an object {node, role}");
      }
      JsonObject r = v.asJsonObject();
      roles.add(new ContextView.NodeRole(text(r, "node"), text(r, "role")));
    }
    return roles;
  }

  private static List<String> nodes(JsonObject o) {
    List<String> nodes = new ArrayList<>();
    for (JsonValue v : array(o, "nodes")) {
      if (!(v instanceof JsonString s)) {
        throw EventJson.invalid("each of nodes must be a node name (a string)");
      }
      nodes.add(s.getString());
    }
    return nodes;
  }

  private static Map<String, String> metaData(JsonObject o) {
    Map<String, String> result = new LinkedHashMap<>();
    JsonValue m = o.get("metaData");
    if (m == null || m == JsonValue.NULL) {
      return result;
    }
    if (m.getValueType() != JsonValue.ValueType.OBJECT) {
      throw EventJson.invalid("metaData must be an object of strings");
    }
    m.asJsonObject().forEach((k, v) -> result.put(k, text(m.asJsonObject(), k)));
    return result;
  }

  private static List<JsonValue> array(JsonObject o, String field) {
    JsonValue v = o.get(field);
    if (v == null || v == JsonValue.NULL) {
      return List.of();
    }
    if (v.getValueType() != JsonValue.ValueType.ARRAY) {
      throw EventJson.invalid(field + " must be an array");
    }
    return v.asJsonArray();
  }
}

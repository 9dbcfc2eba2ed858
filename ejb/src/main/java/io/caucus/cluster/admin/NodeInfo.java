package io.caucus.cluster.admin;

import java.util.Objects;

/**
 * A node of the cluster as {@code _admin} knows it (the fields of Axon Server's {@code
 * /v1/public}). Values are checked when a command carrying them is applied, not here, so that a bad
 * value becomes an error result rather than an exception.
 *
 * @param name unique node name ({@code axoniq.axonserver.name})
 * @param hostName host name clients use
 * @param internalHostName host name other nodes use
 * @param grpcPort client gRPC port
 * @param internalGrpcPort node-to-node port (Axon's {@code internal-port}; Caucus' JGroups port)
 * @param httpPort HTTP port of the REST API
 */
public record NodeInfo(
    String name,
    String hostName,
    String internalHostName,
    int grpcPort,
    int internalGrpcPort,
    int httpPort) {

  public NodeInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hostName, "hostName");
    Objects.requireNonNull(internalHostName, "internalHostName");
  }

  /** {@code internalHostName:internalGrpcPort}, the address other nodes reach it at. */
  public String internalAddress() {
    return internalHostName + ":" + internalGrpcPort;
  }
}

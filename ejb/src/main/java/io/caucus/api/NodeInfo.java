package io.caucus.api;

/**
 * One node of the cluster as Axon Server's {@code /v1/public} shows it.
 *
 * @param name node name
 * @param hostName host name clients use
 * @param internalHostName host name other nodes use
 * @param grpcPort gRPC port
 * @param internalGrpcPort internal port
 * @param httpPort HTTP port
 * @param connected whether this node currently sees it
 */
public record NodeInfo(
    String name,
    String hostName,
    String internalHostName,
    int grpcPort,
    int internalGrpcPort,
    int httpPort,
    boolean connected) {}

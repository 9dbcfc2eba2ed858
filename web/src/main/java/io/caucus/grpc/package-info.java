/**
 * The Axon Server gRPC API at the edge of a node (issue 11): {@code PlatformService} and the {@code
 * EventStore} service, over {@link io.caucus.api} only (the same facades as the REST API), errors
 * from {@link io.caucus.error.ErrorCode} (gRPC status and the {@code AxonIQ-ErrorCode} trailer).
 *
 * <p><b>Generated code: the connector's.</b> The protocol classes ({@code
 * io.axoniq.axonserver.grpc.*}, services' {@code ImplBase}s) are the ones {@code
 * io.axoniq:axonserver-connector-java} ships, generated from {@code axon-server-api} 2025.2.0, and
 * grpc-java/protobuf come in the versions the connector is built with (grpc 1.76.0, protobuf
 * 4.33.1, {@code grpc-netty-shaded} inside the WAR). Why: the server then speaks byte for byte the
 * classes its clients use, no protoc binary has to be fetched for the build, and the versions of
 * grpc and protobuf match the client by construction. The cost: the connector's client classes
 * travel in the WAR unused.
 *
 * <p><b>Design.</b> {@link io.caucus.grpc.GrpcServer} owns the Netty server and every thread;
 * {@link io.caucus.grpc.AxonContext} reads the context header; each service is a small class
 * ({@link io.caucus.grpc.PlatformService}, {@link io.caucus.grpc.EventStoreService} with one {@link
 * io.caucus.grpc.EventTracker} per tracking stream); {@link io.caucus.grpc.GrpcEvents} maps events;
 * {@link io.caucus.grpc.NotServedRegistry} answers every other method (commands, queries,
 * scheduler, persistent streams, DCB, transformation, admin) {@code UNIMPLEMENTED} naming it.
 *
 * <p><b>Not done yet</b> (each class says what it lacks): {@code QueryEvents}; back-pressure for
 * one aggregate's events; blacklists; forwarding reads of a context this node does not store;
 * {@code request_reconnect} when this node leaves a context's serving members.
 */
package io.caucus.grpc;

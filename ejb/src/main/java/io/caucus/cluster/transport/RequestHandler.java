package io.caucus.cluster.transport;

import java.util.concurrent.CompletableFuture;

/**
 * Answers requests for one service. Called on a JGroups receive thread (see {@link Transport}): it
 * must not block; it hands the work to the thread that owns it and returns a future that completes,
 * on any thread, with the reply bytes. A future that fails, or an exception thrown here, is
 * reported to the caller as a {@link RemoteRequestException} carrying the exception's message.
 * Expected business errors (for example "not the leader") are better encoded in the reply bytes.
 */
@FunctionalInterface
public interface RequestHandler {

  CompletableFuture<byte[]> handle(String fromNode, byte[] payload);
}

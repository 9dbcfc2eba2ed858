/**
 * The one error-code enum every layer reports with ({@link io.caucus.error.ErrorCode}): Axon
 * Server's code where one exists, a {@code CAUCUS-} code where Axon has none, and the HTTP and gRPC
 * statuses the edges answer with. A leaf package: it depends on nothing but {@code java.*}, so the
 * inner layers (event store, cluster) may use it without depending on the outer {@code
 * io.caucus.api}.
 */
package io.caucus.error;

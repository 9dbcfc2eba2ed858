package io.caucus.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Reads the context a call is for from the {@code AxonIQ-Context} header (as Axon Server does,
 * {@code default} without one) and makes it available to the services through {@link #current()}.
 * Stateless, thread safe.
 */
final class AxonContext implements ServerInterceptor {

  static final Metadata.Key<String> HEADER =
      Metadata.Key.of("AxonIQ-Context", Metadata.ASCII_STRING_MARSHALLER);

  static final String DEFAULT = "default";

  private static final Context.Key<String> KEY = Context.key("caucus-axoniq-context");

  /** The context of the call being served on this thread. */
  static String current() {
    String context = KEY.get();
    return context == null ? DEFAULT : context;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String context = headers.get(HEADER);
    if (context == null || context.isBlank()) {
      context = DEFAULT;
    }
    return Contexts.interceptCall(Context.current().withValue(KEY, context), call, headers, next);
  }
}

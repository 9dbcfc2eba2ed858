package io.caucus.grpc;

import io.caucus.api.CaucusException;
import io.caucus.error.ErrorCode;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns failures into what Axon Server sends: a {@link StatusRuntimeException} with the gRPC status
 * of the {@link ErrorCode} ({@link ErrorCode#grpcStatus()}) and the code in the {@code
 * AxonIQ-ErrorCode} trailer, which Axon Framework and the connector match on (AXONIQ-2000 becomes
 * the concurrency exception). Stateless, thread safe.
 */
final class GrpcErrors {

  private static final Logger LOG = Logger.getLogger(GrpcErrors.class.getName());

  /** The trailer Axon Server puts its error code in. */
  static final Metadata.Key<String> ERROR_CODE =
      Metadata.Key.of("AxonIQ-ErrorCode", Metadata.ASCII_STRING_MARSHALLER);

  private GrpcErrors() {}

  static StatusRuntimeException of(ErrorCode code, String message) {
    Metadata trailers = new Metadata();
    trailers.put(ERROR_CODE, code.code());
    return Status.fromCode(Status.Code.valueOf(code.grpcStatus()))
        .withDescription(message)
        .asRuntimeException(trailers);
  }

  /** Any failure of a call: a {@link CaucusException} keeps its code, anything else is internal. */
  static StatusRuntimeException of(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      return s;
    }
    if (t instanceof CaucusException c) {
      return of(c.code(), c.getMessage());
    }
    LOG.log(Level.WARNING, "gRPC call failed unexpectedly", t);
    return of(ErrorCode.INTERNAL_ERROR, ErrorCode.INTERNAL_ERROR.message(String.valueOf(t)));
  }
}

package io.caucus.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.caucus.api.CaucusException;
import io.caucus.error.ErrorCode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

/** Every ErrorCode becomes the gRPC status it names, with its code in Axon's trailer. */
class GrpcErrorsTest {

  @Test
  void everyCodeMapsToItsGrpcStatusAndCarriesItsCodeInTheAxonTrailer() {
    for (ErrorCode code : ErrorCode.values()) {
      StatusRuntimeException e = GrpcErrors.of(new CaucusException(code, "what to do"));
      assertEquals(Status.Code.valueOf(code.grpcStatus()), e.getStatus().getCode(), code.name());
      assertEquals("what to do", e.getStatus().getDescription(), code.name());
      assertEquals(code.code(), e.getTrailers().get(GrpcErrors.ERROR_CODE), code.name());
    }
  }

  @Test
  void aSequenceConflictIsAxonsConcurrencyCode() {
    StatusRuntimeException e = GrpcErrors.of(ErrorCode.INVALID_SEQUENCE, "taken");
    assertEquals("AXONIQ-2000", e.getTrailers().get(GrpcErrors.ERROR_CODE));
    assertEquals(Status.Code.OUT_OF_RANGE, e.getStatus().getCode());
  }

  @Test
  void anUnexpectedFailureIsAnInternalErrorNotALeakedStackTrace() {
    StatusRuntimeException e = GrpcErrors.of(new IllegalStateException("boom"));
    assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
    assertEquals(ErrorCode.INTERNAL_ERROR.code(), e.getTrailers().get(GrpcErrors.ERROR_CODE));
  }
}

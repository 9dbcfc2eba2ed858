package io.caucus.error;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every code is unique, well formed and answered with an error status (REST and gRPC). */
class ErrorCodeTest {

  @Test
  void codesAreUniqueWellFormedAndCarryErrorStatuses() {
    Set<String> codes = new HashSet<>();
    for (ErrorCode e : ErrorCode.values()) {
      assertTrue(e.code().matches("(AXONIQ|CAUCUS)-\\d{4}"), e.code());
      assertTrue(codes.add(e.code()), "duplicate " + e.code());
      assertTrue(e.httpStatus() >= 400 && e.httpStatus() < 600, e + " " + e.httpStatus());
      assertTrue(!e.grpcStatus().equals("OK") && e.grpcStatus().matches("[A-Z_]+"), e.toString());
      assertTrue(e.template().endsWith("."), e + " template is not a sentence");
    }
  }
}

package io.caucus.web;

import io.caucus.error.ErrorCode;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Everything else as JSON {@code {code, message}}: the JAX-RS runtime's own client errors keep
 * their status ({@code UNKNOWN_PATH} for 404, {@code UNSUPPORTED_MEDIA_TYPE} for 415, {@code
 * INVALID_REQUEST} otherwise); anything unexpected is answered 500 with {@code INTERNAL_ERROR} and
 * its stack trace logged once.
 */
@Provider
public class FallbackExceptionMapper implements ExceptionMapper<Throwable> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(Throwable e) {
    if (e instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
      int status = w.getResponse().getStatus();
      String what = w.getMessage() == null ? "HTTP " + status : w.getMessage();
      ErrorCode code =
          switch (status) {
            case 404 -> {
              what = "/v1/" + uri.getPath(false);
              yield ErrorCode.UNKNOWN_PATH;
            }
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            default -> ErrorCode.INVALID_REQUEST;
          };
      return ErrorAnswers.response(status, code, code.message(what), null);
    }
    return ErrorAnswers.response(
        ErrorCode.INTERNAL_ERROR.httpStatus(),
        ErrorCode.INTERNAL_ERROR,
        ErrorCode.INTERNAL_ERROR.message(e.toString()),
        e);
  }
}

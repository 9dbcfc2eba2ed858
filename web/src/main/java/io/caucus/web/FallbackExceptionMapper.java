package io.caucus.web;

import io.caucus.error.ErrorCode;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything else as JSON {@code {code, message}}: the JAX-RS runtime's own client errors (unknown
 * path, wrong method or media type) keep their status with {@code INVALID_REQUEST}; anything
 * unexpected is logged and answered 500 with {@code INTERNAL_ERROR}.
 */
@Provider
public class FallbackExceptionMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(FallbackExceptionMapper.class.getName());

  @Override
  public Response toResponse(Throwable e) {
    if (e instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
      int status = w.getResponse().getStatus();
      return Response.status(status)
          .type(MediaType.APPLICATION_JSON_TYPE)
          .entity(
              new ErrorBody(
                  ErrorCode.INVALID_REQUEST.code(),
                  ErrorCode.INVALID_REQUEST.message(
                      w.getMessage() == null ? "HTTP " + status : w.getMessage())))
          .build();
    }
    LOG.log(Level.WARNING, "Unexpected failure answering a REST call: " + e, e);
    return Response.status(ErrorCode.INTERNAL_ERROR.httpStatus())
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(
            new ErrorBody(
                ErrorCode.INTERNAL_ERROR.code(), ErrorCode.INTERNAL_ERROR.message(e.toString())))
        .build();
  }
}

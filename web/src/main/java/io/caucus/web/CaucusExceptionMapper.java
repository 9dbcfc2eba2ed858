package io.caucus.web;

import io.caucus.api.CaucusException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Every {@link CaucusException} as its error code's HTTP status and {@code {code, message}}. */
@Provider
public class CaucusExceptionMapper implements ExceptionMapper<CaucusException> {

  @Override
  public Response toResponse(CaucusException e) {
    return Response.status(e.code().httpStatus())
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorBody(e.code().code(), e.getMessage()))
        .build();
  }
}

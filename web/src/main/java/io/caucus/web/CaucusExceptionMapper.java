package io.caucus.web;

import io.caucus.api.CaucusException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Every {@link CaucusException} as its error code's HTTP status and {@code {code, message}}; see
 * {@link ErrorAnswers} for what is logged.
 */
@Provider
public class CaucusExceptionMapper implements ExceptionMapper<CaucusException> {

  @Override
  public Response toResponse(CaucusException e) {
    return ErrorAnswers.response(e.code().httpStatus(), e.code(), e.getMessage(), e);
  }
}

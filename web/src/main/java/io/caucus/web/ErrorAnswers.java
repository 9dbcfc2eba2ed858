package io.caucus.web;

import io.caucus.error.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place that turns an error into an answer and a log line, for the exception mappers, the
 * request filter and the container's error page alike, so that every error has the same shape.
 *
 * <p>Client errors (4xx) log one INFO line with the code and no stack trace: a client sending bad
 * requests in a loop must not flood the log. Server errors (5xx) log the cause's stack trace once.
 * Stateless and thread-safe.
 */
final class ErrorAnswers {

  private static final Logger LOG = Logger.getLogger(ErrorAnswers.class.getName());

  /** Log lines quote at most this much of a message (they may echo a client's huge input). */
  private static final int MAX_LOGGED_MESSAGE = 300;

  private ErrorAnswers() {}

  /** A JAX-RS answer with {@code status} and {@code {code, message}}, logged as above. */
  static Response response(int status, ErrorCode code, String message, Throwable cause) {
    log(status, code, message, cause);
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorBody(code.code(), message))
        .build();
  }

  /** The same answer written straight to a servlet response (outside JAX-RS). */
  static void write(HttpServletResponse response, int status, ErrorCode code, String message)
      throws IOException {
    log(status, code, message, null);
    byte[] body =
        JsonFactories.object()
            .add("code", code.code())
            .add("message", message)
            .build()
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON);
    response.setCharacterEncoding("UTF-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static void log(int status, ErrorCode code, String message, Throwable cause) {
    String line = "HTTP " + status + " " + code.code() + ": " + shorten(message);
    if (status >= 500) {
      LOG.log(Level.WARNING, line, cause);
    } else {
      LOG.info(line);
    }
  }

  private static String shorten(String message) {
    return message.length() <= MAX_LOGGED_MESSAGE
        ? message
        : message.substring(0, MAX_LOGGED_MESSAGE) + "... (" + message.length() + " chars)";
  }
}

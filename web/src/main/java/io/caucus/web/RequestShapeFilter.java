package io.caucus.web;

import io.caucus.error.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Refuses, as JSON {@code {code, message}}, the requests the JAX-RS runtime or the container would
 * otherwise answer with an HTML page or a 500: a path outside {@code /v1} and {@code /health} (404
 * {@code UNKNOWN_PATH}), a path with traversal or encoded separators (400 {@code INVALID_REQUEST}),
 * a malformed {@code Content-Type} (400) and a charset this JVM does not know (415 {@code
 * UNSUPPORTED_MEDIA_TYPE}). Looks at the raw request line and headers only, never the body; changes
 * no state. Stateless and thread-safe.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class RequestShapeFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

  /** RFC 9110 media type: {@code type/subtype *( ; name=value )}, value a token or quoted. */
  private static final Pattern MEDIA_TYPE =
      Pattern.compile(
          TOKEN
              + "/"
              + TOKEN
              + "(\\s*;\\s*"
              + TOKEN
              + "=("
              + TOKEN
              + "|\"([^\"\\\\]|\\\\.)*\"))*\\s*;?\\s*");

  private static final Pattern CHARSET =
      Pattern.compile(";\\s*charset=\"?([^\";\\s]*)\"?", Pattern.CASE_INSENSITIVE);

  /** Path pieces that mean traversal or an encoded separator, checked on the raw, encoded URI. */
  private static final Pattern UNSAFE_PATH =
      Pattern.compile("(^|/)\\.\\.?(/|$)|%2e|%2f|%5c|%00|\\\\|//|;", Pattern.CASE_INSENSITIVE);

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String uri = req.getRequestURI();
    String path = uri.substring(Math.min(uri.length(), req.getContextPath().length()));
    // The container takes ";jsessionid=..." out of the URI before any filter sees it (measured
    // on Payara Micro, also with cookie-only session tracking); it still says where the id came
    // from. Caucus keeps no sessions, so such a path is refused like any other path parameter.
    if (UNSAFE_PATH.matcher(path).find() || req.isRequestedSessionIdFromURL()) {
      ErrorAnswers.write(
          res,
          400,
          ErrorCode.INVALID_REQUEST,
          ErrorCode.INVALID_REQUEST.message(
              "the path holds '.' or '..' segments, '//', ';', a backslash or an encoded"
                  + " separator; request a plain path under /v1"));
      return;
    }
    if (!under(path, "/v1") && !under(path, "/health")) {
      ErrorAnswers.write(res, 404, ErrorCode.UNKNOWN_PATH, ErrorCode.UNKNOWN_PATH.message(path));
      return;
    }
    String contentType = req.getHeader("Content-Type");
    if (contentType != null && !MEDIA_TYPE.matcher(contentType).matches()) {
      ErrorAnswers.write(
          res,
          400,
          ErrorCode.INVALID_REQUEST,
          ErrorCode.INVALID_REQUEST.message(
              "the Content-Type header is not a media type (type/subtype; name=value); send"
                  + " Content-Type: application/json"));
      return;
    }
    String charset = contentType == null ? null : charsetOf(contentType);
    if (charset != null && !supported(charset)) {
      ErrorAnswers.write(
          res,
          415,
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          ErrorCode.UNSUPPORTED_MEDIA_TYPE.message("charset '" + charset + "' is unknown"));
      return;
    }
    chain.doFilter(req, res);
  }

  /**
   * Whether {@code path} is {@code root} or below it. {@code /health} is Payara's MicroProfile
   * Health endpoint, which the container serves through this (root) application's filters.
   */
  private static boolean under(String path, String root) {
    return path.equals(root) || path.startsWith(root + "/");
  }

  private static String charsetOf(String contentType) {
    var m = CHARSET.matcher(contentType);
    return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
  }

  private static boolean supported(String charset) {
    try {
      return Charset.isSupported(charset);
    } catch (IllegalCharsetNameException e) {
      return false;
    }
  }
}

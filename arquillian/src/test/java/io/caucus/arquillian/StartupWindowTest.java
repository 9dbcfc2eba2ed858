package io.caucus.arquillian;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The start-up window of a real node (bin/caucus node 1, a Payara Micro process): polled from the
 * moment the process starts until it is ready, every HTTP answer it gives is JSON. Refused
 * connections are fine (the launcher keeps the HTTP listener closed until the WAR is deployed);
 * Payara Micro's own HTML pages, which it serves for the whole deployment otherwise, are not. The
 * event API never answers "context not found" in the window: until the node knows its structure it
 * answers 503 {@code CAUCUS-2110} (starting).
 *
 * <p>Raw sockets rather than an HTTP client: an answer without a Content-Type or with an empty body
 * must be seen as it is, not smoothed over.
 */
class StartupWindowTest {

  private static final NodeProcess.Layout LAYOUT =
      new NodeProcess.Layout(
          Path.of(System.getProperty("caucus.test.dir"), "startup-" + System.nanoTime()),
          TestPorts.port(84),
          TestPorts.port(184),
          TestPorts.port(284));

  /** Paths a client uses while a node starts: our REST API and the readiness probe. */
  private static final List<String> PATHS =
      List.of("/health/ready", "/v1/public/me", "/v1/events?trackingToken=0&timeout=0");

  private static final long TIMEOUT_MILLIS = 240_000;

  /** One raw HTTP answer: status line, Content-Type header ("" when absent), body head. */
  private record RawAnswer(String statusLine, String contentType, String body) {
    boolean isJson() {
      return contentType.toLowerCase(Locale.ROOT).startsWith("application/json")
          && body.strip().startsWith("{");
    }

    /** A successful event stream is not an error answer, so it need not be JSON. */
    boolean isEventStream() {
      return statusLine.contains(" 200 ") && contentType.startsWith("text/event-stream");
    }
  }

  @Test
  void everyAnswerFromProcessStartUntilReadyIsJson() throws Exception {
    try (NodeProcess node = new NodeProcess(LAYOUT, 1)) {
      node.start();
      long started = System.currentTimeMillis();
      int port = LAYOUT.httpPort(1);
      int refused = 0;
      int starting = 0;
      List<String> answers = new ArrayList<>();
      boolean ready = false;
      while (!ready) {
        long elapsed = System.currentTimeMillis() - started;
        if (elapsed > TIMEOUT_MILLIS || !node.isAlive()) {
          fail(
              "not ready after "
                  + elapsed
                  + " ms (alive: "
                  + node.isAlive()
                  + "); answers: "
                  + answers
                  + "\n"
                  + BadConfigurationTest.tail(node.outputText()));
        }
        for (String path : PATHS) {
          RawAnswer a = get(port, path);
          if (a == null) {
            refused++;
            continue;
          }
          answers.add(elapsed + " ms " + path + ": " + a.statusLine());
          if (!a.isJson() && !(path.startsWith("/v1/events") && a.isEventStream())) {
            fail(elapsed + " ms after start, GET " + path + " answered a non-JSON " + a);
          }
          // Issue 8 §3: before it knows its structure the node is starting; "context default not
          // found" (404 AXONIQ-1302) would send a client away from a context that is about to be
          // there.
          if (path.startsWith("/v1/events") && !a.isEventStream()) {
            if (a.body().contains("AXONIQ-1302") || a.statusLine().contains(" 404 ")) {
              fail(elapsed + " ms after start, GET " + path + " answered " + a);
            }
            if (a.statusLine().contains(" 503 ") && a.body().contains("CAUCUS-2110")) {
              starting++;
            }
          }
          if (path.equals("/health/ready")
              && a.statusLine().contains(" 200 ")
              && a.body().contains("\"caucus\"")) {
            ready = true;
          }
        }
        Thread.sleep(50);
      }
      // The window was really observed: the node refused connections while it deployed, so the
      // polling began before the listener opened (otherwise this test would prove nothing).
      assertTrue(refused > 0, "no connection was refused; answers: " + answers);
      // How many "starting" answers the window gave depends on timing (it may be none when the
      // first node creates its context before the listener opens); reported, not asserted.
      System.out.println("StartupWindowTest: " + starting + " answers 503 CAUCUS-2110 (starting)");
    }
  }

  /** GET over a raw socket; null when the connection is refused. */
  private static RawAnswer get(int port, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      s.setSoTimeout(30_000);
      String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buffer = new byte[4096];
      int n;
      // A ready node streams /v1/events; the head of the answer is all that is judged.
      while (bytes.size() < 4096 && (n = in.read(buffer)) > 0) {
        bytes.write(buffer, 0, n);
        if (headComplete(bytes.toString(StandardCharsets.ISO_8859_1))) {
          break;
        }
      }
      return parse(bytes.toString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      return null;
    }
  }

  /** Headers read, and either the body's first character or a streaming content type seen. */
  private static boolean headComplete(String text) {
    int end = text.indexOf("\r\n\r\n");
    return end >= 0 && (text.length() > end + 4 || text.contains("text/event-stream"));
  }

  private static RawAnswer parse(String text) {
    int end = text.indexOf("\r\n\r\n");
    String head = end < 0 ? text : text.substring(0, end);
    String body = end < 0 ? "" : text.substring(end + 4);
    if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")
        && body.contains("\r\n")) {
      body = body.substring(body.indexOf("\r\n") + 2); // the first chunk's size line
    }
    String[] lines = head.split("\r\n");
    String contentType = "";
    for (String line : lines) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
        contentType = line.substring("content-type:".length()).trim();
      }
    }
    String shortBody = body.length() > 300 ? body.substring(0, 300) + "..." : body;
    return new RawAnswer(lines[0], contentType, shortBody);
  }
}

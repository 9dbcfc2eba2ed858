package io.caucus.arquillian;

import jakarta.json.Json;
import jakarta.json.JsonStructure;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client for the tests: plain requests, JSON parsed with JSON-P. */
public final class Http {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Http() {}

  /** A response: status and body. */
  public record Answer(int status, String body) {
    public JsonStructure json() {
      try (var reader = Json.createReader(new StringReader(body))) {
        return reader.read();
      }
    }
  }

  public static Answer get(String url) throws IOException, InterruptedException {
    return get(url, Map.of());
  }

  public static Answer get(String url, Map<String, String> headers)
      throws IOException, InterruptedException {
    return get(url, headers, Duration.ofSeconds(30));
  }

  /** A GET that gives up after {@code timeout} with an {@link IOException}. */
  public static Answer get(String url, Map<String, String> headers, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
    headers.forEach(b::header);
    HttpResponse<String> r = CLIENT.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  public static Answer post(String url, String json) throws IOException, InterruptedException {
    return post(url, json, Map.of());
  }

  public static Answer post(String url, String json, Map<String, String> headers)
      throws IOException, InterruptedException {
    return post(url, json, headers, Duration.ofSeconds(30));
  }

  /**
   * A POST that gives up after {@code timeout} (an {@link IOException}: the outcome is unknown).
   */
  public static Answer post(String url, String json, Map<String, String> headers, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Content-Type", "application/json");
    headers.forEach(b::header);
    HttpResponse<String> r =
        CLIENT.send(
            b.POST(HttpRequest.BodyPublishers.ofString(json)).build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  public static Answer delete(String url) throws IOException, InterruptedException {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).DELETE().build();
    HttpResponse<String> a = CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
    return new Answer(a.statusCode(), a.body());
  }

  /** The body, or the exception's text when the server does not answer (yet). */
  public static Answer tryGet(String url) {
    try {
      return get(url);
    } catch (IOException e) {
      return new Answer(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, e.toString());
    }
  }
}

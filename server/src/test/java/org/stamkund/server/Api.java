package org.stamkund.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A raw HTTP client for tests that are about the wire: status codes, bodies, headers. */
public final class Api {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private final String base;
  private final @Nullable String key;

  public Api(String base, @Nullable String key) {
    this.base = base;
    this.key = key;
  }

  /** The same server with another key (null for none). */
  public Api withKey(@Nullable String otherKey) {
    return new Api(base, otherKey);
  }

  /** A response: status, headers, raw body and the body as JSON (null node when not JSON). */
  public record Response(int status, Map<String, java.util.List<String>> headers, String text) {

    public JsonNode json() {
      if (text.isBlank()) {
        return JSON.missingNode();
      }
      return JSON.readTree(text);
    }

    public String errorCode() {
      return json().path("errorCode").asString();
    }

    @Override
    public String toString() {
      return status + " " + text;
    }
  }

  public Response get(String path) {
    return send("GET", path, null, Map.of());
  }

  public Response delete(String path) {
    return send("DELETE", path, null, Map.of());
  }

  public Response post(String path, @Nullable Object body) {
    return send("POST", path, body, Map.of());
  }

  public Response post(String path, @Nullable Object body, Map<String, String> headers) {
    return send("POST", path, body, headers);
  }

  public Response put(String path, @Nullable Object body) {
    return send("PUT", path, body, Map.of());
  }

  public Response patch(String path, @Nullable Object body) {
    return send("PATCH", path, body, Map.of());
  }

  /**
   * Sends a request. A String body is sent as it is (for malformed JSON); anything else is
   * serialised to JSON. Content-Type is application/json unless the headers say otherwise (an empty
   * value sends none).
   */
  public Response send(
      String method, String path, @Nullable Object body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (key != null) {
      request.header("apikey", key);
    }
    boolean typeGiven = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
    headers.forEach(
        (name, value) -> {
          if (!value.isEmpty()) {
            request.header(name, value);
          }
        });
    if (body != null && !typeGiven) {
      request.header("Content-Type", "application/json");
    }
    String text =
        body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
    request.method(
        method,
        text == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(text));
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A unique e-mail address for one test's data. */
  public static String uniqueEmail() {
    return "t-" + UUID.randomUUID().toString().substring(0, 12) + "@example.se";
  }

  public static JsonNode parse(String json) {
    return JSON.readTree(json);
  }
}

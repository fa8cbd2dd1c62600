package org.stamkund.connector;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One Engage v2 call, complete enough to be stored in the outbox and sent again later.
 *
 * @param operation a name for messages and metrics, free of personal data ({@code receipts.create})
 * @param method the HTTP method
 * @param path the encoded path, starting with {@code /api/}
 * @param query query parameters, not yet encoded, in order
 * @param headers extra headers (for example {@code source} and {@code storeExternalId})
 * @param body the JSON body, or null
 */
public record ApiRequest(
    String operation,
    String method,
    String path,
    Map<String, String> query,
    Map<String, String> headers,
    @Nullable String body) {

  /** Validates and copies. */
  public ApiRequest {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + operation);
    }
    query = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(query));
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** A GET of {@code path}. */
  public static ApiRequest get(String operation, String path) {
    return new ApiRequest(operation, "GET", path, Map.of(), Map.of(), null);
  }

  /** A POST of {@code body} (null: no body) to {@code path}. */
  public static ApiRequest post(String operation, String path, @Nullable JsonNode body) {
    return new ApiRequest(
        operation, "POST", path, Map.of(), Map.of(), body == null ? null : Json.write(body));
  }

  /** A DELETE of {@code path}. */
  public static ApiRequest delete(String operation, String path) {
    return new ApiRequest(operation, "DELETE", path, Map.of(), Map.of(), null);
  }

  /** This request with one more query parameter; a null value leaves it out. */
  public ApiRequest query(String name, @Nullable Object value) {
    if (value == null) {
      return this;
    }
    Map<String, String> q = new LinkedHashMap<>(query);
    q.put(name, value.toString());
    return new ApiRequest(operation, method, path, q, headers, body);
  }

  /** This request with one more header; a null value leaves it out. */
  public ApiRequest header(String name, @Nullable String value) {
    if (value == null) {
      return this;
    }
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new ApiRequest(operation, method, path, query, h, body);
  }

  /** The path and encoded query string. */
  public String target() {
    if (query.isEmpty()) {
      return path;
    }
    StringBuilder b = new StringBuilder(path);
    char sep = '?';
    for (Map.Entry<String, String> e : query.entrySet()) {
      b.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    return b.toString();
  }

  /** Percent-encodes one path segment or query value ({@code +} becomes {@code %2B}). */
  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

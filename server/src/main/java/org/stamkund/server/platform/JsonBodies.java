package org.stamkund.server.platform;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** Turns JSON request bodies into the plain values the engine takes. */
public final class JsonBodies {

  private JsonBodies() {}

  /**
   * The object at the top of a body.
   *
   * @throws ApiException 400 {@code NoData} for a missing or empty body, {@code InvalidJson} for a
   *     body that is not an object
   */
  public static JsonNode object(@Nullable JsonNode body) {
    if (body == null || body.isMissingNode() || body.isNull()) {
      throw ApiException.badField("NoData", "body", "the request needs a JSON object");
    }
    if (!body.isObject()) {
      throw ApiException.badField("InvalidJson", "body", "expected a JSON object");
    }
    return body;
  }

  /**
   * The fields of an object as plain values: strings, {@link BigDecimal}, {@link Boolean}, {@code
   * null}; nested arrays as {@link List} and objects as {@link Map}, so the rules can name them as
   * wrong types.
   */
  public static Map<String, @Nullable Object> fields(JsonNode object) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      out.put(e.getKey(), plain(e.getValue()));
    }
    return out;
  }

  /** One JSON value as a plain value (see {@link #fields}). */
  public static @Nullable Object plain(JsonNode node) {
    if (node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isString()) {
      return node.stringValue();
    }
    if (node.isNumber()) {
      // Exact: the mapper reads every float as a BigDecimal
      // (spring.jackson…use-big-decimal-for-floats).
      return node.decimalValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isArray()) {
      List<@Nullable Object> list = new ArrayList<>();
      node.forEach(item -> list.add(plain(item)));
      return list;
    }
    return fields(node);
  }

  /**
   * No {@code Accept} header, or one that takes plain JSON, to which the controller answers {@code
   * application/json}. Media types with parameters other than a weight (a charset, say) are left to
   * the controller's content negotiation.
   */
  public static boolean acceptsJson(@Nullable String accept) {
    if (accept == null || accept.isBlank() || accept.equals(MediaType.APPLICATION_JSON_VALUE)) {
      return true;
    }
    try {
      List<MediaType> types = MediaType.parseMediaTypes(accept);
      return types.stream()
              .allMatch(type -> type.getParameters().keySet().stream().allMatch("q"::equals))
          && types.stream()
              .anyMatch(
                  type -> type.includes(MediaType.APPLICATION_JSON) && type.getQualityValue() > 0);
    } catch (RuntimeException e) {
      return false;
    }
  }
}

package org.stamkund.server.platform;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
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
}

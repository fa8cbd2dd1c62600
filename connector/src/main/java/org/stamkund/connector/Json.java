package org.stamkund.connector;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/** The connector's one JSON mapper and a few tree helpers. */
public final class Json {

  static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private Json() {}

  /** A new empty object. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** A new empty array. */
  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** Parses {@code text}; blank text is the missing node. */
  public static JsonNode parse(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return MissingNode.getInstance();
    }
    return MAPPER.readTree(text);
  }

  /** Writes {@code node} compactly. */
  public static String write(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }

  /** The text of {@code node.field}, or null when absent, null or not a scalar. */
  public static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || value.isMissingNode() || value.isContainer()) {
      return null;
    }
    return value.asString();
  }

  /** The decimal of {@code node.field}, or null. */
  public static @Nullable BigDecimal decimal(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    if (value.isNumber()) {
      return value.decimalValue();
    }
    try {
      return new BigDecimal(value.asString().strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

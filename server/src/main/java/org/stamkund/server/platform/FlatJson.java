package org.stamkund.server.platform;

import java.math.BigDecimal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON text of a flat map, one of names to text, whole numbers, decimals, truth values and
 * nulls, written as Jackson writes it. Events' bodies are such maps, thousands of them in a bulk
 * import, and for a map of four entries Jackson's set-up of each call cost more than the writing
 * (docs/performance.md).
 */
public final class FlatJson {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private FlatJson() {}

  /** The map as a JSON object; null when a value is anything else, which Jackson then writes. */
  public static @Nullable String text(Map<String, ? extends @Nullable Object> map) {
    StringBuilder out = new StringBuilder(16 + map.size() * 40);
    return append(out, map) ? out.toString() : null;
  }

  /**
   * Appends the map as a JSON object to {@code out}; false when a value is anything else, and then
   * what was appended is incomplete.
   */
  public static boolean append(StringBuilder out, Map<String, ? extends @Nullable Object> map) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, ? extends @Nullable Object> entry : map.entrySet()) {
      Object value = entry.getValue();
      if (entry.getKey() == null) {
        return false;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, entry.getKey()).append(':');
      if (value == null) {
        out.append("null");
      } else if (value instanceof String text) {
        string(out, text);
      } else if (value instanceof Long
          || value instanceof Integer
          || value instanceof Short
          || value instanceof Boolean) {
        out.append(value);
      } else if (value instanceof BigDecimal decimal) {
        // Without an exponent (an amount such as 50.00), Jackson writes it alike whether or not it
        // is told to write decimals plain.
        String text = decimal.toString();
        if (text.indexOf('E') >= 0) {
          return false;
        }
        out.append(text);
      } else {
        return false;
      }
    }
    out.append('}');
    return true;
  }

  /** A JSON string: quotes, backslashes and control characters escaped, nothing else. */
  private static StringBuilder string(StringBuilder out, String text) {
    out.append('"');
    int plain = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      out.append(text, plain, i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
      plain = i + 1;
    }
    return out.append(text, plain, text.length()).append('"');
  }
}

package org.stamkund.server.contacts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;
import org.stamkund.server.platform.JsonBodies;
import org.stamkund.server.platform.WireTime;
import tools.jackson.databind.JsonNode;

/**
 * The parts of a flat Engage contact payload: attributes, {@code contactType}, {@code preferences}
 * and {@code consents}. Absent parts are null; an explicit null preference means false.
 */
record ContactPayload(
    Map<String, @Nullable Object> attributes,
    @Nullable String contactType,
    Map<String, Boolean> preferences,
    List<ConsentInput> consents) {

  /** A consent as sent; {@code date} defaults to now. */
  record ConsentInput(
      String id,
      boolean value,
      java.time.@Nullable Instant date,
      @Nullable String source,
      @Nullable String comment) {}

  static final List<String> PREFERENCES = List.of("acceptsEmail", "acceptsSms", "acceptsPostal");

  /**
   * @throws InvalidInputException for a malformed contactType, preferences or consents part
   */
  static ContactPayload parse(@Nullable JsonNode body, java.time.ZoneId zone) {
    JsonNode object = JsonBodies.object(body);
    List<Violation> violations = new ArrayList<>();
    Map<String, @Nullable Object> attributes = JsonBodies.fields(object);
    String contactType = null;
    Map<String, Boolean> preferences = new LinkedHashMap<>();
    List<ConsentInput> consents = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      String name = e.getKey();
      JsonNode value = e.getValue();
      // Compared without lower-casing each name: a bulk import reads thousands of them.
      if (name.equalsIgnoreCase("contactType")) {
        if (value.isString() && !value.stringValue().isBlank()) {
          contactType = value.stringValue().strip();
        } else if (!value.isNull()) {
          violations.add(
              new Violation("contactType", "InvalidContactType", "must be a contact type name"));
        }
      } else if (name.equalsIgnoreCase("preferences")) {
        parsePreferences(value, preferences, violations);
      } else if (name.equalsIgnoreCase("consents")) {
        parseConsents(value, consents, violations, zone);
      }
    }
    if (!violations.isEmpty()) {
      throw new InvalidInputException(violations);
    }
    return new ContactPayload(attributes, contactType, preferences, consents);
  }

  private static void parsePreferences(
      JsonNode value, Map<String, Boolean> out, List<Violation> violations) {
    if (value.isNull()) {
      return;
    }
    if (!value.isObject()) {
      violations.add(
          new Violation("preferences", "InvalidAttributeType", "must be an object of booleans"));
      return;
    }
    for (Map.Entry<String, JsonNode> p : value.properties()) {
      String canonical =
          PREFERENCES.stream().filter(n -> n.equalsIgnoreCase(p.getKey())).findFirst().orElse(null);
      if (canonical == null) {
        continue;
      }
      JsonNode v = p.getValue();
      if (v.isBoolean()) {
        out.put(canonical, v.booleanValue());
      } else if (v.isNull() || (v.isString() && v.stringValue().isBlank())) {
        out.put(canonical, false);
      } else if (v.isString()
          && (v.stringValue().equalsIgnoreCase("true")
              || v.stringValue().equalsIgnoreCase("false"))) {
        out.put(canonical, Boolean.parseBoolean(v.stringValue()));
      } else {
        violations.add(
            new Violation(
                "preferences." + canonical, "InvalidAttributeType", "must be true or false"));
      }
    }
  }

  private static void parseConsents(
      JsonNode value, List<ConsentInput> out, List<Violation> violations, java.time.ZoneId zone) {
    if (value.isNull()) {
      return;
    }
    if (!value.isArray()) {
      violations.add(new Violation("consents", "InvalidAttributeType", "must be an array"));
      return;
    }
    for (int i = 0; i < value.size(); i++) {
      JsonNode c = value.get(i);
      String field = "consents[" + i + "]";
      if (!c.isObject()) {
        violations.add(new Violation(field, "InvalidAttributeType", "must be an object"));
        continue;
      }
      JsonNode id = field(c, "id");
      JsonNode v = field(c, "value");
      if (!id.isString() || id.stringValue().isBlank()) {
        violations.add(new Violation(field + ".id", "ConsentIdMissing", "a consent needs its id"));
        continue;
      }
      Boolean bool =
          v.isBoolean()
              ? Boolean.valueOf(v.booleanValue())
              : v.isString()
                      && (v.stringValue().equalsIgnoreCase("true")
                          || v.stringValue().equalsIgnoreCase("false"))
                  ? Boolean.valueOf(Boolean.parseBoolean(v.stringValue()))
                  : null;
      if (bool == null) {
        violations.add(
            new Violation(
                field + ".value",
                "InvalidConsentValue",
                "must be true or false; a consent once set cannot be unset"));
        continue;
      }
      java.time.Instant date = null;
      JsonNode d = field(c, "date");
      if (d.isString() && !d.stringValue().isBlank()) {
        date = WireTime.parse(d.stringValue(), zone).orElse(null);
        if (date == null) {
          violations.add(new Violation(field + ".date", "InvalidDate", "not an ISO-8601 date"));
          continue;
        }
      }
      if (hasControl(id) || hasControl(field(c, "source")) || hasControl(field(c, "comment"))) {
        violations.add(new Violation(field, "InvalidCharacters", "contains control characters"));
        continue;
      }
      out.add(
          new ConsentInput(
              id.stringValue().strip(),
              bool,
              date,
              textOrNull(field(c, "source")),
              textOrNull(field(c, "comment"))));
    }
  }

  /** A property by name in any case, as Engage's ASP.NET binder reads them. */
  static JsonNode field(JsonNode object, String name) {
    JsonNode exact = object.path(name);
    if (!exact.isMissingNode()) {
      return exact;
    }
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return exact;
  }

  private static boolean hasControl(JsonNode node) {
    return node.isString()
        && node.stringValue()
            .chars()
            .anyMatch(ch -> ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r');
  }

  private static @Nullable String textOrNull(JsonNode node) {
    return node.isString() && !node.stringValue().isBlank() ? node.stringValue() : null;
  }
}

package org.stamkund.server.promotions;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;
import org.stamkund.engine.promotions.AssignedValidity;
import org.stamkund.engine.promotions.PromotionRules;
import org.stamkund.engine.promotions.RedemptionChannel;
import org.stamkund.engine.promotions.Validity;
import org.stamkund.server.platform.JsonBodies;
import org.stamkund.server.platform.WireTime;
import tools.jackson.databind.JsonNode;

/**
 * Reads a promotion definition ({@code MultichannelBasePromotionModel}) or its validity from a
 * request body, field by field. On a replace an absent field keeps its value and an explicit null
 * clears it; every problem found is reported at once (422), naming its field.
 */
final class PromotionPayload {

  static final int MAX_NAME = 500;
  static final int MAX_TEXT = 4000;

  private final List<Violation> violations = new ArrayList<>();
  private final ZoneId zone;

  private PromotionPayload(ZoneId zone) {
    this.zone = zone;
  }

  /**
   * The content of a definition.
   *
   * @param current the stored definition a replace starts from; null for a create
   * @param now the start date of a new definition that names no validity
   * @throws InvalidInputException naming every bad field
   */
  static PromotionDefinition.Content parse(
      @Nullable JsonNode body,
      PromotionDefinition.@Nullable Content current,
      ZoneId zone,
      String defaultCurrency,
      Instant now) {
    JsonNode object = JsonBodies.object(body);
    PromotionPayload p = new PromotionPayload(zone);
    String externalId =
        object.has("externalId")
            ? p.text(object, "externalId", "externalId", false, 200)
            : current == null ? null : current.externalId();
    String name =
        object.has("name") || current == null
            ? p.text(object, "name", "name", true, MAX_NAME)
            : current.name();
    Validity validity;
    if (object.has("validity")) {
      validity = p.validity(object.get("validity"), "validity");
    } else {
      validity = current == null ? new Validity(now, null, null) : current.validity();
    }
    PromotionDefinition.Presentation presentation;
    if (object.has("presentation")) {
      presentation = p.presentation(object.get("presentation"));
    } else {
      presentation =
          current == null
              ? new PromotionDefinition.Presentation(null, null, null)
              : current.presentation();
    }
    List<PromotionDefinition.Channel> channels;
    if (object.has("redemptionChannels")) {
      channels = p.channels(object.get("redemptionChannels"), defaultCurrency);
    } else {
      channels = current == null ? List.of() : current.channels();
    }
    if (!p.violations.isEmpty() || name == null || validity == null) {
      p.fail("body", "InvalidValue", "incomplete promotion");
    }
    return new PromotionDefinition.Content(
        externalId,
        java.util.Objects.requireNonNull(name),
        java.util.Objects.requireNonNull(validity),
        presentation,
        channels);
  }

  /**
   * A {@code PromotionValidityModel} body.
   *
   * @throws InvalidInputException naming every bad field
   */
  static Validity parseValidity(@Nullable JsonNode body, ZoneId zone) {
    JsonNode object = JsonBodies.object(body);
    PromotionPayload p = new PromotionPayload(zone);
    Validity validity = p.validity(object, "");
    if (!p.violations.isEmpty() || validity == null) {
      p.fail("body", "InvalidValue", "incomplete validity");
    }
    return java.util.Objects.requireNonNull(validity);
  }

  private void fail(String field, String code, String message) {
    if (violations.isEmpty()) {
      violations.add(new Violation(field, code, message));
    }
    throw new InvalidInputException(violations);
  }

  private @Nullable Validity validity(JsonNode node, String prefix) {
    String at = prefix.isEmpty() ? "" : prefix + ".";
    if (!node.isObject()) {
      violations.add(
          new Violation(
              prefix.isEmpty() ? "body" : prefix,
              node.isNull() ? "MissingField" : "InvalidFieldType",
              "{startDate, endDate, assignedValidity} is required"));
      return null;
    }
    Instant start = date(node, "startDate", at + "startDate", true);
    Instant end = date(node, "endDate", at + "endDate", false);
    AssignedValidity assigned = null;
    JsonNode range = node.path("assignedValidity");
    if (!range.isMissingNode() && !range.isNull()) {
      if (!range.isObject()) {
        violations.add(
            new Violation(
                at + "assignedValidity",
                "InvalidFieldType",
                "{unit: Days|Months, amount} expected"));
      } else {
        String rawUnit = text(range, "unit", at + "assignedValidity.unit", true, 20);
        AssignedValidity.Unit unit = AssignedValidity.Unit.parse(rawUnit).orElse(null);
        if (rawUnit != null && unit == null) {
          violations.add(
              new Violation(at + "assignedValidity.unit", "InvalidUnit", "Days or Months"));
        }
        Integer amount = wholeNumber(range, "amount", at + "assignedValidity.amount");
        if (unit != null && amount != null) {
          assigned = new AssignedValidity(unit, amount);
        }
      }
    }
    if (start != null && end != null && !end.isAfter(start)) {
      violations.add(
          new Violation(at + "endDate", "InvalidEndDate", "the end date must be after the start"));
      return null;
    }
    return start == null ? null : new Validity(start, end, assigned);
  }

  private PromotionDefinition.Presentation presentation(JsonNode node) {
    if (node.isNull()) {
      return new PromotionDefinition.Presentation(null, null, null);
    }
    if (!node.isObject()) {
      violations.add(
          new Violation(
              "presentation", "InvalidFieldType", "{heading, description, link} expected"));
      return new PromotionDefinition.Presentation(null, null, null);
    }
    return new PromotionDefinition.Presentation(
        text(node, "heading", "presentation.heading", false, MAX_TEXT),
        text(node, "description", "presentation.description", false, MAX_TEXT),
        text(node, "link", "presentation.link", false, MAX_TEXT));
  }

  private List<PromotionDefinition.Channel> channels(JsonNode node, String defaultCurrency) {
    if (node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      violations.add(new Violation("redemptionChannels", "InvalidFieldType", "must be an array"));
      return List.of();
    }
    List<PromotionDefinition.Channel> channels = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode c = node.get(i);
      String field = "redemptionChannels[" + i + "]";
      if (!c.isObject()) {
        violations.add(new Violation(field, "InvalidFieldType", "must be an object"));
        continue;
      }
      RedemptionChannel rule =
          PromotionRules.channel(
              field,
              text(c, "type", field + ".type", false, 20),
              text(c, "valueType", field + ".valueType", false, 20),
              text(c, "value", field + ".value", false, PromotionRules.MAX_TEXT + 1),
              text(c, "currency", field + ".currency", false, 10),
              text(c, "instruction", field + ".instruction", false, PromotionRules.MAX_TEXT + 1),
              defaultCurrency,
              violations);
      List<PromotionDefinition.LocalValue> locals = localValues(c.path("localValues"), field);
      if (rule != null) {
        channels.add(new PromotionDefinition.Channel(rule, locals));
      }
    }
    PromotionRules.distinctChannels(
        channels.stream().map(PromotionDefinition.Channel::rule).toList(), violations);
    return channels;
  }

  private List<PromotionDefinition.LocalValue> localValues(JsonNode node, String channelField) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    String field = channelField + ".localValues";
    if (!node.isArray()) {
      violations.add(new Violation(field, "InvalidFieldType", "must be an array"));
      return List.of();
    }
    List<PromotionDefinition.LocalValue> values = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode v = node.get(i);
      String at = field + "[" + i + "]";
      if (!v.isObject()) {
        violations.add(new Violation(at, "InvalidFieldType", "{currency, amount} expected"));
        continue;
      }
      String currency = text(v, "currency", at + ".currency", true, 10);
      if (currency != null && !currency.matches("^[A-Za-z]{3}$")) {
        violations.add(
            new Violation(at + ".currency", "InvalidCurrency", "an ISO 4217 code such as EUR"));
        currency = null;
      }
      BigDecimal amount = decimal(v, "amount", at + ".amount");
      if (currency != null && amount != null) {
        values.add(new PromotionDefinition.LocalValue(currency.toUpperCase(Locale.ROOT), amount));
      }
    }
    return values;
  }

  private @Nullable String text(
      JsonNode node, String name, String field, boolean required, int max) {
    JsonNode value = node.path(name);
    if (value.isMissingNode() || value.isNull()) {
      if (required) {
        violations.add(new Violation(field, "MissingField", "is required"));
      }
      return null;
    }
    if (!value.isString() && !value.isNumber()) {
      violations.add(new Violation(field, "InvalidFieldType", "must be a string"));
      return null;
    }
    String text = value.isString() ? value.stringValue() : value.decimalValue().toPlainString();
    if (text.isBlank()) {
      if (required) {
        violations.add(new Violation(field, "MissingField", "is required"));
      }
      return null;
    }
    if (text.length() > max) {
      violations.add(new Violation(field, "InvalidValue", "at most " + max + " characters"));
      return null;
    }
    return text.strip();
  }

  private @Nullable Instant date(JsonNode node, String name, String field, boolean required) {
    String text = text(node, name, field, required, 60);
    if (text == null) {
      return null;
    }
    Instant instant = WireTime.parse(text, zone).orElse(null);
    if (instant == null) {
      violations.add(
          new Violation(field, "InvalidDate", "ISO-8601, e.g. 2026-11-22T15:55:54+01:00"));
    }
    return instant;
  }

  private @Nullable BigDecimal decimal(JsonNode node, String name, String field) {
    JsonNode value = node.path(name);
    if (value.isMissingNode() || value.isNull()) {
      violations.add(new Violation(field, "MissingField", "is required"));
      return null;
    }
    try {
      BigDecimal number =
          value.isNumber() ? value.decimalValue() : new BigDecimal(value.asString().strip());
      if (number.signum() < 0 || number.abs().compareTo(new BigDecimal("1e15")) >= 0) {
        violations.add(new Violation(field, "InvalidValue", "an amount of 0 or more"));
        return null;
      }
      return number;
    } catch (NumberFormatException e) {
      violations.add(new Violation(field, "InvalidFieldType", "must be a number"));
      return null;
    }
  }

  private @Nullable Integer wholeNumber(JsonNode node, String name, String field) {
    BigDecimal number = decimal(node, name, field);
    if (number == null) {
      return null;
    }
    if (number.stripTrailingZeros().scale() > 0
        || number.compareTo(BigDecimal.ONE) < 0
        || number.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      violations.add(new Violation(field, "InvalidAmount", "a whole number of 1 or more"));
      return null;
    }
    return number.intValueExact();
  }
}

package org.stamkund.server.loyalty;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;
import org.stamkund.engine.receipts.LineType;
import org.stamkund.engine.receipts.ReceiptLine;
import org.stamkund.server.contacts.ContactKeys;
import org.stamkund.server.platform.JsonBodies;
import org.stamkund.server.platform.WireTime;
import tools.jackson.databind.JsonNode;

/**
 * A receipt as {@code POST /api/v2/receipts} sends it (reference §3.2), checked field by field.
 * Numbers may arrive as strings ({@code "25.00"}); enum values in any case.
 */
record ReceiptPayload(
    String matchKeyType,
    String matchKey,
    @Nullable String contactType,
    String uniqueReceiptId,
    String receiptNumber,
    Instant createdDate,
    String storeExternalId,
    String currency,
    @Nullable BigDecimal exchangeRateToGroupCurrency,
    BigDecimal totalGrossPrice,
    List<ReceiptLine> lines,
    List<String> usedBonusChecks,
    List<String> usedPromotions) {

  static final int MAX_LINES = 1000;

  /**
   * @throws InvalidInputException (422) naming every bad field, e.g. {@code items[2].quantity}
   */
  static ReceiptPayload parse(@Nullable JsonNode body, ZoneId zone) {
    JsonNode r = JsonBodies.object(body);
    Fields f = new Fields();
    JsonNode contact = r.path("contact");
    String keyType = null;
    String key = null;
    String contactType = null;
    if (!contact.isObject()) {
      f.v.add(
          new Violation("contact", "MissingField", "contact {matchKey, matchKeyType} is required"));
    } else {
      key = f.text(contact, "matchKey", "contact.matchKey", true);
      String rawType = f.text(contact, "matchKeyType", "contact.matchKeyType", true);
      if (rawType != null) {
        keyType = ContactKeys.canonicalType(rawType).orElse(null);
        if (keyType == null) {
          f.v.add(
              new Violation(
                  "contact.matchKeyType",
                  "InvalidMatchKeyType",
                  "one of " + String.join(", ", ContactKeys.TYPES)));
        }
      }
      contactType = f.text(contact, "contactType", "contact.contactType", false);
    }
    String uniqueReceiptId = f.text(r, "uniqueReceiptId", "uniqueReceiptId", true);
    String receiptNumber = f.text(r, "receiptNumber", "receiptNumber", true);
    Instant createdDate = null;
    String created = f.text(r, "createdDate", "createdDate", true);
    if (created != null) {
      createdDate = WireTime.parse(created, zone).orElse(null);
      if (createdDate == null) {
        f.v.add(
            new Violation(
                "createdDate", "InvalidDate", "ISO-8601, e.g. 2026-11-22T15:55:54+01:00"));
      }
    }
    String store = f.text(r, "storeExternalId", "storeExternalId", true);
    String currency = f.text(r, "currency", "currency", true);
    if (currency != null && !currency.matches("^[A-Za-z]{3}$")) {
      f.v.add(new Violation("currency", "InvalidCurrency", "an ISO 4217 code such as SEK"));
    }
    BigDecimal rate =
        f.number(r, "exchangeRateToGroupCurrency", "exchangeRateToGroupCurrency", false);
    if (rate != null && rate.signum() < 0) {
      f.v.add(new Violation("exchangeRateToGroupCurrency", "InvalidValue", "must be 0 or more"));
    }
    BigDecimal total = f.number(r, "totalGrossPrice", "totalGrossPrice", true);
    JsonNode payments = r.path("paymentMethods");
    if (!payments.isMissingNode() && !payments.isNull() && !payments.isArray()) {
      f.v.add(new Violation("paymentMethods", "InvalidFieldType", "must be an array"));
    } else if (!payments.isArray()) {
      f.v.add(
          new Violation("paymentMethods", "MissingField", "an array of {type, value} is required"));
    } else {
      for (int i = 0; i < payments.size(); i++) {
        JsonNode p = payments.get(i);
        String field = "paymentMethods[" + i + "]";
        if (!p.isObject()) {
          f.v.add(new Violation(field, "InvalidFieldType", "must be an object"));
          continue;
        }
        f.text(p, "type", field + ".type", true);
        f.number(p, "value", field + ".value", true);
      }
    }
    List<ReceiptLine> lines = new ArrayList<>();
    JsonNode items = r.path("items");
    if (!items.isMissingNode() && !items.isNull() && !items.isArray()) {
      f.v.add(new Violation("items", "InvalidFieldType", "must be an array of items"));
    } else if (!items.isArray() || items.isEmpty()) {
      f.v.add(new Violation("items", "MissingField", "at least one item is required"));
    } else if (items.size() > MAX_LINES) {
      f.v.add(new Violation("items", "TooManyItems", "at most " + MAX_LINES + " items"));
    } else {
      for (int i = 0; i < items.size(); i++) {
        ReceiptLine line = line(items.get(i), i, f);
        if (line != null) {
          lines.add(line);
        }
      }
    }
    List<String> checks = new ArrayList<>();
    JsonNode used = r.path("usedBonusChecks");
    if (!used.isMissingNode() && !used.isNull()) {
      if (!used.isArray()) {
        f.v.add(new Violation("usedBonusChecks", "InvalidFieldType", "must be an array"));
      } else {
        for (int i = 0; i < used.size(); i++) {
          String check =
              f.text(used.get(i), "checkNumber", "usedBonusChecks[" + i + "].checkNumber", true);
          if (check != null) {
            checks.add(check);
          }
        }
      }
    }
    // usedPromotions[{promotionId, couponId}]: the coupon (an assigned instance) when given, else
    // the promotion; one of them is required.
    List<String> promotions = new ArrayList<>();
    JsonNode usedPromotions = r.path("usedPromotions");
    if (!usedPromotions.isMissingNode() && !usedPromotions.isNull()) {
      if (!usedPromotions.isArray()) {
        f.v.add(new Violation("usedPromotions", "InvalidFieldType", "must be an array"));
      } else {
        for (int i = 0; i < usedPromotions.size(); i++) {
          String field = "usedPromotions[" + i + "]";
          String coupon = f.text(usedPromotions.get(i), "couponId", field + ".couponId", false);
          String promotion =
              f.text(usedPromotions.get(i), "promotionId", field + ".promotionId", false);
          if (coupon != null) {
            promotions.add(coupon);
          } else if (promotion != null) {
            promotions.add(promotion);
          } else {
            f.v.add(new Violation(field + ".promotionId", "MissingField", "is required"));
          }
        }
      }
    }
    if (!f.v.isEmpty()
        || keyType == null
        || key == null
        || uniqueReceiptId == null
        || receiptNumber == null
        || createdDate == null
        || store == null
        || currency == null
        || total == null) {
      if (f.v.isEmpty()) {
        f.v.add(new Violation("body", "InvalidValue", "incomplete receipt"));
      }
      throw new InvalidInputException(f.v);
    }
    return new ReceiptPayload(
        keyType,
        key,
        contactType,
        uniqueReceiptId,
        receiptNumber,
        createdDate,
        store,
        currency.toUpperCase(Locale.ROOT),
        rate == null || rate.signum() == 0 ? null : rate,
        total,
        lines,
        checks,
        promotions);
  }

  private static @Nullable ReceiptLine line(JsonNode item, int i, Fields f) {
    String field = "items[" + i + "]";
    if (!item.isObject()) {
      f.v.add(new Violation(field, "InvalidFieldType", "must be an object"));
      return null;
    }
    int before = f.v.size();
    String rawType = f.text(item, "type", field + ".type", true);
    LineType type = null;
    if (rawType != null) {
      for (LineType t : LineType.values()) {
        if (t.name().equalsIgnoreCase(rawType)) {
          type = t;
        }
      }
      if (type == null) {
        f.v.add(
            new Violation(field + ".type", "InvalidItemType", "PURCHASE, RETURN or ADJUSTMENT"));
      }
    }
    String sku = f.text(item, "sku", field + ".sku", true);
    BigDecimal quantity = f.number(item, "quantity", field + ".quantity", true);
    BigDecimal price = f.number(item, "grossPaidPrice", field + ".grossPaidPrice", true);
    f.number(item, "taxAmount", field + ".taxAmount", true);
    f.number(item, "taxPercent", field + ".taxPercent", true);
    f.text(item, "articleNumber", field + ".articleNumber", true);
    f.text(item, "articleName", field + ".articleName", true);
    f.number(item, "packQuantity", field + ".packQuantity", false);
    f.number(item, "marginPercent", field + ".marginPercent", false);
    JsonNode awards = item.path("awardsBonus");
    boolean awardsBonus = true;
    if (!awards.isMissingNode() && !awards.isNull()) {
      if (awards.isBoolean()) {
        awardsBonus = awards.booleanValue();
      } else if (awards.isString()
          && (awards.stringValue().equalsIgnoreCase("true")
              || awards.stringValue().equalsIgnoreCase("false"))) {
        awardsBonus = Boolean.parseBoolean(awards.stringValue());
      } else {
        f.v.add(new Violation(field + ".awardsBonus", "InvalidFieldType", "true or false"));
      }
    }
    if (quantity != null && type != null) {
      if (type == LineType.RETURN && quantity.signum() >= 0) {
        f.v.add(
            new Violation(
                field + ".quantity", "InvalidQuantity", "a RETURN has a negative quantity"));
      } else if (type == LineType.PURCHASE && quantity.signum() <= 0) {
        f.v.add(
            new Violation(
                field + ".quantity", "InvalidQuantity", "a PURCHASE has a positive quantity"));
      }
    }
    if (price != null && price.signum() < 0 && type == LineType.PURCHASE) {
      f.v.add(new Violation(field + ".grossPaidPrice", "InvalidValue", "must be 0 or more"));
    }
    if (f.v.size() > before || type == null || sku == null || quantity == null || price == null) {
      return null;
    }
    return new ReceiptLine(i, type, sku, quantity, price.abs(), awardsBonus);
  }

  /**
   * Whether a number has at most {@code integerDigits} before and {@code fractionDigits} after the
   * point; in long arithmetic, as exponents near the int limits overflow an int.
   */
  static boolean fits(BigDecimal number, int integerDigits, int fractionDigits) {
    BigDecimal n = number.stripTrailingZeros();
    return (long) n.precision() - n.scale() <= integerDigits && n.scale() <= fractionDigits;
  }

  /** Collects violations while reading fields. */
  private static final class Fields {
    final List<Violation> v = new ArrayList<>();

    @Nullable String text(JsonNode node, String name, String field, boolean required) {
      JsonNode value = node.path(name);
      if (value.isMissingNode()
          || value.isNull()
          || (value.isString() && value.stringValue().isBlank())) {
        if (required) {
          v.add(new Violation(field, "MissingField", "is required"));
        }
        return null;
      }
      if (value.isNumber()) {
        BigDecimal number = value.decimalValue();
        if (!fits(number, 40, 10)) {
          v.add(new Violation(field, "InvalidValue", "not a usable value"));
          return null;
        }
        return number.toPlainString();
      }
      if (!value.isString()) {
        v.add(new Violation(field, "InvalidFieldType", "must be text"));
        return null;
      }
      String text = value.stringValue().strip();
      if (text.length() > 500 || hasControlCharacters(text)) {
        v.add(new Violation(field, "InvalidValue", "at most 500 printable characters"));
        return null;
      }
      return text;
    }

    private static boolean hasControlCharacters(String text) {
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) < 0x20) {
          return true;
        }
      }
      return false;
    }

    @Nullable BigDecimal number(JsonNode node, String name, String field, boolean required) {
      JsonNode value = node.path(name);
      if (value.isMissingNode() || value.isNull()) {
        if (required) {
          v.add(new Violation(field, "MissingField", "is required"));
        }
        return null;
      }
      BigDecimal number = null;
      if (value.isNumber()) {
        number = value.decimalValue();
      } else if (value.isString()) {
        try {
          number = new BigDecimal(value.stringValue().strip());
        } catch (NumberFormatException e) {
          number = null;
        }
      }
      if (number == null) {
        v.add(new Violation(field, "InvalidFieldType", "must be a number"));
        return null;
      }
      if (!fits(number, 15, 6)) {
        v.add(new Violation(field, "InvalidValue", "out of range"));
        return null;
      }
      return number;
    }
  }
}

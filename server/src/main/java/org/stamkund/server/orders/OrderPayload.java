package org.stamkund.server.orders;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;
import org.stamkund.server.contacts.ContactKeys;
import org.stamkund.server.platform.JsonBodies;
import org.stamkund.server.platform.WireTime;
import tools.jackson.databind.JsonNode;

/**
 * An order as {@code POST /api/v2/orders} sends it (reference §3.6), checked field by field: the
 * required fields, the configured statuses, and that the items, fees and payments add up to the
 * total.
 *
 * @param matchKeyType canonical ({@code email}, {@code memberNumber}, …, or {@code cardId})
 * @param orderStatus the configured order status, snake case
 * @param order the order's known fields as plain JSON values, for the event
 */
record OrderPayload(
    String matchKeyType,
    String matchKey,
    String orderStatus,
    String paymentStatus,
    Map<String, Object> order) {

  static final int MAX_ITEMS = 1000;

  /** Rounding each line may leave a cent per total. */
  static final BigDecimal TOLERANCE = new BigDecimal("0.01");

  private static final List<String> FIELDS =
      List.of(
          "orderNumber",
          "orderStatus",
          "paymentStatus",
          "language",
          "createdDate",
          "shippingDate",
          "statusChangedDate",
          "storeId",
          "currency",
          "exchangeRateToGroupCurrency",
          "extraData",
          "totalGrossPrice",
          "totalTax",
          "taxDetails",
          "paymentMethods",
          "items",
          "freightFee",
          "handlingFee",
          "totalRoundOff",
          "totalDiscounts",
          "totalOriginalPrice",
          "totalItemsPrice",
          "totalNetPrice",
          "anyReturnItems");

  /**
   * @throws InvalidInputException (422) naming every bad field, e.g. {@code items[2].sku}
   */
  static OrderPayload parse(@Nullable JsonNode body, OrderStatuses statuses, ZoneId zone) {
    JsonNode o = JsonBodies.object(body);
    Fields f = new Fields();
    String keyType = null;
    String key = null;
    JsonNode contact = o.path("contact");
    if (!contact.isObject()) {
      f.add("contact", "MissingField", "contact {matchKey, matchKeyType} is required");
    } else {
      key = f.text(contact, "matchKey", "contact.matchKey", true);
      String rawType = f.text(contact, "matchKeyType", "contact.matchKeyType", true);
      if (rawType != null) {
        keyType = matchKeyType(rawType);
        if (keyType == null) {
          f.add(
              "contact.matchKeyType",
              "InvalidMatchKeyType",
              "one of ContactId, Email, MobilePhone, MemberNumber, ExternalId,"
                  + " SocialSecurityNumber, CardId, MemberNumberWithCardNumberAsFallback");
        }
      }
    }
    f.text(o, "orderNumber", "orderNumber", true);
    String orderStatus = null;
    String rawStatus = f.text(o, "orderStatus", "orderStatus", true);
    if (rawStatus != null) {
      orderStatus = statuses.orderStatus(rawStatus).orElse(null);
      if (orderStatus == null) {
        f.add("orderStatus", "InvalidOrderStatus", "not a configured order status");
      }
    }
    String paymentStatus = null;
    String rawPayment = f.text(o, "paymentStatus", "paymentStatus", true);
    if (rawPayment != null) {
      paymentStatus = statuses.paymentStatus(rawPayment).orElse(null);
      if (paymentStatus == null) {
        f.add("paymentStatus", "InvalidPaymentStatus", "not a configured payment status");
      }
    }
    f.date(o, "createdDate", true, zone);
    f.date(o, "shippingDate", false, zone);
    f.date(o, "statusChangedDate", false, zone);
    f.text(o, "storeId", "storeId", true);
    f.text(o, "language", "language", false);
    String currency = f.text(o, "currency", "currency", true);
    if (currency != null && !currency.matches("^[A-Za-z]{3}$")) {
      f.add("currency", "InvalidCurrency", "an ISO 4217 code such as SEK");
    }
    BigDecimal rate =
        f.number(o, "exchangeRateToGroupCurrency", "exchangeRateToGroupCurrency", false);
    if (rate != null && rate.signum() < 0) {
      f.add("exchangeRateToGroupCurrency", "InvalidValue", "must be 0 or more");
    }
    BigDecimal total = f.number(o, "totalGrossPrice", "totalGrossPrice", true);
    for (String name :
        List.of(
            "totalTax",
            "totalDiscounts",
            "totalOriginalPrice",
            "totalItemsPrice",
            "totalNetPrice")) {
      f.number(o, name, name, false);
    }
    BigDecimal sum = BigDecimal.ZERO;
    boolean itemsComplete = true;
    JsonNode items = o.path("items");
    if (!items.isMissingNode() && !items.isNull() && !items.isArray()) {
      f.add("items", "InvalidFieldType", "must be an array of items");
      itemsComplete = false;
    } else if (!items.isArray() || items.isEmpty()) {
      f.add("items", "MissingField", "at least one item is required");
      itemsComplete = false;
    } else if (items.size() > MAX_ITEMS) {
      f.add("items", "TooManyItems", "at most " + MAX_ITEMS + " items");
      itemsComplete = false;
    } else {
      for (int i = 0; i < items.size(); i++) {
        BigDecimal line = item(items.get(i), "items[" + i + "]", f);
        if (line == null) {
          itemsComplete = false;
        } else {
          sum = sum.add(line);
        }
      }
    }
    for (String fee : List.of("freightFee", "handlingFee", "totalRoundOff")) {
      JsonNode node = o.path(fee);
      if (node.isMissingNode() || node.isNull()) {
        continue;
      }
      if (!node.isObject()) {
        f.add(fee, "InvalidFieldType", "must be an object {value, tax, taxPercent}");
        itemsComplete = false;
        continue;
      }
      BigDecimal value = f.number(node, "value", fee + ".value", true);
      f.number(node, "tax", fee + ".tax", false);
      f.number(node, "taxPercent", fee + ".taxPercent", false);
      if (value == null) {
        itemsComplete = false;
      } else {
        sum = sum.add(value);
      }
    }
    if (total != null && itemsComplete && sum.subtract(total).abs().compareTo(TOLERANCE) > 0) {
      f.add(
          "totalGrossPrice",
          "TotalsDoNotAddUp",
          "the items, fees and round-off add up to " + sum.toPlainString());
    }
    JsonNode payments = o.path("paymentMethods");
    if (!payments.isMissingNode() && !payments.isNull()) {
      if (!payments.isArray()) {
        f.add("paymentMethods", "InvalidFieldType", "must be an array");
      } else {
        BigDecimal paid = BigDecimal.ZERO;
        boolean complete = true;
        for (int i = 0; i < payments.size(); i++) {
          JsonNode p = payments.get(i);
          String field = "paymentMethods[" + i + "]";
          if (!p.isObject()) {
            f.add(field, "InvalidFieldType", "must be an object");
            complete = false;
            continue;
          }
          f.text(p, "type", field + ".type", true);
          BigDecimal value = f.number(p, "value", field + ".value", true);
          if (value == null) {
            complete = false;
          } else {
            paid = paid.add(value);
          }
        }
        if (total != null
            && complete
            && !payments.isEmpty()
            && paid.subtract(total).abs().compareTo(TOLERANCE) > 0) {
          f.add(
              "paymentMethods",
              "PaymentsDoNotAddUp",
              "the payments add up to " + paid.toPlainString() + ", not totalGrossPrice");
        }
      }
    }
    JsonNode extra = o.path("extraData");
    if (!extra.isMissingNode() && !extra.isNull() && !extra.isObject()) {
      f.add("extraData", "InvalidFieldType", "must be an object");
    }
    if (!f.violations.isEmpty()
        || keyType == null
        || key == null
        || orderStatus == null
        || paymentStatus == null) {
      if (f.violations.isEmpty()) {
        f.add("body", "InvalidValue", "incomplete order");
      }
      throw new InvalidInputException(f.violations);
    }
    Map<String, Object> order = new LinkedHashMap<>();
    for (String name : FIELDS) {
      JsonNode value = o.path(name);
      Object plain = JsonBodies.plain(value);
      if (plain != null) {
        order.put(name, plain);
      }
    }
    if (currency != null) {
      order.put("currency", currency.toUpperCase(Locale.ROOT));
    }
    return new OrderPayload(keyType, key, orderStatus, paymentStatus, order);
  }

  /** The canonical match-key type; {@code cardId} is accepted but names no contact here. */
  static @Nullable String matchKeyType(String raw) {
    String lower = raw.strip().toLowerCase(Locale.ROOT);
    if (lower.equals("cardid")) {
      return "cardId";
    }
    if (lower.equals("membernumberwithcardnumberasfallback")) {
      return "memberNumber";
    }
    return ContactKeys.canonicalType(raw).orElse(null);
  }

  /** The line's signed amount (a RETURN counts negative), or null when the line is invalid. */
  private static @Nullable BigDecimal item(JsonNode item, String field, Fields f) {
    if (!item.isObject()) {
      f.add(field, "InvalidFieldType", "must be an object");
      return null;
    }
    int before = f.violations.size();
    String type = f.text(item, "type", field + ".type", true);
    boolean isReturn = false;
    if (type != null) {
      isReturn = type.equalsIgnoreCase("RETURN");
      if (!isReturn && !type.equalsIgnoreCase("PURCHASE")) {
        f.add(field + ".type", "InvalidItemType", "PURCHASE or RETURN");
      }
    }
    f.text(item, "sku", field + ".sku", true);
    f.text(item, "description", field + ".description", true);
    BigDecimal quantity = f.number(item, "quantity", field + ".quantity", true);
    BigDecimal price = f.number(item, "grossPaidPrice", field + ".grossPaidPrice", true);
    for (String name :
        List.of(
            "grossPaidPricePerUnit",
            "taxAmount",
            "taxPercent",
            "totalDiscount",
            "originalPrice",
            "originalPricePerUnit")) {
      f.number(item, name, field + "." + name, false);
    }
    if (quantity != null && quantity.signum() == 0) {
      f.add(field + ".quantity", "InvalidQuantity", "must not be 0");
    }
    JsonNode discounts = item.path("discounts");
    if (!discounts.isMissingNode() && !discounts.isNull()) {
      if (!discounts.isArray()) {
        f.add(field + ".discounts", "InvalidFieldType", "must be an array");
      } else {
        for (int j = 0; j < discounts.size(); j++) {
          String d = field + ".discounts[" + j + "]";
          JsonNode discount = discounts.get(j);
          if (!discount.isObject()) {
            f.add(d, "InvalidFieldType", "must be an object");
            continue;
          }
          BigDecimal value = f.number(discount, "value", d + ".value", true);
          if (value != null && value.signum() > 0) {
            f.add(d + ".value", "InvalidValue", "a discount is 0 or negative");
          }
        }
      }
    }
    if (f.violations.size() > before || price == null) {
      return null;
    }
    return isReturn ? price.abs().negate() : price;
  }

  /** Collects violations while reading fields. */
  private static final class Fields {
    final List<Violation> violations = new ArrayList<>();

    void add(String field, String code, String message) {
      violations.add(new Violation(field, code, message));
    }

    @Nullable String text(JsonNode node, String name, String field, boolean required) {
      JsonNode value = node.path(name);
      if (value.isMissingNode()
          || value.isNull()
          || (value.isString() && value.stringValue().isBlank())) {
        if (required) {
          add(field, "MissingField", "is required");
        }
        return null;
      }
      if (value.isNumber() && value.decimalValue().precision() <= 40) {
        return value.decimalValue().toPlainString();
      }
      if (!value.isString()) {
        add(field, "InvalidFieldType", "must be text");
        return null;
      }
      String text = value.stringValue().strip();
      if (text.length() > 500 || text.chars().anyMatch(c -> c < 0x20)) {
        add(field, "InvalidValue", "at most 500 printable characters");
        return null;
      }
      return text;
    }

    @Nullable BigDecimal number(JsonNode node, String name, String field, boolean required) {
      JsonNode value = node.path(name);
      if (value.isMissingNode() || value.isNull()) {
        if (required) {
          add(field, "MissingField", "is required");
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
        add(field, "InvalidFieldType", "must be a number");
        return null;
      }
      BigDecimal n = number.stripTrailingZeros();
      if ((long) n.precision() - n.scale() > 15 || n.scale() > 6) {
        add(field, "InvalidValue", "out of range");
        return null;
      }
      return number;
    }

    void date(JsonNode node, String name, boolean required, ZoneId zone) {
      String raw = text(node, name, name, required);
      if (raw != null && WireTime.parse(raw, zone).isEmpty()) {
        add(name, "InvalidDate", "ISO-8601, e.g. 2026-11-22T15:55:54+01:00");
      }
    }
  }
}

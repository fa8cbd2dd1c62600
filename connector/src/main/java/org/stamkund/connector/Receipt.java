package org.stamkund.connector;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A finished purchase or return for {@code POST /api/v2/receipts} (Engage §3.2). Immutable; the
 * {@code uniqueReceiptId} makes sending it twice harmless.
 *
 * @param uniqueReceiptId the dedupe key; never changes when the receipt is buffered and replayed
 * @param receiptNumber the printed number
 * @param createdDate when the purchase happened
 * @param storeExternalId the store's external id
 * @param currency ISO 4217
 * @param totalGrossPrice incl. VAT; negative for a return
 * @param contact whom the receipt belongs to, or null while the connector has not decided
 * @param items the lines
 * @param paymentMethods how it was paid
 * @param usedBonusChecks check numbers of reward vouchers used
 * @param usedPromotions promotions used
 */
public record Receipt(
    String uniqueReceiptId,
    String receiptNumber,
    OffsetDateTime createdDate,
    String storeExternalId,
    String currency,
    BigDecimal totalGrossPrice,
    @Nullable ReceiptContact contact,
    List<Item> items,
    List<Payment> paymentMethods,
    List<String> usedBonusChecks,
    List<UsedPromotion> usedPromotions) {

  /** Validates and copies. */
  public Receipt {
    requireText(uniqueReceiptId, "uniqueReceiptId");
    requireText(receiptNumber, "receiptNumber");
    Objects.requireNonNull(createdDate, "createdDate");
    requireText(storeExternalId, "storeExternalId");
    requireText(currency, "currency");
    Objects.requireNonNull(totalGrossPrice, "totalGrossPrice");
    items = List.copyOf(items);
    paymentMethods = List.copyOf(paymentMethods);
    usedBonusChecks = List.copyOf(usedBonusChecks);
    usedPromotions = List.copyOf(usedPromotions);
  }

  /**
   * Who the receipt belongs to.
   *
   * @param matchKey the key's value
   * @param matchKeyType which key
   * @param contactType the contact type, null for the default (Member)
   */
  public record ReceiptContact(
      String matchKey, MatchKeyType matchKeyType, @Nullable String contactType) {
    /** Validates. */
    public ReceiptContact {
      requireText(matchKey, "matchKey");
      Objects.requireNonNull(matchKeyType, "matchKeyType");
    }
  }

  /**
   * A line.
   *
   * @param type PURCHASE, RETURN or ADJUSTMENT
   * @param sku the sku
   * @param articleNumber the article number
   * @param articleName the article name
   * @param quantity negative on a return
   * @param grossPaidPrice what was paid for the line incl. VAT (positive on a return too)
   * @param taxAmount the VAT in it
   * @param taxPercent the VAT rate
   * @param awardsBonus false when the line earns no points; null for the engine's default
   */
  public record Item(
      String type,
      String sku,
      String articleNumber,
      String articleName,
      BigDecimal quantity,
      BigDecimal grossPaidPrice,
      BigDecimal taxAmount,
      BigDecimal taxPercent,
      @Nullable Boolean awardsBonus) {

    /** Validates. */
    public Item {
      requireText(type, "type");
      requireText(sku, "sku");
      Objects.requireNonNull(articleNumber, "articleNumber");
      Objects.requireNonNull(articleName, "articleName");
      Objects.requireNonNull(quantity, "quantity");
      Objects.requireNonNull(grossPaidPrice, "grossPaidPrice");
      Objects.requireNonNull(taxAmount, "taxAmount");
      Objects.requireNonNull(taxPercent, "taxPercent");
    }

    /** A PURCHASE line of {@code quantity} units for {@code grossPaidPrice} with 25 % VAT. */
    public static Item purchase(String sku, int quantity, BigDecimal grossPaidPrice) {
      return new Item(
          "PURCHASE",
          sku,
          sku,
          sku,
          BigDecimal.valueOf(quantity),
          grossPaidPrice,
          vat(grossPaidPrice),
          new BigDecimal("25"),
          null);
    }

    /** A RETURN line of {@code quantity} units refunded {@code grossPaidPrice}, 25 % VAT. */
    public static Item returned(String sku, int quantity, BigDecimal grossPaidPrice) {
      return new Item(
          "RETURN",
          sku,
          sku,
          sku,
          BigDecimal.valueOf(-Math.abs(quantity)),
          grossPaidPrice.abs(),
          vat(grossPaidPrice.abs()),
          new BigDecimal("25"),
          null);
    }

    private static BigDecimal vat(BigDecimal gross) {
      return gross.multiply(new BigDecimal("0.2")).setScale(2, java.math.RoundingMode.HALF_UP);
    }
  }

  /**
   * A payment.
   *
   * @param type card, cash, swish, bonuscheck, …
   * @param value the amount (negative on a return)
   */
  public record Payment(String type, BigDecimal value) {
    /** Validates. */
    public Payment {
      requireText(type, "type");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * A promotion used on the receipt.
   *
   * @param promotionId the promotion's id or external id
   * @param couponId the contact's instance id, or null
   */
  public record UsedPromotion(String promotionId, @Nullable String couponId) {
    /** Validates. */
    public UsedPromotion {
      requireText(promotionId, "promotionId");
    }
  }

  /** A simple purchase: the lines' total, paid by card. */
  public static Receipt purchase(
      String uniqueReceiptId, String storeExternalId, String currency, List<Item> items) {
    BigDecimal total = total(items);
    return new Receipt(
        uniqueReceiptId,
        uniqueReceiptId,
        OffsetDateTime.now(java.time.ZoneId.systemDefault()),
        storeExternalId,
        currency,
        total,
        null,
        items,
        List.of(new Payment("card", total)),
        List.of(),
        List.of());
  }

  /** The signed total of lines: purchases add, returns subtract. */
  public static BigDecimal total(List<Item> items) {
    BigDecimal total = BigDecimal.ZERO;
    for (Item i : items) {
      total =
          "RETURN".equalsIgnoreCase(i.type())
              ? total.subtract(i.grossPaidPrice().abs())
              : total.add(i.grossPaidPrice());
    }
    return total;
  }

  /** This receipt, belonging to {@code contact}. */
  public Receipt withContact(@Nullable ReceiptContact contact) {
    return new Receipt(
        uniqueReceiptId,
        receiptNumber,
        createdDate,
        storeExternalId,
        currency,
        totalGrossPrice,
        contact,
        items,
        paymentMethods,
        usedBonusChecks,
        usedPromotions);
  }

  /** This receipt with other lines (and their total). */
  public Receipt withItems(List<Item> newItems) {
    return new Receipt(
        uniqueReceiptId,
        receiptNumber,
        createdDate,
        storeExternalId,
        currency,
        total(newItems),
        contact,
        newItems,
        paymentMethods,
        usedBonusChecks,
        usedPromotions);
  }

  /** This receipt after using reward vouchers and promotions. */
  public Receipt withUsed(List<String> bonusChecks, List<UsedPromotion> promotions) {
    return new Receipt(
        uniqueReceiptId,
        receiptNumber,
        createdDate,
        storeExternalId,
        currency,
        totalGrossPrice,
        contact,
        items,
        paymentMethods,
        bonusChecks,
        promotions);
  }

  /** The wire JSON. */
  public ObjectNode toJson() {
    ObjectNode r = Json.object();
    if (contact != null) {
      ObjectNode c = r.putObject("contact");
      c.put("matchKey", contact.matchKey());
      c.put("matchKeyType", contact.matchKeyType().wire());
      if (contact.contactType() != null) {
        c.put("contactType", contact.contactType());
      }
    }
    r.put("uniqueReceiptId", uniqueReceiptId);
    r.put("receiptNumber", receiptNumber);
    r.put("createdDate", createdDate.toString());
    r.put("storeExternalId", storeExternalId);
    r.put("currency", currency);
    r.put("totalGrossPrice", totalGrossPrice);
    ArrayNode pays = r.putArray("paymentMethods");
    for (Payment p : paymentMethods) {
      ObjectNode n = pays.addObject();
      n.put("type", p.type());
      n.put("value", p.value());
    }
    ArrayNode lines = r.putArray("items");
    for (Item i : items) {
      ObjectNode n = lines.addObject();
      n.put("type", i.type());
      n.put("sku", i.sku());
      n.put("articleNumber", i.articleNumber());
      n.put("articleName", i.articleName());
      n.put("quantity", i.quantity());
      n.put("grossPaidPrice", i.grossPaidPrice());
      n.put("taxAmount", i.taxAmount());
      n.put("taxPercent", i.taxPercent());
      if (i.awardsBonus() != null) {
        n.put("awardsBonus", i.awardsBonus().booleanValue());
      }
    }
    if (!usedBonusChecks.isEmpty()) {
      ArrayNode used = r.putArray("usedBonusChecks");
      usedBonusChecks.forEach(c -> used.addObject().put("checkNumber", c));
    }
    if (!usedPromotions.isEmpty()) {
      ArrayNode used = r.putArray("usedPromotions");
      for (UsedPromotion p : usedPromotions) {
        ObjectNode n = used.addObject().put("promotionId", p.promotionId());
        if (p.couponId() != null) {
          n.put("couponId", p.couponId());
        }
      }
    }
    return r;
  }

  /** Reads the wire JSON back (the outbox stores receipts as JSON). */
  public static Receipt fromJson(JsonNode r) {
    ReceiptContact contact = null;
    JsonNode c = r.get("contact");
    if (c != null && c.isObject()) {
      contact =
          new ReceiptContact(
              Objects.requireNonNull(Json.text(c, "matchKey"), "matchKey"),
              MatchKeyType.ofWire(Objects.requireNonNull(Json.text(c, "matchKeyType"))),
              Json.text(c, "contactType"));
    }
    List<Item> items = new ArrayList<>();
    for (JsonNode n : r.path("items")) {
      JsonNode bonus = n.get("awardsBonus");
      items.add(
          new Item(
              req(n, "type"),
              req(n, "sku"),
              req(n, "articleNumber"),
              req(n, "articleName"),
              dec(n, "quantity"),
              dec(n, "grossPaidPrice"),
              dec(n, "taxAmount"),
              dec(n, "taxPercent"),
              (bonus == null || bonus.isNull()) ? null : bonus.asBoolean()));
    }
    List<Payment> pays = new ArrayList<>();
    for (JsonNode n : r.path("paymentMethods")) {
      pays.add(new Payment(req(n, "type"), dec(n, "value")));
    }
    List<String> checks = new ArrayList<>();
    for (JsonNode n : r.path("usedBonusChecks")) {
      checks.add(req(n, "checkNumber"));
    }
    List<UsedPromotion> promos = new ArrayList<>();
    for (JsonNode n : r.path("usedPromotions")) {
      promos.add(new UsedPromotion(req(n, "promotionId"), Json.text(n, "couponId")));
    }
    return new Receipt(
        req(r, "uniqueReceiptId"),
        req(r, "receiptNumber"),
        OffsetDateTime.parse(req(r, "createdDate")),
        req(r, "storeExternalId"),
        req(r, "currency"),
        dec(r, "totalGrossPrice"),
        contact,
        items,
        pays,
        checks,
        promos);
  }

  private static String req(JsonNode n, String field) {
    String v = Json.text(n, field);
    if (v == null) {
      throw new IllegalArgumentException("missing " + field);
    }
    return v;
  }

  private static BigDecimal dec(JsonNode n, String field) {
    BigDecimal v = Json.decimal(n, field);
    if (v == null) {
      throw new IllegalArgumentException("missing " + field);
    }
    return v;
  }

  private static void requireText(@Nullable String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
  }
}

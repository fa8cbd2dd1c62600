package org.stamkund.connector.oms;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An order as the OMS holds it, enough for receipts and order-status messages.
 *
 * @param orderNumber the order number
 * @param marketId the market, or null
 * @param storeId the OMS store id
 * @param storeExternalIds the store's external ids (store mapping)
 * @param currency ISO 4217
 * @param createdDate when the order was placed
 * @param lines the order lines
 * @param payments payment type to amount
 * @param usedBonusChecks check numbers of reward vouchers captured on the order
 * @param usedPromotionCoupons promotion instance ids redeemed on the order
 */
public record OmsOrder(
    String orderNumber,
    @Nullable String marketId,
    String storeId,
    List<ExternalId> storeExternalIds,
    String currency,
    OffsetDateTime createdDate,
    List<Line> lines,
    Map<String, BigDecimal> payments,
    List<String> usedBonusChecks,
    List<String> usedPromotionCoupons) {

  /** The custom property that keeps a line out of receipts (seed 001). */
  public static final String EXCLUDE_PROPERTY = "ExcludeFromVoyadoReceipts";

  /** Validates and copies. */
  public OmsOrder {
    Objects.requireNonNull(orderNumber, "orderNumber");
    Objects.requireNonNull(storeId, "storeId");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(createdDate, "createdDate");
    storeExternalIds = List.copyOf(storeExternalIds);
    lines = List.copyOf(lines);
    payments = Map.copyOf(payments);
    usedBonusChecks = List.copyOf(usedBonusChecks);
    usedPromotionCoupons = List.copyOf(usedPromotionCoupons);
  }

  /**
   * An order line.
   *
   * @param lineId the OMS line id
   * @param sku the sku
   * @param name the article name
   * @param quantity units
   * @param grossPaidPrice paid for the line, incl. VAT
   * @param taxPercent VAT rate
   * @param properties custom properties enriched from the product
   */
  public record Line(
      String lineId,
      String sku,
      String name,
      int quantity,
      BigDecimal grossPaidPrice,
      BigDecimal taxPercent,
      Map<String, String> properties) {

    /** Validates and copies. */
    public Line {
      Objects.requireNonNull(lineId, "lineId");
      Objects.requireNonNull(sku, "sku");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(grossPaidPrice, "grossPaidPrice");
      Objects.requireNonNull(taxPercent, "taxPercent");
      properties = Map.copyOf(properties);
    }

    /** Whether the line carries {@code ExcludeFromVoyadoReceipts = true}. */
    public boolean excluded() {
      return "true".equalsIgnoreCase(properties.getOrDefault(EXCLUDE_PROPERTY, "").strip());
    }
  }
}

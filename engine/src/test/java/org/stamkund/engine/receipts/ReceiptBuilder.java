package org.stamkund.engine.receipts;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Receipt lines for tests, indexed from 0 in the order they are added: {@code
 * aReceipt().withLine("sku-1", 2, "99.00").withReturn("sku-2", 1, "49.00").lines()}.
 */
public final class ReceiptBuilder {

  private final List<ReceiptLine> lines = new ArrayList<>();

  private ReceiptBuilder() {}

  public static ReceiptBuilder aReceipt() {
    return new ReceiptBuilder();
  }

  /** A purchase line that awards bonus; {@code grossPaidPrice} in the receipt's currency. */
  public ReceiptBuilder withLine(String sku, long quantity, String grossPaidPrice) {
    return add(LineType.PURCHASE, sku, BigDecimal.valueOf(quantity), grossPaidPrice, true);
  }

  /** A purchase line of one unit that awards bonus. */
  public ReceiptBuilder withLine(String grossPaidPrice) {
    return withLine("sku-" + lines.size(), 1, grossPaidPrice);
  }

  /** A purchase line marked {@code awardsBonus: false}. */
  public ReceiptBuilder withLineWithoutBonus(String sku, long quantity, String grossPaidPrice) {
    return add(LineType.PURCHASE, sku, BigDecimal.valueOf(quantity), grossPaidPrice, false);
  }

  /** A return of {@code quantity} units (given positive, stored negative); price positive. */
  public ReceiptBuilder withReturn(String sku, long quantity, String grossPaidPrice) {
    return add(LineType.RETURN, sku, BigDecimal.valueOf(-quantity), grossPaidPrice, true);
  }

  public ReceiptBuilder withAdjustment(String sku, String grossPaidPrice) {
    return add(LineType.ADJUSTMENT, sku, BigDecimal.ONE, grossPaidPrice, true);
  }

  /** Any line; its index is the next free one. */
  public ReceiptBuilder with(
      LineType type, String sku, BigDecimal quantity, String grossPaidPrice, boolean awardsBonus) {
    return add(type, sku, quantity, grossPaidPrice, awardsBonus);
  }

  public List<ReceiptLine> lines() {
    return List.copyOf(lines);
  }

  private ReceiptBuilder add(
      LineType type, String sku, BigDecimal quantity, String grossPaidPrice, boolean awardsBonus) {
    lines.add(
        new ReceiptLine(
            lines.size(), type, sku, quantity, new BigDecimal(grossPaidPrice), awardsBonus));
    return this;
  }
}

package org.stamkund.engine.receipts;

import java.math.BigDecimal;

/**
 * A receipt line as the engine needs it.
 *
 * @param index position on the receipt, from 0
 * @param type purchase, return or adjustment
 * @param sku the article
 * @param quantity units; negative on returns
 * @param grossPaidPrice what was paid for the line including VAT, in the receipt's currency;
 *     positive on returns too (Engage's convention)
 * @param awardsBonus false when the line must not earn points
 */
public record ReceiptLine(
    int index,
    LineType type,
    String sku,
    BigDecimal quantity,
    BigDecimal grossPaidPrice,
    boolean awardsBonus) {}

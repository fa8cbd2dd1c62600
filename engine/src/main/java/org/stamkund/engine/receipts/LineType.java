package org.stamkund.engine.receipts;

/** What a receipt line is: a sale, a return, or an adjustment that earns nothing. */
public enum LineType {
  PURCHASE,
  RETURN,
  ADJUSTMENT
}

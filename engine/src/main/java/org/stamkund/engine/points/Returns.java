package org.stamkund.engine.points;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Matches a returned quantity to earlier purchase lines of the same contact and article, most
 * recent first, and works out the points to take back: in total exactly what the returned units
 * earned, however the return is split over receipts.
 */
public final class Returns {

  private Returns() {}

  /** A receipt line: the receipt and the line's position in it. */
  public record LineRef(UUID receiptId, int index) {}

  /**
   * An earlier purchase line that may still be returned.
   *
   * @param line the receipt line
   * @param quantity units bought
   * @param returnedQuantity units returned so far
   * @param points points the line earned
   * @param pointsTakenBack points taken back by earlier returns
   * @param groupAmount what the line cost in the group currency
   */
  public record PurchasedLine(
      LineRef line,
      BigDecimal quantity,
      BigDecimal returnedQuantity,
      long points,
      long pointsTakenBack,
      BigDecimal groupAmount) {

    /**
     * The line as the next return sees it, once {@code takeback} (one of this line's) is recorded.
     */
    public PurchasedLine after(Takeback takeback) {
      if (!takeback.line().equals(line)) {
        throw new IllegalArgumentException("a takeback of another line");
      }
      return new PurchasedLine(
          line,
          quantity,
          returnedQuantity.add(takeback.quantity()),
          points,
          pointsTakenBack + takeback.points(),
          groupAmount);
    }
  }

  /** What returning units of one purchase line takes back. */
  public record Takeback(LineRef line, BigDecimal quantity, long points, BigDecimal groupAmount) {}

  /** The share of a line's amount that {@code returned} units make, exact when all are returned. */
  private static BigDecimal amountAt(PurchasedLine line, BigDecimal returned) {
    if (returned.compareTo(line.quantity()) >= 0) {
      return line.groupAmount();
    }
    return line.groupAmount().multiply(returned).divide(line.quantity(), 6, RoundingMode.HALF_EVEN);
  }

  /**
   * @param returned units returned (positive)
   * @param candidates purchase lines of the article, most recent first
   * @return the lines the return is matched to; empty when nothing matches. Units beyond what was
   *     bought are not matched and take nothing.
   */
  public static List<Takeback> match(BigDecimal returned, List<PurchasedLine> candidates) {
    List<Takeback> takebacks = new ArrayList<>();
    BigDecimal left = returned;
    for (PurchasedLine line : candidates) {
      if (left.signum() <= 0) {
        break;
      }
      BigDecimal open = line.quantity().subtract(line.returnedQuantity());
      if (open.signum() <= 0) {
        continue;
      }
      BigDecimal take = open.min(left);
      BigDecimal returnedAfter = line.returnedQuantity().add(take);
      long targetTakenBack =
          returnedAfter.compareTo(line.quantity()) >= 0
              ? line.points()
              : BigDecimal.valueOf(line.points())
                  .multiply(returnedAfter)
                  .divide(line.quantity(), 0, RoundingMode.FLOOR)
                  .longValueExact();
      BigDecimal amount =
          amountAt(line, returnedAfter).subtract(amountAt(line, line.returnedQuantity()));
      takebacks.add(
          new Takeback(line.line(), take, targetTakenBack - line.pointsTakenBack(), amount));
      left = left.subtract(take);
    }
    return takebacks;
  }
}

package org.stamkund.engine.points;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.stamkund.engine.program.LoyaltyProgram;
import org.stamkund.engine.receipts.LineType;
import org.stamkund.engine.receipts.ReceiptLine;

/**
 * Points a receipt earns: {@code grossPaidPrice} in group currency × points per unit, over the
 * PURCHASE lines that award bonus, rounded down once per receipt. The total is then allocated to
 * the lines as whole points (largest remainder), so that returning a line can take back exactly
 * what it earned.
 */
public final class Earning {

  private Earning() {}

  /**
   * @param total the points the receipt earns
   * @param perLine points allocated to each line, by line index; 0 for lines that earn nothing;
   *     sums to {@code total}
   * @param groupAmounts each line's paid amount in the group currency, by line index
   */
  public record Earned(long total, long[] perLine, BigDecimal[] groupAmounts) {}

  /**
   * @param rate group-currency units per unit of the receipt's currency
   */
  public static Earned earn(LoyaltyProgram program, BigDecimal rate, List<ReceiptLine> lines) {
    int n = lines.stream().mapToInt(ReceiptLine::index).max().orElse(-1) + 1;
    BigDecimal[] exact = new BigDecimal[n];
    BigDecimal[] groupAmounts = new BigDecimal[n];
    BigDecimal sum = BigDecimal.ZERO;
    for (ReceiptLine line : lines) {
      BigDecimal group = line.grossPaidPrice().multiply(rate);
      groupAmounts[line.index()] = group;
      if (line.type() == LineType.PURCHASE && line.awardsBonus() && group.signum() > 0) {
        exact[line.index()] = group.multiply(program.pointsPerGroupCurrencyUnit());
        sum = sum.add(exact[line.index()]);
      }
    }
    long total = sum.setScale(0, RoundingMode.FLOOR).longValueExact();
    long[] perLine = new long[n];
    long allocated = 0;
    List<Integer> byRemainder = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (exact[i] != null) {
        perLine[i] = exact[i].setScale(0, RoundingMode.FLOOR).longValueExact();
        allocated += perLine[i];
        byRemainder.add(i);
      }
      if (groupAmounts[i] == null) {
        groupAmounts[i] = BigDecimal.ZERO;
      }
    }
    byRemainder.sort(
        Comparator.comparing((Integer i) -> exact[i].subtract(BigDecimal.valueOf(perLine[i])))
            .reversed()
            .thenComparing(i -> i));
    for (int k = 0; allocated < total; k++) {
      perLine[byRemainder.get(k % byRemainder.size())]++;
      allocated++;
    }
    return new Earned(total, perLine, groupAmounts);
  }
}

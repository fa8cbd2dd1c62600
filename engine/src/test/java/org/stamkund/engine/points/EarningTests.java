package org.stamkund.engine.points;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stamkund.engine.program.Programs.aProgram;
import static org.stamkund.engine.receipts.ReceiptBuilder.aReceipt;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stamkund.engine.points.Earning.Earned;
import org.stamkund.engine.program.LoyaltyProgram;
import org.stamkund.engine.program.Programs;
import org.stamkund.engine.receipts.LineType;
import org.stamkund.engine.receipts.ReceiptBuilder;
import org.stamkund.engine.receipts.ReceiptLine;

class EarningTests {

  private static final LoyaltyProgram ONE_POINT_PER_KRONA = Programs.defaults();

  private static Earned inSek(ReceiptBuilder receipt) {
    return Earning.earn(ONE_POINT_PER_KRONA, BigDecimal.ONE, receipt.lines());
  }

  private static Earned in(String currency, LoyaltyProgram program, ReceiptBuilder receipt) {
    return Earning.earn(program, program.rate(currency).orElseThrow(), receipt.lines());
  }

  @Test
  void aPurchaseEarnsOnePointPerKronaPaid() {
    Earned earned = inSek(aReceipt().withLine("sku-1", 2, "198.00").withLine("sku-2", 1, "50.00"));

    assertThat(earned.total()).isEqualTo(248);
    assertThat(earned.perLine()).containsExactly(198, 50);
  }

  @Test
  void pointsAreRoundedDownOncePerReceiptNotPerLine() {
    Earned earned = inSek(aReceipt().withLine("0.50").withLine("0.50").withLine("0.50"));

    assertThat(earned.total()).isEqualTo(1);
    assertThat(earned.perLine()).containsExactly(1, 0, 0);
  }

  @Test
  void theReceiptTotalIsRoundedDownNotToNearest() {
    assertThat(inSek(aReceipt().withLine("99.99")).total()).isEqualTo(99);
    assertThat(inSek(aReceipt().withLine("0.99")).total()).isZero();
  }

  @Test
  void leftoverPointsGoToTheLinesWithTheLargestRemainders() {
    Earned earned =
        inSek(aReceipt().withLine("10.30").withLine("20.70").withLine("30.60").withLine("5.10"));

    // 66.70 exact: 65 by the floors, 1 more to the largest remainder (.70).
    assertThat(earned.total()).isEqualTo(66);
    assertThat(earned.perLine()).containsExactly(10, 21, 30, 5);
  }

  @Test
  void twoLeftoverPointsGoToTheTwoLargestRemainders() {
    Earned earned =
        inSek(aReceipt().withLine("0.90").withLine("0.20").withLine("0.60").withLine("0.40"));

    // 2.10 exact, all floors 0: the .90 and the .60 lines earn one point each.
    assertThat(earned.total()).isEqualTo(2);
    assertThat(earned.perLine()).containsExactly(1, 0, 1, 0);
  }

  @Test
  void equalRemaindersFavourTheEarlierLine() {
    Earned earned = inSek(aReceipt().withLine("3.40").withLine("7.40").withLine("1.40"));

    assertThat(earned.total()).isEqualTo(12);
    assertThat(earned.perLine()).containsExactly(4, 7, 1);
  }

  @Test
  void theSameReceiptAlwaysAllocatesTheSameWay() {
    ReceiptBuilder receipt =
        aReceipt().withLine("0.25").withLine("0.25").withLine("0.25").withLine("0.25");

    assertThat(inSek(receipt).perLine()).containsExactly(1, 0, 0, 0);
    assertThat(inSek(receipt).perLine()).containsExactly(1, 0, 0, 0);
  }

  @Test
  void aForeignCurrencyIsConvertedAtTheProgrammesRateBeforeRounding() {
    // 8.95 EUR × 11.2 = 100.24 SEK; 3.05 EUR × 11.2 = 34.16 SEK
    Earned earned = in("EUR", ONE_POINT_PER_KRONA, aReceipt().withLine("8.95").withLine("3.05"));

    assertThat(earned.total()).isEqualTo(134);
    assertThat(earned.perLine()).containsExactly(100, 34);
    assertThat(earned.groupAmounts())
        .usingElementComparator(BigDecimal::compareTo)
        .containsExactly(new BigDecimal("100.24"), new BigDecimal("34.16"));
  }

  @Test
  void theRateIsLookedUpIgnoringCase() {
    assertThat(in("eur", ONE_POINT_PER_KRONA, aReceipt().withLine("10.00")).total()).isEqualTo(112);
  }

  @Test
  void pointsPerGroupCurrencyUnitMultipliesTheGroupAmount() {
    LoyaltyProgram tenthOfAPoint = aProgram().pointsPerGroupCurrencyUnit("0.1").build();
    LoyaltyProgram doublePoints = aProgram().pointsPerGroupCurrencyUnit("2").build();

    assertThat(in("SEK", tenthOfAPoint, aReceipt().withLine("199.00")).total()).isEqualTo(19);
    assertThat(in("SEK", doublePoints, aReceipt().withLine("199.50")).total()).isEqualTo(399);
  }

  @Test
  void foreignCurrencyAndPointsPerUnitCombineBeforeTheOneRounding() {
    LoyaltyProgram tenthOfAPoint = aProgram().pointsPerGroupCurrencyUnit("0.1").build();

    // 3 × 2.99 EUR × 11.2 × 0.1 = 3 × 3.3488 = 10.0464
    Earned earned =
        in("EUR", tenthOfAPoint, aReceipt().withLine("2.99").withLine("2.99").withLine("2.99"));

    assertThat(earned.total()).isEqualTo(10);
    assertThat(earned.perLine()).containsExactly(4, 3, 3);
  }

  @Test
  void aProgrammeWithZeroPointsPerUnitEarnsNothing() {
    LoyaltyProgram noPoints = aProgram().pointsPerGroupCurrencyUnit("0").build();

    Earned earned = in("SEK", noPoints, aReceipt().withLine("999.00").withLine("1.00"));

    assertThat(earned.total()).isZero();
    assertThat(earned.perLine()).containsExactly(0, 0);
  }

  @Test
  void linesThatDoNotAwardBonusEarnNothingAndGetNoLeftoverPoints() {
    Earned earned =
        inSek(
            aReceipt()
                .withLine("sku-1", 1, "10.60")
                .withLineWithoutBonus("giftcard", 1, "500.90")
                .withLine("sku-3", 1, "0.70"));

    assertThat(earned.total()).isEqualTo(11);
    assertThat(earned.perLine()).containsExactly(10, 0, 1);
  }

  @Test
  void returnAndAdjustmentLinesNeitherEarnNorReduceWhatTheReceiptEarns() {
    Earned earned =
        inSek(
            aReceipt()
                .withLine("sku-1", 1, "100.00")
                .withReturn("sku-2", 1, "40.00")
                .withAdjustment("rounding", "0.40")
                .withLine("sku-3", 1, "20.00"));

    assertThat(earned.total()).isEqualTo(120);
    assertThat(earned.perLine()).containsExactly(100, 0, 0, 20);
  }

  @Test
  void aLinePaidWithNothingEarnsNothing() {
    Earned earned = inSek(aReceipt().withLine("0.00").withLine("0.70").withLine("0.70"));

    assertThat(earned.total()).isEqualTo(1);
    assertThat(earned.perLine()).containsExactly(0, 1, 0);
  }

  @Test
  void aReceiptOfOnlyReturnsEarnsNothing() {
    Earned earned = inSek(aReceipt().withReturn("sku-1", 2, "198.00"));

    assertThat(earned.total()).isZero();
    assertThat(earned.perLine()).containsExactly(0);
  }

  @Test
  void anEmptyReceiptEarnsNothing() {
    Earned earned = Earning.earn(ONE_POINT_PER_KRONA, BigDecimal.ONE, List.of());

    assertThat(earned.total()).isZero();
    assertThat(earned.perLine()).isEmpty();
    assertThat(earned.groupAmounts()).isEmpty();
  }

  @Test
  void everyLineHasItsAmountInTheGroupCurrencyReturnsIncluded() {
    Earned earned =
        in(
            "EUR",
            ONE_POINT_PER_KRONA,
            aReceipt()
                .withLine("sku-1", 1, "10.00")
                .withReturn("sku-2", 1, "5.00")
                .withLineWithoutBonus("giftcard", 1, "20.00"));

    assertThat(earned.groupAmounts())
        .usingElementComparator(BigDecimal::compareTo)
        .containsExactly(new BigDecimal("112"), new BigDecimal("56"), new BigDecimal("224"));
  }

  @Test
  void resultsAreIndexedByLineIndexNotByListPosition() {
    List<ReceiptLine> outOfOrder =
        List.of(
            new ReceiptLine(
                2, LineType.PURCHASE, "sku-c", BigDecimal.ONE, new BigDecimal("30.00"), true),
            new ReceiptLine(
                0, LineType.PURCHASE, "sku-a", BigDecimal.ONE, new BigDecimal("10.00"), true),
            new ReceiptLine(
                1,
                LineType.RETURN,
                "sku-b",
                BigDecimal.ONE.negate(),
                new BigDecimal("20.00"),
                true));

    Earned earned = Earning.earn(ONE_POINT_PER_KRONA, BigDecimal.ONE, outOfOrder);

    assertThat(earned.perLine()).containsExactly(10, 0, 30);
    assertThat(earned.groupAmounts())
        .usingElementComparator(BigDecimal::compareTo)
        .containsExactly(new BigDecimal("10"), new BigDecimal("20"), new BigDecimal("30"));
  }

  @Test
  void aLargeReceiptIsCountedExactly() {
    ReceiptBuilder receipt = aReceipt();
    for (int i = 0; i < 1000; i++) {
      receipt.withLine("sku-" + i, 1, "0.01");
    }

    Earned earned = inSek(receipt);

    assertThat(earned.total()).isEqualTo(10);
    assertThat(Arrays.stream(earned.perLine()).sum()).isEqualTo(10);
    assertThat(Arrays.stream(earned.perLine()).filter(p -> p == 1).count()).isEqualTo(10);
  }

  @Test
  void forRandomReceiptsTheAllocationSumsToTheTotalAndEachLineGetsTheFloorOrCeilingOfItsShare() {
    String[] pointsPerUnit = {"1", "0.1", "2", "1.5", "0.01", "0.333", "10"};
    String[] rates = {"1", "11.2", "0.0937", "1.0", "0.9876", "10.4321"};
    LineType[] types = {
      LineType.PURCHASE, LineType.PURCHASE, LineType.PURCHASE, LineType.RETURN, LineType.ADJUSTMENT
    };
    Random random = new Random(20261122L);

    for (int run = 0; run < 5_000; run++) {
      LoyaltyProgram program =
          aProgram()
              .pointsPerGroupCurrencyUnit(pointsPerUnit[random.nextInt(pointsPerUnit.length)])
              .build();
      BigDecimal rate = new BigDecimal(rates[random.nextInt(rates.length)]);
      ReceiptBuilder receipt = aReceipt();
      int lineCount = random.nextInt(15);
      for (int i = 0; i < lineCount; i++) {
        LineType type = types[random.nextInt(types.length)];
        long quantity = random.nextInt(5) + 1L;
        int cents = random.nextBoolean() ? random.nextInt(1_000) : random.nextInt(1_000_000);
        receipt.with(
            type,
            "sku-" + random.nextInt(4),
            BigDecimal.valueOf(type == LineType.RETURN ? -quantity : quantity),
            BigDecimal.valueOf(cents, 2).toPlainString(),
            random.nextInt(6) != 0);
      }
      List<ReceiptLine> lines = receipt.lines();

      Earned earned = Earning.earn(program, rate, lines);

      String context =
          "run "
              + run
              + ", rate "
              + rate
              + ", "
              + program.pointsPerGroupCurrencyUnit()
              + " per unit, "
              + lines;
      BigDecimal exactTotal = BigDecimal.ZERO;
      for (ReceiptLine line : lines) {
        exactTotal = exactTotal.add(exactShare(program, rate, line));
      }
      assertThat(earned.total())
          .as(context)
          .isEqualTo(exactTotal.setScale(0, RoundingMode.FLOOR).longValueExact());
      assertThat(earned.perLine()).as(context).hasSize(lines.size());
      assertThat(Arrays.stream(earned.perLine()).sum()).as(context).isEqualTo(earned.total());
      for (ReceiptLine line : lines) {
        BigDecimal share = exactShare(program, rate, line);
        assertThat(earned.perLine()[line.index()])
            .as(context + ", line " + line.index() + " exact share " + share)
            .isBetween(
                share.setScale(0, RoundingMode.FLOOR).longValueExact(),
                share.setScale(0, RoundingMode.CEILING).longValueExact());
      }
    }
  }

  /** What a line earns before any rounding; zero for lines that earn nothing. */
  private static BigDecimal exactShare(LoyaltyProgram program, BigDecimal rate, ReceiptLine line) {
    if (line.type() != LineType.PURCHASE || !line.awardsBonus()) {
      return BigDecimal.ZERO;
    }
    return line.grossPaidPrice().multiply(rate).multiply(program.pointsPerGroupCurrencyUnit());
  }
}

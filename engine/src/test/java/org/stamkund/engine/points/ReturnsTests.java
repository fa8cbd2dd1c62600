package org.stamkund.engine.points;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.stamkund.engine.points.Returns.PurchasedLine;
import org.stamkund.engine.points.Returns.Takeback;

class ReturnsTests {

  private static int nextId;

  /** A purchase line of the contact and article, and what has been returned from it so far. */
  private static final class Bought {

    final Returns.LineRef line = new Returns.LineRef(new UUID(0x5ca1ab1e, ++nextId), 0);
    final BigDecimal quantity;
    final long points;
    final BigDecimal groupAmount;
    BigDecimal returnedQuantity = BigDecimal.ZERO;
    long pointsTakenBack;
    BigDecimal amountTakenBack = BigDecimal.ZERO;

    Bought(String quantity, long points, String groupAmount) {
      this.quantity = new BigDecimal(quantity);
      this.points = points;
      this.groupAmount = new BigDecimal(groupAmount);
    }

    PurchasedLine asCandidate() {
      return new PurchasedLine(
          line, quantity, returnedQuantity, points, pointsTakenBack, groupAmount);
    }

    /** Records what a return took from this line, as the ledger would. */
    void apply(List<Takeback> takebacks) {
      for (Takeback t : takebacks) {
        if (t.line().equals(line)) {
          returnedQuantity = returnedQuantity.add(t.quantity());
          pointsTakenBack += t.points();
          amountTakenBack = amountTakenBack.add(t.groupAmount());
        }
      }
    }
  }

  private static Bought bought(long quantity, long points) {
    return new Bought(Long.toString(quantity), points, Long.toString(points));
  }

  /** Returns units matched against the lines, most recent first, and records the takebacks. */
  private static List<Takeback> returnUnits(String quantity, Bought... mostRecentFirst) {
    List<Takeback> takebacks =
        Returns.match(
            new BigDecimal(quantity),
            Arrays.stream(mostRecentFirst).map(Bought::asCandidate).toList());
    for (Bought line : mostRecentFirst) {
      line.apply(takebacks);
    }
    return takebacks;
  }

  private static long points(List<Takeback> takebacks) {
    return takebacks.stream().mapToLong(Takeback::points).sum();
  }

  @Test
  void returningAWholeLineTakesBackEverythingItEarned() {
    Bought line = bought(2, 199);

    List<Takeback> takebacks = returnUnits("2", line);

    assertThat(takebacks)
        .extracting(Takeback::line, Takeback::quantity, Takeback::points)
        .containsExactly(tuple(line.line, new BigDecimal("2"), 199L));
  }

  @Test
  void returningPartOfALineTakesBackItsShareRoundedDown() {
    assertThat(points(returnUnits("1", bought(3, 100)))).isEqualTo(33);
    assertThat(points(returnUnits("2", bought(3, 100)))).isEqualTo(66);
  }

  @Test
  void returningALineInThreePartsTakesBackExactlyWhatItEarned() {
    Bought line = bought(3, 100);

    long first = points(returnUnits("1", line));
    long second = points(returnUnits("1", line));
    long third = points(returnUnits("1", line));

    assertThat(List.of(first, second, third)).containsExactly(33L, 33L, 34L);
    assertThat(line.pointsTakenBack).isEqualTo(100);
  }

  @Test
  void returningALineUnitByUnitTakesBackExactlyWhatItEarned() {
    Bought line = bought(7, 10);

    List<Long> perReturn = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      perReturn.add(points(returnUnits("1", line)));
    }

    assertThat(perReturn).containsExactly(1L, 1L, 2L, 1L, 2L, 1L, 2L);
    assertThat(line.pointsTakenBack).isEqualTo(10);
  }

  @Test
  void aLineThatEarnedLessThanOnePointPerUnitGivesBackItsPointsOnlyWhenEnoughIsReturned() {
    Bought line = bought(4, 1);

    assertThat(points(returnUnits("1", line))).isZero();
    assertThat(points(returnUnits("2", line))).isZero();
    assertThat(points(returnUnits("1", line))).isEqualTo(1);
  }

  @Test
  void aReturnIsMatchedToTheMostRecentPurchaseFirst() {
    Bought recent = bought(1, 50);
    Bought older = bought(2, 100);

    List<Takeback> takebacks = returnUnits("2", recent, older);

    assertThat(takebacks)
        .extracting(Takeback::line, Takeback::quantity, Takeback::points)
        .containsExactly(
            tuple(recent.line, new BigDecimal("1"), 50L),
            tuple(older.line, new BigDecimal("1"), 50L));
  }

  @Test
  void aReturnThatFitsTheMostRecentPurchaseLeavesOlderPurchasesAlone() {
    Bought recent = bought(3, 300);
    Bought older = bought(3, 600);

    List<Takeback> takebacks = returnUnits("2", recent, older);

    assertThat(takebacks).extracting(Takeback::line).containsExactly(recent.line);
    assertThat(older.pointsTakenBack).isZero();
  }

  @Test
  void unitsAlreadyReturnedAreNotReturnedAgain() {
    Bought recent = bought(1, 50);
    Bought older = bought(2, 100);
    returnUnits("1", recent, older);

    List<Takeback> takebacks = returnUnits("1", recent, older);

    assertThat(takebacks)
        .extracting(Takeback::line, Takeback::quantity, Takeback::points)
        .containsExactly(tuple(older.line, new BigDecimal("1"), 50L));
  }

  @Test
  void unitsBeyondWhatWasBoughtAreNotMatchedAndTakeNothing() {
    Bought line = bought(2, 80);

    List<Takeback> takebacks = returnUnits("5", line);

    assertThat(takebacks)
        .extracting(Takeback::quantity, Takeback::points)
        .containsExactly(tuple(new BigDecimal("2"), 80L));
    assertThat(returnUnits("1", line)).isEmpty();
  }

  @Test
  void aReturnWithNoEarlierPurchaseTakesNothing() {
    assertThat(Returns.match(BigDecimal.ONE, List.of())).isEmpty();
  }

  @Test
  void aLineThatEarnedNothingIsStillMatchedButTakesNoPoints() {
    Bought line = bought(1, 0);

    assertThat(returnUnits("1", line))
        .extracting(Takeback::quantity, Takeback::points)
        .containsExactly(tuple(new BigDecimal("1"), 0L));
  }

  @Test
  void fractionalQuantitiesAreReturnedInProportion() {
    Bought cheese = new Bought("1.5", 75, "75.00");

    assertThat(points(returnUnits("0.5", cheese))).isEqualTo(25);
    assertThat(points(returnUnits("0.4", cheese))).isEqualTo(20);
    assertThat(points(returnUnits("0.6", cheese))).isEqualTo(30);
    assertThat(cheese.pointsTakenBack).isEqualTo(75);
  }

  @Test
  void aTakebackCarriesItsShareOfTheLinesGroupAmount() {
    Bought line = new Bought("4", 398, "398.00");

    List<Takeback> takebacks = returnUnits("1", line);

    assertThat(takebacks.getFirst().groupAmount()).isEqualByComparingTo("99.50");
  }

  @Test
  void returningALineInThreePartsTakesBackExactlyItsAmount() {
    Bought line = new Bought("3", 100, "100.00");

    returnUnits("1", line);
    returnUnits("1", line);
    returnUnits("1", line);

    assertThat(line.amountTakenBack).isEqualByComparingTo("100.00");
  }

  @Test
  void randomPartialReturnsOfALineTakeBackExactlyItsPointsAndNeverMore() {
    Random random = new Random(20261122L);

    for (int run = 0; run < 5_000; run++) {
      boolean weighed = random.nextInt(4) == 0;
      BigDecimal unit = weighed ? new BigDecimal("0.125") : BigDecimal.ONE;
      long units = random.nextInt(20) + 1L;
      long points = random.nextInt(10) == 0 ? random.nextInt(3) : random.nextInt(5_000);
      Bought line =
          new Bought(unit.multiply(BigDecimal.valueOf(units)).toPlainString(), points, "100.00");
      String context = "run " + run + ": " + line.quantity + " units earning " + points;

      while (line.returnedQuantity.compareTo(line.quantity) < 0) {
        long open = line.quantity.subtract(line.returnedQuantity).divide(unit).longValueExact();
        // now and then a return asks for more than is left; the rest must take nothing
        long asked =
            random.nextInt(8) == 0 ? open + random.nextInt(3) : random.nextInt((int) open) + 1L;
        BigDecimal quantity = unit.multiply(BigDecimal.valueOf(asked));
        long before = line.pointsTakenBack;

        List<Takeback> takebacks = returnUnits(quantity.toPlainString(), line);

        String step = context + ", returning " + quantity + " after " + before;
        assertThat(takebacks).as(step).hasSize(1);
        assertThat(takebacks.getFirst().quantity())
            .as(step)
            .isEqualByComparingTo(unit.multiply(BigDecimal.valueOf(Math.min(asked, open))));
        assertThat(takebacks.getFirst().points()).as(step).isNotNegative();
        // never more than the units returned so far earned: taken × bought ≤ points × returned
        assertThat(
                BigDecimal.valueOf(line.pointsTakenBack)
                    .multiply(line.quantity)
                    .compareTo(BigDecimal.valueOf(points).multiply(line.returnedQuantity)))
            .as(step + ": took back more than the returned units earned")
            .isLessThanOrEqualTo(0);
        // and never short by a whole point or more
        assertThat(
                BigDecimal.valueOf(line.pointsTakenBack + 1)
                    .multiply(line.quantity)
                    .compareTo(BigDecimal.valueOf(points).multiply(line.returnedQuantity)))
            .as(step + ": took back a point too few")
            .isPositive();
      }

      assertThat(line.pointsTakenBack).as(context).isEqualTo(points);
      assertThat(returnUnits(unit.toPlainString(), line)).as(context).isEmpty();
    }
  }

  @Test
  void randomReturnsSpreadOverSeveralPurchasesTakeBackExactlyWhatTheyEarned() {
    Random random = new Random(7L);

    for (int run = 0; run < 2_000; run++) {
      Bought[] mostRecentFirst = new Bought[random.nextInt(4) + 1];
      long bought = 0;
      long earned = 0;
      for (int i = 0; i < mostRecentFirst.length; i++) {
        long quantity = random.nextInt(6) + 1L;
        long points = random.nextInt(1_000);
        mostRecentFirst[i] = bought(quantity, points);
        bought += quantity;
        earned += points;
      }
      String context = "run " + run;

      long returned = 0;
      long takenBack = 0;
      while (returned < bought) {
        long quantity = random.nextInt((int) (bought - returned)) + 1L;
        List<Takeback> takebacks = returnUnits(Long.toString(quantity), mostRecentFirst);
        assertThat(takebacks).as(context).allSatisfy(t -> assertThat(t.points()).isNotNegative());
        assertThat(
                takebacks.stream().map(Takeback::quantity).reduce(BigDecimal.ZERO, BigDecimal::add))
            .as(context)
            .isEqualByComparingTo(BigDecimal.valueOf(quantity));
        returned += quantity;
        takenBack += points(takebacks);
        assertThat(takenBack).as(context).isLessThanOrEqualTo(earned);
      }

      assertThat(takenBack).as(context).isEqualTo(earned);
      for (Bought line : mostRecentFirst) {
        assertThat(line.pointsTakenBack).as(context).isEqualTo(line.points);
      }
    }
  }

  @Test
  void aLineAfterItsTakebacksIsWhatTheNextReturnSees() {
    Bought kept = bought(3, 100);
    PurchasedLine line = kept.asCandidate();

    for (String quantity : List.of("1", "1", "1")) {
      List<Takeback> takebacks = Returns.match(new BigDecimal(quantity), List.of(line));
      kept.apply(takebacks);
      line = line.after(takebacks.getFirst());
      assertThat(line).isEqualTo(kept.asCandidate());
    }

    assertThat(line.pointsTakenBack()).isEqualTo(100);
    assertThat(Returns.match(BigDecimal.ONE, List.of(line))).as("nothing left").isEmpty();
  }

  @Test
  void aTakebackOfAnotherLineIsRefused() {
    PurchasedLine line = bought(1, 10).asCandidate();
    Takeback other = Returns.match(BigDecimal.ONE, List.of(bought(1, 20).asCandidate())).getFirst();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> line.after(other))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

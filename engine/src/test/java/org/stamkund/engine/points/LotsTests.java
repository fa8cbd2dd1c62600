package org.stamkund.engine.points;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.stamkund.engine.points.Lots.Draw;
import org.stamkund.engine.points.Lots.Lot;

class LotsTests {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private static long id(int n) {
    return 1_000_000L + n;
  }

  private static Lot lot(int id, long remaining, @Nullable Instant expiresAt, Instant earnedAt) {
    return new Lot(id(id), remaining, expiresAt, earnedAt);
  }

  private static Instant daysFromNow(long days) {
    return NOW.plus(Duration.ofDays(days));
  }

  @Test
  void pointsAreSpentFromTheLotThatExpiresFirst() {
    List<Lot> lots =
        List.of(
            lot(1, 100, daysFromNow(300), daysFromNow(-400)),
            lot(2, 100, daysFromNow(30), daysFromNow(-10)),
            lot(3, 100, daysFromNow(200), daysFromNow(-500)));

    assertThat(Lots.spend(50, lots))
        .extracting(Draw::lotId, Draw::points)
        .containsExactly(tuple(id(2), 50L));
  }

  @Test
  void aSpendCarriesOnIntoTheNextLotToExpire() {
    List<Lot> lots =
        List.of(
            lot(1, 100, daysFromNow(300), daysFromNow(-400)),
            lot(2, 100, daysFromNow(30), daysFromNow(-10)),
            lot(3, 100, daysFromNow(200), daysFromNow(-500)));

    assertThat(Lots.spend(250, lots))
        .extracting(Draw::lotId, Draw::points)
        .containsExactly(tuple(id(2), 100L), tuple(id(3), 100L), tuple(id(1), 50L));
  }

  @Test
  void lotsThatNeverExpireAreSpentLast() {
    List<Lot> lots =
        List.of(
            lot(1, 100, null, daysFromNow(-900)), lot(2, 100, daysFromNow(700), daysFromNow(-1)));

    assertThat(Lots.spend(150, lots))
        .extracting(Draw::lotId, Draw::points)
        .containsExactly(tuple(id(2), 100L), tuple(id(1), 50L));
  }

  @Test
  void lotsThatExpireTogetherAreSpentOldestEarnedFirst() {
    Instant endOfYear = Instant.parse("2027-12-31T23:00:00Z");
    List<Lot> lots =
        List.of(
            lot(1, 100, endOfYear, Instant.parse("2026-09-01T10:00:00Z")),
            lot(2, 100, endOfYear, Instant.parse("2026-02-01T10:00:00Z")),
            lot(3, 100, null, Instant.parse("2026-05-01T10:00:00Z")),
            lot(4, 100, null, Instant.parse("2026-03-01T10:00:00Z")));

    assertThat(Lots.spend(400, lots))
        .extracting(Draw::lotId)
        .containsExactly(id(2), id(1), id(4), id(3));
  }

  @Test
  void lotsAlikeInExpiryAndEarningAreSpentInLotIdOrder() {
    List<Lot> lots = List.of(lot(9, 10, null, NOW), lot(3, 10, null, NOW), lot(5, 10, null, NOW));

    assertThat(Lots.spend(30, lots)).extracting(Draw::lotId).containsExactly(id(3), id(5), id(9));
  }

  @Test
  void emptyLotsAreSkipped() {
    List<Lot> lots = List.of(lot(1, 0, daysFromNow(1), NOW), lot(2, 40, daysFromNow(2), NOW));

    assertThat(Lots.spend(30, lots))
        .extracting(Draw::lotId, Draw::points)
        .containsExactly(tuple(id(2), 30L));
  }

  @Test
  void spendingMoreThanTheLotsHoldDrawsOnlyWhatTheyHold() {
    List<Lot> lots = List.of(lot(1, 100, daysFromNow(10), NOW), lot(2, 20, null, NOW));

    List<Draw> draws = Lots.spend(500, lots);

    assertThat(draws)
        .extracting(Draw::lotId, Draw::points)
        .containsExactly(tuple(id(1), 100L), tuple(id(2), 20L));
  }

  @Test
  void withNoLotsNothingIsDrawn() {
    assertThat(Lots.spend(100, List.of())).isEmpty();
  }

  @Test
  void spendingLeavesTheGivenListAsItWas() {
    List<Lot> lots = new ArrayList<>();
    lots.add(lot(1, 100, null, NOW));
    lots.add(lot(2, 100, daysFromNow(5), NOW));
    List<Lot> before = List.copyOf(lots);

    Lots.spend(150, lots);

    assertThat(lots).containsExactlyElementsOf(before);
  }

  @Test
  void randomSpendsDrawWhatIsAskedOrAllThereIsInSpendingOrderWithoutSkippingALot() {
    Random random = new Random(20261122L);

    for (int run = 0; run < 3_000; run++) {
      List<Lot> lots = new ArrayList<>();
      int count = random.nextInt(8);
      long held = 0;
      for (int i = 0; i < count; i++) {
        long remaining = random.nextInt(5) == 0 ? 0 : random.nextInt(1_000) + 1;
        Instant earnedAt = daysFromNow(-random.nextInt(700));
        Instant expiresAt =
            random.nextInt(4) == 0
                ? null
                : earnedAt.plus(Duration.ofDays(365L * (1 + random.nextInt(2))));
        lots.add(lot(i, remaining, expiresAt, earnedAt));
        held += remaining;
      }
      long points = random.nextInt(3_000) + 1L;
      String context = "run " + run + ": spending " + points + " from " + lots;

      List<Draw> draws = Lots.spend(points, lots);

      assertThat(draws.stream().mapToLong(Draw::points).sum())
          .as(context)
          .isEqualTo(Math.min(points, held));
      List<Lot> ordered = new ArrayList<>(lots);
      ordered.sort(Lots.SPENDING_ORDER);
      List<Lot> nonEmpty = ordered.stream().filter(l -> l.remaining() > 0).toList();
      Map<Long, Long> remaining = new HashMap<>();
      lots.forEach(l -> remaining.put(l.lotId(), l.remaining()));
      assertThat(draws).as(context).allSatisfy(d -> assertThat(d.points()).isPositive());
      assertThat(draws)
          .extracting(Draw::lotId)
          .as(context + ": the first lots in spending order, none skipped")
          .containsExactlyElementsOf(
              nonEmpty.subList(0, draws.size()).stream().map(Lot::lotId).toList());
      for (int i = 0; i < draws.size() - 1; i++) {
        assertThat(draws.get(i).points())
            .as(context + ": every lot but the last is emptied")
            .isEqualTo(remaining.getOrDefault(draws.get(i).lotId(), 0L));
      }
      if (!draws.isEmpty()) {
        assertThat(draws.getLast().points())
            .as(context)
            .isLessThanOrEqualTo(remaining.getOrDefault(draws.getLast().lotId(), 0L));
      }
    }
  }

  @Test
  void preferredLotsAreSpentBeforeOthersWhateverTheirExpiry() {
    Lot soon =
        lot(1, 100, Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));
    Lot later =
        lot(2, 100, Instant.parse("2028-12-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z"));
    assertThat(Lots.spend(150, List.of(later), List.of(soon)))
        .extracting(Draw::lotId, Draw::points)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(id(2), 100L),
            org.assertj.core.groups.Tuple.tuple(id(1), 50L));
  }
}

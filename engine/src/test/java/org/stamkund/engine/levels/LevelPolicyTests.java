package org.stamkund.engine.levels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stamkund.engine.program.Programs.bronzeSilverGold;
import static org.stamkund.engine.program.Programs.levels;
import static org.stamkund.engine.program.Programs.tier;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stamkund.engine.levels.LevelPolicy.Contribution;
import org.stamkund.engine.levels.LevelPolicy.Level;
import org.stamkund.engine.program.LoyaltyProgram;
import org.stamkund.engine.program.LoyaltyProgram.Levels;
import org.stamkund.engine.program.Programs;

class LevelPolicyTests {

  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  /** Bronze from 0 and silver from 1000 points, over 12 months. */
  private static final Levels BRONZE_SILVER = Programs.defaults().levels();

  private static Contribution earned(long points, String at) {
    return new Contribution(Instant.parse(at), points);
  }

  private static Level levelNow(Levels levels, Contribution... contributions) {
    return LevelPolicy.level(levels, List.of(contributions), NOW, STOCKHOLM);
  }

  private static Level levelAt(Instant now, Levels levels, Contribution... contributions) {
    return LevelPolicy.level(levels, List.of(contributions), now, STOCKHOLM);
  }

  private static String id(LoyaltyProgram.Tier tier) {
    return tier.id();
  }

  @Test
  void aMemberWithoutContributionsHoldsTheFirstTierForGood() {
    Level level = levelNow(BRONZE_SILVER);

    assertThat(id(level.tier())).isEqualTo("bronze");
    assertThat(level.value()).isZero();
    assertThat(level.expiresAt()).isNull();
    assertThat(level.next()).isEqualTo(tier("silver", 1000));
    assertThat(level.remainingToNext()).isEqualTo(1000);
  }

  @Test
  void reachingAThresholdExactlyHoldsThatTier() {
    Level level = levelNow(BRONZE_SILVER, earned(1000, "2026-10-01T10:00:00Z"));

    assertThat(id(level.tier())).isEqualTo("silver");
    assertThat(level.value()).isEqualTo(1000);
  }

  @Test
  void onePointShortOfAThresholdHoldsTheTierBelow() {
    Level level = levelNow(BRONZE_SILVER, earned(999, "2026-10-01T10:00:00Z"));

    assertThat(id(level.tier())).isEqualTo("bronze");
    assertThat(level.remainingToNext()).isEqualTo(1);
  }

  @Test
  void theHighestTierWhoseThresholdIsReachedIsHeld() {
    Level level =
        levelNow(
            bronzeSilverGold(),
            earned(4000, "2026-02-01T10:00:00Z"),
            earned(2000, "2026-09-01T10:00:00Z"));

    assertThat(id(level.tier())).isEqualTo("gold");
    assertThat(level.value()).isEqualTo(6000);
  }

  @Test
  void remainingToNextIsTheNextThresholdLessTheValue() {
    Level level = levelNow(bronzeSilverGold(), earned(1234, "2026-05-01T10:00:00Z"));

    assertThat(id(level.tier())).isEqualTo("silver");
    assertThat(level.next()).isEqualTo(tier("gold", 5000));
    assertThat(level.remainingToNext()).isEqualTo(5000 - 1234);
  }

  @Test
  void atTheTopThereIsNoNextTierAndNothingRemaining() {
    Level level = levelNow(BRONZE_SILVER, earned(25_000, "2026-05-01T10:00:00Z"));

    assertThat(id(level.tier())).isEqualTo("silver");
    assertThat(level.next()).isNull();
    assertThat(level.remainingToNext()).isZero();
  }

  @Test
  void contributionsInTheWindowAreSummed() {
    Level level =
        levelNow(
            BRONZE_SILVER,
            earned(400, "2025-12-01T10:00:00Z"),
            earned(500, "2026-06-01T10:00:00Z"),
            earned(100, "2026-11-22T09:59:59Z"));

    assertThat(level.value()).isEqualTo(1000);
    assertThat(id(level.tier())).isEqualTo("silver");
  }

  @Test
  void contributionsOlderThanTheWindowDoNotCount() {
    Level level =
        levelNow(
            BRONZE_SILVER,
            earned(900, "2025-11-22T09:59:59Z"),
            earned(5000, "2024-06-01T10:00:00Z"),
            earned(200, "2026-11-01T10:00:00Z"));

    assertThat(level.value()).isEqualTo(200);
    assertThat(id(level.tier())).isEqualTo("bronze");
  }

  @Test
  void contributionsAfterNowDoNotCountYet() {
    Level level = levelNow(BRONZE_SILVER, earned(1000, "2026-11-22T10:00:01Z"));

    assertThat(level.value()).isZero();
  }

  @Test
  void aContributionMadeNowCounts() {
    Level level = levelNow(BRONZE_SILVER, earned(1000, "2026-11-22T10:00:00Z"));

    assertThat(id(level.tier())).isEqualTo("silver");
  }

  @Test
  void returnsCountAgainstTheLevel() {
    Level level =
        levelNow(
            BRONZE_SILVER,
            earned(1500, "2026-09-01T10:00:00Z"),
            earned(-600, "2026-10-01T10:00:00Z"));

    assertThat(level.value()).isEqualTo(900);
    assertThat(id(level.tier())).isEqualTo("bronze");
    assertThat(level.remainingToNext()).isEqualTo(100);
  }

  @Test
  void theFirstTierNeverExpires() {
    Level level = levelNow(BRONZE_SILVER, earned(500, "2026-01-10T10:00:00Z"));

    assertThat(level.expiresAt()).isNull();
  }

  @Test
  void aLevelExpiresWhenItsOldestContributionLeavesTheWindowIfTheRestFallShort() {
    Level level =
        levelNow(
            BRONZE_SILVER,
            earned(600, "2026-01-10T10:00:00Z"),
            earned(600, "2026-03-10T10:00:00Z"),
            earned(300, "2026-05-10T10:00:00Z"));

    assertThat(id(level.tier())).isEqualTo("silver");
    assertThat(level.expiresAt()).isEqualTo(Instant.parse("2027-01-10T10:00:00Z"));
  }

  @Test
  void aLevelLastsAsLongAsTheContributionsLeftInTheWindowStillReachIt() {
    Level level =
        levelNow(
            BRONZE_SILVER,
            earned(400, "2026-01-10T10:00:00Z"),
            earned(700, "2026-03-10T10:00:00Z"),
            earned(300, "2026-05-10T10:00:00Z"));

    // 400 leaving leaves 1000, still silver; 700 leaving leaves 300
    assertThat(level.expiresAt()).isEqualTo(Instant.parse("2027-03-10T10:00:00Z"));
  }

  @Test
  void contributionsLeaveTheWindowInTimeOrderWhateverTheListOrder() {
    Level level =
        levelNow(
            BRONZE_SILVER,
            earned(300, "2026-05-10T10:00:00Z"),
            earned(700, "2026-03-10T10:00:00Z"),
            earned(400, "2026-01-10T10:00:00Z"));

    assertThat(level.expiresAt()).isEqualTo(Instant.parse("2027-03-10T10:00:00Z"));
  }

  @Test
  void aHigherTierExpiresWhenTheValueDropsBelowItsOwnThreshold() {
    Level level =
        levelNow(
            bronzeSilverGold(),
            earned(3000, "2026-01-10T10:00:00Z"),
            earned(3000, "2026-03-10T10:00:00Z"));

    assertThat(id(level.tier())).isEqualTo("gold");
    assertThat(level.expiresAt()).isEqualTo(Instant.parse("2027-01-10T10:00:00Z"));
  }

  @Test
  void theExpiryKeepsTheLocalTimeAcrossDaylightSaving() {
    Levels sixMonths = levels(6, tier("bronze", 0), tier("silver", 1000));

    // 12:00 summer time in June; the level lapses at 12:00 winter time in December
    Level level = levelNow(sixMonths, earned(1000, "2026-06-15T10:00:00Z"));

    assertThat(level.expiresAt()).isEqualTo(Instant.parse("2026-12-15T11:00:00Z"));
  }

  @Test
  void aLevelIsHeldUpToItsExpiryAndLostJustAfter() {
    Contribution[] contributions = {
      earned(600, "2026-01-10T10:00:00Z"),
      earned(600, "2026-03-10T10:00:00Z"),
      earned(300, "2026-05-10T10:00:00Z")
    };
    Instant expiresAt = Instant.parse("2027-01-10T10:00:00Z");

    assertThat(id(levelAt(expiresAt.minusSeconds(1), BRONZE_SILVER, contributions).tier()))
        .isEqualTo("silver");
    assertThat(id(levelAt(expiresAt.plusSeconds(1), BRONZE_SILVER, contributions).tier()))
        .isEqualTo("bronze");
  }

  @Test
  void aLevelIsNoLongerHeldAtTheMomentItExpires() {
    Contribution contribution = earned(1000, "2026-11-22T10:00:00Z");
    Instant expiresAt = levelNow(BRONZE_SILVER, contribution).expiresAt();
    assertThat(expiresAt).isEqualTo(Instant.parse("2027-11-22T10:00:00Z"));

    Level atExpiry = levelAt(Instant.parse("2027-11-22T10:00:00Z"), BRONZE_SILVER, contribution);

    assertThat(id(atExpiry.tier())).isEqualTo("bronze");
  }

  @Test
  void aLevelEarnedAtTheEndOfALongMonthIsLostWhenItSaysItExpires() {
    Contribution leapDay = earned(1000, "2028-02-29T10:00:00Z");
    Level level = levelAt(Instant.parse("2028-06-01T10:00:00Z"), BRONZE_SILVER, leapDay);
    assertThat(level.expiresAt()).isEqualTo(Instant.parse("2029-02-28T10:00:00Z"));

    Level afterExpiry = levelAt(Instant.parse("2029-02-28T18:00:00Z"), BRONZE_SILVER, leapDay);

    assertThat(id(afterExpiry.tier())).isEqualTo("bronze");
  }

  @Test
  void whenReturnsOutweighPurchasesInTheWindowTheNextTierIsStillTheOneAbove() {
    Level level =
        levelNow(
            BRONZE_SILVER,
            earned(100, "2026-10-01T10:00:00Z"),
            earned(-300, "2026-11-01T10:00:00Z"));

    assertThat(level.value()).isEqualTo(-200);
    assertThat(id(level.tier())).isEqualTo("bronze");
    assertThat(level.next()).isEqualTo(tier("silver", 1000));
    assertThat(level.remainingToNext()).isEqualTo(1200);
  }

  @Test
  void tierForPicksTheHighestThresholdReached() {
    Levels levels = bronzeSilverGold();

    assertThat(id(LevelPolicy.tierFor(levels, 0))).isEqualTo("bronze");
    assertThat(id(LevelPolicy.tierFor(levels, 999))).isEqualTo("bronze");
    assertThat(id(LevelPolicy.tierFor(levels, 1000))).isEqualTo("silver");
    assertThat(id(LevelPolicy.tierFor(levels, 4999))).isEqualTo("silver");
    assertThat(id(LevelPolicy.tierFor(levels, 5000))).isEqualTo("gold");
    assertThat(id(LevelPolicy.tierFor(levels, Long.MAX_VALUE))).isEqualTo("gold");
  }

  @Test
  void tierForGivesTheFirstTierBelowEveryThreshold() {
    assertThat(id(LevelPolicy.tierFor(bronzeSilverGold(), -1))).isEqualTo("bronze");
  }

  @Test
  void aLevelIsDeterminedAfterEnoughTimeHasPassed() {
    Contribution old = earned(2000, "2026-01-10T10:00:00Z");

    assertThat(id(levelAt(NOW, BRONZE_SILVER, old).tier())).isEqualTo("silver");
    assertThat(id(levelAt(NOW.plus(Duration.ofDays(60)), BRONZE_SILVER, old).tier()))
        .isEqualTo("bronze");
  }
}

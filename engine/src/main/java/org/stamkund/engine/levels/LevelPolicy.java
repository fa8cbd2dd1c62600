package org.stamkund.engine.levels;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.stamkund.engine.program.LoyaltyProgram;

/**
 * A member's level: the highest tier whose threshold the points earned (or amount spent) in the
 * last {@code windowMonths} reach, and the moment it lapses if nothing more happens.
 */
public final class LevelPolicy {

  private LevelPolicy() {}

  /** Something that counts toward a level: points earned or amount spent, at a moment. */
  public record Contribution(Instant at, long amount) {}

  /**
   * @param value the sum of contributions in the window
   * @param expiresAt when the tier lapses if nothing more happens; null for the lowest tier
   * @param next the next tier up, if any
   * @param remainingToNext what is still needed for the next tier; 0 at the top
   */
  public record Level(
      LoyaltyProgram.Tier tier,
      long value,
      @Nullable Instant expiresAt,
      LoyaltyProgram.@Nullable Tier next,
      long remainingToNext) {}

  public static Level level(
      LoyaltyProgram.Levels levels, List<Contribution> contributions, Instant now, ZoneId zone) {
    // A contribution counts from its moment until windowMonths later, exclusive: the same
    // arithmetic that dates the level's expiry, so a level lapses exactly when it says it does.
    List<Contribution> inWindow = new ArrayList<>();
    for (Contribution c : contributions) {
      if (!c.at().isAfter(now) && now.isBefore(leaves(c, levels, zone))) {
        inWindow.add(c);
      }
    }
    inWindow.sort(Comparator.comparing(Contribution::at));
    long value = inWindow.stream().mapToLong(Contribution::amount).sum();
    LoyaltyProgram.Tier tier = tierFor(levels, value);
    LoyaltyProgram.Tier next = null;
    for (LoyaltyProgram.Tier t : levels.tiers()) {
      if (t.threshold() > value && t.threshold() > tier.threshold()) {
        next = t;
        break;
      }
    }
    Instant expiresAt = null;
    if (tier.threshold() > 0) {
      long remaining = value;
      for (Contribution c : inWindow) {
        remaining -= c.amount();
        if (remaining < tier.threshold()) {
          expiresAt = leaves(c, levels, zone);
          break;
        }
      }
    }
    return new Level(tier, value, expiresAt, next, next == null ? 0 : next.threshold() - value);
  }

  private static Instant leaves(Contribution c, LoyaltyProgram.Levels levels, ZoneId zone) {
    return c.at().atZone(zone).plusMonths(levels.windowMonths()).toInstant();
  }

  /**
   * The highest tier whose threshold {@code value} reaches; the first tier below every threshold.
   */
  public static LoyaltyProgram.Tier tierFor(LoyaltyProgram.Levels levels, long value) {
    LoyaltyProgram.Tier held = levels.tiers().getFirst();
    for (LoyaltyProgram.Tier t : levels.tiers()) {
      if (value >= t.threshold()) {
        held = t;
      }
    }
    return held;
  }
}

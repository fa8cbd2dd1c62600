package org.stamkund.engine.points;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Spends points from the lots they were earned in, the one that expires first first. */
public final class Lots {

  private Lots() {}

  /**
   * Points earned together and not yet spent.
   *
   * @param expiresAt null when the lot never expires by itself
   */
  public record Lot(long lotId, long remaining, @Nullable Instant expiresAt, Instant earnedAt) {}

  /** Points taken from one lot. */
  public record Draw(long lotId, long points) {}

  /** Oldest expiry first; lots without expiry last; then oldest earned first. */
  public static final Comparator<Lot> SPENDING_ORDER =
      Comparator.comparing((Lot l) -> l.expiresAt() == null ? Instant.MAX : l.expiresAt())
          .thenComparing(Lot::earnedAt)
          .thenComparing(Lot::lotId);

  /**
   * @param points how many to spend (positive)
   * @return the draws, in spending order; together they cover at most what the lots hold
   */
  public static List<Draw> spend(long points, List<Lot> lots) {
    return spend(points, List.of(), lots);
  }

  /**
   * Spends from {@code preferred} lots first (a return takes back the points of the purchase it
   * returns), then from {@code others}; each group in spending order.
   *
   * @param points how many to spend (positive)
   * @return the draws; together they cover at most what the lots hold
   */
  public static List<Draw> spend(long points, List<Lot> preferred, List<Lot> others) {
    List<Lot> ordered = new ArrayList<>(preferred);
    ordered.sort(SPENDING_ORDER);
    List<Lot> rest = new ArrayList<>(others);
    rest.sort(SPENDING_ORDER);
    ordered.addAll(rest);
    List<Draw> draws = new ArrayList<>();
    long left = points;
    for (Lot lot : ordered) {
      if (left == 0) {
        break;
      }
      long take = Math.min(lot.remaining(), left);
      if (take > 0) {
        draws.add(new Draw(lot.lotId(), take));
        left -= take;
      }
    }
    return draws;
  }
}

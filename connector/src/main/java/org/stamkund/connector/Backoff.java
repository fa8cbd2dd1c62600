package org.stamkund.connector;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: before retry {@code n} (1-based) wait a random time in
 * {@code [0, min(max, initial * multiplier^(n-1))]}. Full jitter spreads the retries of many tills
 * that lost the engine at the same moment.
 *
 * @param initial the ceiling of the first wait; positive
 * @param max the largest ceiling; at least {@code initial}
 * @param multiplier growth of the ceiling per retry; at least 1
 */
public record Backoff(Duration initial, Duration max, double multiplier) {

  /** 50 ms doubling up to 2 s: suits calls on the purchase path and the outbox alike. */
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2), 2);

  /** Validates the values. */
  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial must be positive: " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max " + max + " is below initial " + initial);
    }
    if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
    }
  }

  /**
   * The ceiling of the wait before retry {@code retry}.
   *
   * @param retry 1 for the first retry
   */
  public Duration ceiling(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry is 1-based: " + retry);
    }
    double nanos = initial.toNanos() * Math.pow(multiplier, retry - 1);
    long capped = nanos >= max.toNanos() ? max.toNanos() : (long) nanos;
    return Duration.ofNanos(capped);
  }

  /**
   * A jittered wait before retry {@code retry}.
   *
   * @param retry 1 for the first retry
   * @param random uniform values in {@code [0, 1)}
   */
  public Duration delay(int retry, DoubleSupplier random) {
    return Duration.ofNanos((long) (ceiling(retry).toNanos() * random.getAsDouble()));
  }
}

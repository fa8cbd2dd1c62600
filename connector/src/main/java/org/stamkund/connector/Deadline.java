package org.stamkund.connector;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A point in time by which a call, or several calls sharing one budget, must end.
 *
 * @param endNanos the end on {@code nanoTime}'s scale
 * @param nanoTime the monotonic clock
 */
public record Deadline(long endNanos, LongSupplier nanoTime) {

  /** A deadline {@code budget} from now on the system's monotonic clock. */
  public static Deadline after(Duration budget) {
    return after(budget, System::nanoTime);
  }

  /** A deadline {@code budget} from now on {@code clock}. */
  public static Deadline after(Duration budget, LongSupplier clock) {
    return new Deadline(clock.getAsLong() + budget.toNanos(), clock);
  }

  /** Nanoseconds left; zero or less when spent. */
  public long remainingNanos() {
    return endNanos - nanoTime.getAsLong();
  }

  /** Whether no time is left. */
  public boolean isSpent() {
    return remainingNanos() <= 0;
  }
}

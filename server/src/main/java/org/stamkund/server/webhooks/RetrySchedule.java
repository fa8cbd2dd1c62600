package org.stamkund.server.webhooks;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * When a failed delivery is tried again: exponential backoff from a base, doubling per failure,
 * capped, with "equal jitter" (between half and all of the step) so subscribers that come back are
 * not hit by every retry at once; and when it is given up.
 */
record RetrySchedule(Duration base, Duration cap, Duration giveUpAfter) {

  /**
   * The wait after the {@code failures}-th consecutive failure.
   *
   * @param failures 1 or more
   * @param random uniform in [0, 1): the jitter
   */
  Duration delay(int failures, double random) {
    if (failures < 1) {
      throw new IllegalArgumentException("failures must be 1 or more: " + failures);
    }
    long capMillis = cap.toMillis();
    long step = base.toMillis();
    for (int i = 1; i < failures && step < capMillis; i++) {
      step *= 2;
    }
    step = Math.min(step, capMillis);
    long half = step / 2;
    return Duration.ofMillis(half + (long) ((step - half) * random));
  }

  /**
   * The next attempt after a failure, or null when the delivery is given up: when that attempt
   * would come later than {@code giveUpAfter} after the delivery was queued.
   */
  @Nullable Instant next(Instant queuedAt, Instant now, int failures, double random) {
    Instant next = now.plus(delay(failures, random));
    return next.isAfter(queuedAt.plus(giveUpAfter)) ? null : next;
  }
}

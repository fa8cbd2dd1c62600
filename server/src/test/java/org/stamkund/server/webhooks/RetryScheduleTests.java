package org.stamkund.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryScheduleTests {

  private final RetrySchedule schedule =
      new RetrySchedule(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(25));

  @Test
  void theWaitDoublesFromTheBaseUpToTheCap() {
    assertThat(schedule.delay(1, 0.999999))
        .isBetween(Duration.ofMillis(4_999), Duration.ofSeconds(5));
    assertThat(schedule.delay(2, 0.999999))
        .isBetween(Duration.ofMillis(9_999), Duration.ofSeconds(10));
    assertThat(schedule.delay(3, 0.999999))
        .isBetween(Duration.ofMillis(19_999), Duration.ofSeconds(20));
    assertThat(schedule.delay(10, 0.999999))
        .isBetween(Duration.ofMinutes(42), Duration.ofMinutes(43));
    assertThat(schedule.delay(11, 0.999999))
        .isBetween(Duration.ofMillis(3_599_000), Duration.ofHours(1));
    assertThat(schedule.delay(1_000, 0.999999))
        .isBetween(Duration.ofMillis(3_599_000), Duration.ofHours(1));
  }

  @Test
  void jitterKeepsTheWaitBetweenHalfAndAllOfTheStep() {
    assertThat(schedule.delay(3, 0.0)).isEqualTo(Duration.ofSeconds(10));
    assertThat(schedule.delay(3, 0.5)).isEqualTo(Duration.ofSeconds(15));
    for (int i = 0; i < 1_000; i++) {
      Duration d = schedule.delay(4, Math.random());
      assertThat(d).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(40));
    }
  }

  @Test
  void aFailingDeliveryIsRetriedForMoreThanADayAndThenGivenUp() {
    Instant queued = Instant.parse("2026-01-01T00:00:00Z");
    Instant now = queued;
    int failures = 0;
    Instant next;
    while ((next = schedule.next(queued, now, ++failures, 1.0 - 1e-9)) != null) {
      now = next;
    }
    assertThat(Duration.between(queued, now)).isGreaterThan(Duration.ofHours(24));
    assertThat(Duration.between(queued, now)).isLessThanOrEqualTo(Duration.ofHours(25));
    assertThat(failures).isBetween(30, 40);
  }
}

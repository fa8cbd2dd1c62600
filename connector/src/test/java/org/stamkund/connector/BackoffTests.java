package org.stamkund.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTests {

  private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2), 2);

  @Test
  void ceilingDoublesPerRetryUpToTheMaximum() {
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(50));
    assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.ceiling(7)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.ceiling(1000)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void fullJitterSpreadsTheWaitBetweenZeroAndTheCeiling() {
    assertThat(backoff.delay(3, () -> 0.0)).isEqualTo(Duration.ZERO);
    assertThat(backoff.delay(3, () -> 0.5)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delay(3, () -> 0.999_999)).isLessThan(Duration.ofMillis(200));
  }

  @Test
  void badValuesAreRefusedWithTheValueNamed() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2))
        .hasMessageContaining("initial");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
        .hasMessageContaining("max");
    assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1), 0.5))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> backoff.ceiling(0)).hasMessageContaining("1-based");
  }
}

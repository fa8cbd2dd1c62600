package org.stamkund.server.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTests {

  @Test
  void theLockStartsAfterTheFreeFailuresDoublesAndStopsAtTheLongest() {
    assertThat(LoginThrottle.lock(0)).isZero();
    assertThat(LoginThrottle.lock(LoginThrottle.FREE_FAILURES - 1)).isZero();
    assertThat(LoginThrottle.lock(LoginThrottle.FREE_FAILURES)).isEqualTo(Duration.ofSeconds(30));
    assertThat(LoginThrottle.lock(LoginThrottle.FREE_FAILURES + 1))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(LoginThrottle.lock(LoginThrottle.FREE_FAILURES + 4))
        .isEqualTo(Duration.ofMinutes(8));
    assertThat(LoginThrottle.lock(LoginThrottle.FREE_FAILURES + 5))
        .isEqualTo(Duration.ofMinutes(15));
    assertThat(LoginThrottle.lock(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(15));
  }
}

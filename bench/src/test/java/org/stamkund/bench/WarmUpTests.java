package org.stamkund.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WarmUpTests {

  private static final Duration WINDOW = Duration.ofMillis(40);

  @Test
  void warmUpGoesOnWhileTheJitCompilesAndEndsInTheFirstQuietWindow() throws Exception {
    AtomicInteger probes = new AtomicInteger();
    // Busy for the first three windows: each probe reads a core's full window more.
    Load.WarmUp warmUp =
        new Load.WarmUp(
            Duration.ofMillis(20),
            Duration.ofSeconds(10),
            WINDOW,
            () -> Math.min(probes.getAndIncrement(), 6) * (double) WINDOW.toMillis());

    Duration took = warmUp.await();

    // Windows 1-3 busy (probes 0-1, 2-3, 4-5), window 4 quiet (probes 6-7).
    assertThat(probes.get()).isEqualTo(8);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(20).plus(WINDOW.multipliedBy(4)));
  }

  @Test
  void aJitThatNeverQuietsIsWaitedForAtMostTheLongestWarmUp() throws Exception {
    AtomicInteger probes = new AtomicInteger();
    Load.WarmUp warmUp =
        new Load.WarmUp(
            Duration.ofMillis(20),
            Duration.ofMillis(300),
            WINDOW,
            () -> probes.getAndIncrement() * (double) WINDOW.toMillis());

    Duration took = warmUp.await();

    assertThat(took).isLessThanOrEqualTo(Duration.ofMillis(300 + 200));
    assertThat(probes.get()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aScenarioWithoutAServerWarmsUpForTheLeastOnly() throws Exception {
    Duration took = Load.WarmUp.fixed(Duration.ofMillis(30)).await();

    assertThat(took).isBetween(Duration.ofMillis(30), Duration.ofMillis(30 + 200));
  }
}

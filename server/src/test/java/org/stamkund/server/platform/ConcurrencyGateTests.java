package org.stamkund.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class ConcurrencyGateTests {

  @Test
  void noMoreThanItsPermitsWorkAtOnce() throws Exception {
    ConcurrencyGate gate = new ConcurrencyGate(3, Duration.ofSeconds(30));
    AtomicInteger working = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();

    try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 40; i++) {
        callers.submit(
            () ->
                gate.run(
                    () -> {
                      most.accumulateAndGet(working.incrementAndGet(), Math::max);
                      sleep(5);
                      return working.decrementAndGet();
                    }));
      }
    }

    assertThat(most.get()).isEqualTo(3);
    assertThat(working.get()).isZero();
  }

  @Test
  void callersTakeTheirTurnsInTheOrderTheyCame() throws Exception {
    ConcurrencyGate gate = new ConcurrencyGate(1, Duration.ofSeconds(30));
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> order = new CopyOnWriteArrayList<>();

    try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
      holdTheOnlyTurn(gate, callers, release);
      for (int i = 1; i <= 10; i++) {
        int caller = i;
        callers.submit(() -> gate.run(() -> order.add(caller)));
        // The next caller comes only once this one waits in line.
        while (gate.waiting() < i) {
          Thread.onSpinWait();
        }
      }
      release.countDown();
    }

    assertThat(order).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
  }

  @Test
  void aCallerWhoseTurnDoesNotComeInTimeIsAnsweredServiceBusy() throws Exception {
    ConcurrencyGate gate = new ConcurrencyGate(1, Duration.ofMillis(50));
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();

    try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
      holdTheOnlyTurn(gate, callers, release);

      assertThatThrownBy(() -> gate.run(ran::incrementAndGet))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                assertThat(e.errorCode()).isEqualTo("ServiceBusy");
              });
      release.countDown();
    }

    assertThat(ran.get()).isZero();
    assertThat(gate.run(ran::incrementAndGet)).isEqualTo(1);
  }

  @Test
  void workThatFailsGivesItsTurnBack() {
    ConcurrencyGate gate = new ConcurrencyGate(1, Duration.ofMillis(50));

    assertThatThrownBy(
            () ->
                gate.run(
                    () -> {
                      throw new IllegalStateException("broken");
                    }))
        .hasMessage("broken");

    assertThat(gate.run(() -> "next")).isEqualTo("next");
  }

  @Test
  void aGateNeedsAPermit() {
    assertThatThrownBy(() -> new ConcurrencyGate(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Takes the gate's only turn on one of {@code callers} until {@code release}; returns once held.
   */
  private static void holdTheOnlyTurn(
      ConcurrencyGate gate, java.util.concurrent.ExecutorService callers, CountDownLatch release)
      throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(1);
    callers.submit(
        () ->
            gate.run(
                () -> {
                  holding.countDown();
                  await(release);
                  return 0;
                }));
    holding.await();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

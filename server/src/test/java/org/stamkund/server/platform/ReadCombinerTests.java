package org.stamkund.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ReadCombinerTests {

  @Test
  void eachCallerGetsTheAnswerForItsOwnKeyAndWaitingCallersAreReadTogether() throws Exception {
    ReadCombiner combiner = new ReadCombiner(1, Duration.ofSeconds(30), 16);
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    ReadCombiner.BatchRead<Integer, String> read =
        keys -> {
          batches.add(keys);
          sleep(20);
          Map<Integer, String> found = new HashMap<>();
          keys.stream().filter(k -> k % 5 != 0).forEach(k -> found.put(k, "value " + k));
          return found;
        };

    List<Future<String>> answers = new ArrayList<>();
    try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 1; i <= 40; i++) {
        int key = i;
        answers.add(callers.submit(() -> String.valueOf(combiner.read("r", key, read))));
      }
    }

    for (int i = 1; i <= 40; i++) {
      assertThat(answers.get(i - 1).get()).isEqualTo(i % 5 == 0 ? "null" : "value " + i);
    }
    assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(40);
    assertThat(batches.size()).isLessThan(40);
    assertThat(batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(16));
  }

  @Test
  void aKeyAskedTwiceAtOnceIsReadOnce() throws Exception {
    ReadCombiner combiner = new ReadCombiner(1, Duration.ofSeconds(30), 16);
    CountDownLatch release = new CountDownLatch(1);
    List<List<String>> batches = new CopyOnWriteArrayList<>();

    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      // The first read holds the only turn while two callers queue the same key.
      holdTheOnlyTurn(combiner, "r", callers, release);
      ReadCombiner.BatchRead<String, String> read =
          keys -> {
            batches.add(keys);
            return Map.of("same", "answer");
          };
      Future<String> one = callers.submit(() -> combiner.read("r", "same", read));
      Future<String> two = callers.submit(() -> combiner.read("r", "same", read));
      Thread.sleep(100);
      release.countDown();

      assertThat(one.get()).isEqualTo("answer");
      assertThat(two.get()).isEqualTo("answer");
    }
    assertThat(batches).containsExactly(List.of("same"));
  }

  @Test
  void aFailedReadFailsItsCallersAndTheNextReadWorks() {
    ReadCombiner combiner = new ReadCombiner(2, Duration.ofSeconds(30), 16);

    assertThatThrownBy(
            () ->
                combiner.read(
                    "r",
                    1,
                    keys -> {
                      throw new IllegalStateException("database gone");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("database gone");

    assertThat(combiner.read("r", 2, (List<Integer> keys) -> Map.of(2, "back"))).isEqualTo("back");
  }

  @Test
  void readsOfDifferentNamesAreNeverMixed() throws Exception {
    ReadCombiner combiner = new ReadCombiner(1, Duration.ofSeconds(30), 16);
    List<String> seen = new CopyOnWriteArrayList<>();

    List<Future<String>> answers = new ArrayList<>();
    try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 30; i++) {
        String name = i % 2 == 0 ? "even" : "odd";
        int key = i;
        answers.add(
            callers.submit(
                () ->
                    combiner.read(
                        name,
                        key,
                        (List<Integer> keys) -> {
                          keys.forEach(k -> seen.add(name + ":" + (k % 2 == 0 ? "even" : "odd")));
                          sleep(5);
                          Map<Integer, String> found = new HashMap<>();
                          keys.forEach(k -> found.put(k, name));
                          return found;
                        })));
      }
    }

    for (int i = 0; i < 30; i++) {
      assertThat(answers.get(i).get()).isEqualTo(i % 2 == 0 ? "even" : "odd");
    }
    assertThat(seen).containsOnly("even:even", "odd:odd");
  }

  @Test
  void noMoreCallersReadAtOnceThanItsReaders() throws Exception {
    ReadCombiner combiner = new ReadCombiner(3, Duration.ofSeconds(30), 1);
    java.util.concurrent.atomic.AtomicInteger reading =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger most =
        new java.util.concurrent.atomic.AtomicInteger();

    try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 40; i++) {
        int key = i;
        callers.submit(
            () ->
                combiner.read(
                    "r",
                    key,
                    (List<Integer> keys) -> {
                      most.accumulateAndGet(reading.incrementAndGet(), Math::max);
                      sleep(5);
                      reading.decrementAndGet();
                      return Map.of(keys.getFirst(), "v");
                    }));
      }
    }

    assertThat(most.get()).isEqualTo(3);
  }

  @Test
  void aCallerWithNeitherAnAnswerNorATurnInTimeIsAnsweredServiceBusy() throws Exception {
    ReadCombiner combiner = new ReadCombiner(1, Duration.ofMillis(50), 16);
    CountDownLatch release = new CountDownLatch(1);

    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      holdTheOnlyTurn(combiner, "slow", callers, release);

      assertThatThrownBy(() -> combiner.read("other", "late", keys -> Map.of("late", "never")))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.status())
                    .isEqualTo(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE);
                assertThat(e.errorCode()).isEqualTo("ServiceBusy");
              });
      release.countDown();
    }

    String next = combiner.read("other", "next", (List<String> keys) -> Map.of("next", "read"));
    assertThat(next).isEqualTo("read");
  }

  @Test
  void everyCallerWaitingLongerThanThePatienceIsAnsweredServiceBusyNotOnlyTheFirst()
      throws Exception {
    ReadCombiner combiner = new ReadCombiner(1, Duration.ofMillis(50), 16);
    CountDownLatch release = new CountDownLatch(1);

    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      holdTheOnlyTurn(combiner, "slow", callers, release);
      List<java.util.concurrent.Future<String>> late = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String key = "late-" + i;
        late.add(callers.submit(() -> combiner.read("other", key, keys -> Map.of(key, "never"))));
      }

      for (java.util.concurrent.Future<String> answer : late) {
        assertThatThrownBy(() -> answer.get(5, java.util.concurrent.TimeUnit.SECONDS))
            .hasCauseInstanceOf(ApiException.class)
            .cause()
            .hasFieldOrPropertyWithValue("errorCode", "ServiceBusy");
      }
      release.countDown();
    }
  }

  @Test
  void anInterruptedCallerWaitingForATurnIsAnsweredServiceBusyAtOnceAndLeavesNoTurnBehind()
      throws Exception {
    ReadCombiner combiner = new ReadCombiner(1, Duration.ofSeconds(30), 16);
    CountDownLatch release = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();

    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      holdTheOnlyTurn(combiner, "slow", callers, release);
      Thread waiter =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      combiner.read("other", "late", keys -> Map.of("late", "never"));
                    } catch (RuntimeException e) {
                      failure.set(e);
                    }
                  });
      while (waiter.getState() != Thread.State.WAITING) {
        sleep(5);
      }
      waiter.interrupt();
      assertThat(waiter.join(Duration.ofSeconds(5))).as("answered before its patience").isTrue();
      assertThat(failure.get())
          .isInstanceOfSatisfying(
              ApiException.class, e -> assertThat(e.errorCode()).isEqualTo("ServiceBusy"));
      release.countDown();
    }

    String next = combiner.read("other", "next", (List<String> keys) -> Map.of("next", "read"));
    assertThat(next).isEqualTo("read");
  }

  /** Starts a read of {@code name} that holds the combiner's only turn until {@code release}. */
  private static void holdTheOnlyTurn(
      ReadCombiner combiner, String name, ExecutorService callers, CountDownLatch release)
      throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(1);
    callers.submit(
        () ->
            combiner.read(
                name,
                "first",
                keys -> {
                  holding.countDown();
                  await(release);
                  return Map.of();
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

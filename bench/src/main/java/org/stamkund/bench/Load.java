package org.stamkund.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * Runs one operation from many concurrent clients for a warm-up that is not counted, then for a
 * fixed duration, recording each call's latency in an HdrHistogram.
 *
 * <p>The warm-up lasts at least its least duration, then until the server's JIT compilers are
 * quiet, or its most duration has passed. A server that has run for hours has compiled its hot
 * paths; one started a minute ago still compiles them, and on a slow machine the compiler took as
 * much CPU as the server's request threads 30 s into a scenario (docs/performance.md).
 */
final class Load {

  /** One call of the scenario; throws when the call failed. */
  @FunctionalInterface
  interface Operation {
    void call(int client) throws Exception;
  }

  /** Where the clients report each call they finish. Called from any thread. */
  interface Calls {
    void succeeded(long nanos);

    void failed();
  }

  /** The concurrent clients of a scenario, started for one slice of it. */
  @FunctionalInterface
  interface Clients {
    /**
     * Starts {@code clients} clients, each making one call after another and reporting it to {@code
     * calls}; closing what is returned stops them once each has finished its call.
     */
    Running start(int clients, Calls calls) throws Exception;
  }

  /** Clients at work: {@link #close} stops them and waits for them. */
  @FunctionalInterface
  interface Running extends AutoCloseable {
    @Override
    void close() throws InterruptedException;
  }

  /**
   * A platform thread per client, each calling {@code operation}: for blocking calls such as JDBC.
   * A blocking read waits in the kernel, where a virtual thread's would park, register with the
   * poller and be scheduled again (0.041 ms of CPU a lookup against 0.027 ms, CPU the server under
   * test needs too).
   */
  static Clients threads(Operation operation) {
    return (clients, calls) -> {
      AtomicBoolean running = new AtomicBoolean(true);
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      for (int c = 0; c < clients; c++) {
        int client = c;
        pool.submit(
            () -> {
              while (running.get()) {
                long start = System.nanoTime();
                try {
                  operation.call(client);
                  calls.succeeded(System.nanoTime() - start);
                } catch (Exception e) {
                  calls.failed();
                }
              }
            });
      }
      return () -> {
        running.set(false);
        pool.close();
      };
    };
  }

  /** Throughput and latency percentiles of a scenario, and its failed calls. */
  record Result(
      double perSecond,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      long calls,
      long errors,
      double serverCpuMsPerCall,
      double postgresCpuMsPerCall,
      double loadCpuMsPerCall,
      double walKbPerCall,
      double warmUpSeconds,
      Statements statements,
      Lanes lanes,
      double serverWaitMsPerCall,
      double postgresWaitMsPerCall) {}

  /**
   * How long a scenario warms up: at least {@code least}; then, with a JIT probe, until the JIT
   * compilers used under {@link #QUIET} of a core over one {@code window}, and at most {@code
   * most}.
   *
   * @param jitMs the server's JIT compilers' CPU milliseconds so far; null when no server runs the
   *     scenario (the ceilings), which then warms up for {@code least} only
   */
  record WarmUp(Duration least, Duration most, Duration window, @Nullable DoubleSupplier jitMs) {

    static final Duration WINDOW = Duration.ofSeconds(5);
    static final double QUIET = 0.05;

    WarmUp(Duration least, Duration most, DoubleSupplier jitMs) {
      this(least, most, WINDOW, jitMs);
    }

    static WarmUp fixed(Duration duration) {
      return new WarmUp(duration, duration, WINDOW, null);
    }

    /** Sleeps out the warm-up; returns its length. */
    Duration await() throws InterruptedException {
      long started = System.nanoTime();
      Thread.sleep(least.toMillis());
      DoubleSupplier probe = jitMs;
      if (probe != null) {
        while (Duration.ofNanos(System.nanoTime() - started).plus(window).compareTo(most) <= 0) {
          double before = probe.getAsDouble();
          Thread.sleep(window.toMillis());
          if (probe.getAsDouble() - before < QUIET * window.toMillis()) {
            break;
          }
        }
      }
      return Duration.ofNanos(System.nanoTime() - started);
    }
  }

  private Load() {}

  /** The figures of a scenario that did not run. */
  static final Result NONE =
      new Result(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, new Statements(), Lanes.NONE, 0, 0);

  /** How long a scenario settles, uncounted, before each of its slices after the first. */
  static final Duration SETTLE = Duration.ofSeconds(3);

  /** One scenario measured alone. */
  static Result run(int clients, WarmUp warmUp, Duration measured, CpuMeter cpu, Clients scenario)
      throws Exception {
    Tally tally = new Tally();
    measure(clients, warmUp, measured, cpu, scenario, tally);
    return tally.result();
  }

  /**
   * Two scenarios measured in alternating slices (first, second, first, …) that add up to {@code
   * measured} each. A shared machine's speed drifts by a third within minutes
   * (docs/performance.md); measured in turns, both scenarios see the same drift, so their ratio
   * holds. Each warms up fully before its first slice and settles for {@link #SETTLE} before each
   * later one.
   */
  static List<Result> alternate(
      int clients,
      Duration measured,
      int slices,
      CpuMeter cpu,
      WarmUp firstWarmUp,
      Clients first,
      WarmUp secondWarmUp,
      Clients second)
      throws Exception {
    Tally one = new Tally();
    Tally other = new Tally();
    Duration slice = measured.dividedBy(slices);
    for (int i = 0; i < slices; i++) {
      measure(clients, i == 0 ? firstWarmUp : WarmUp.fixed(SETTLE), slice, cpu, first, one);
      measure(clients, i == 0 ? secondWarmUp : WarmUp.fixed(SETTLE), slice, cpu, second, other);
    }
    return List.of(one.result(), other.result());
  }

  /** A scenario's calls, time and CPU, summed over the slices it was measured in. */
  private static final class Tally {
    private final Histogram latencies = new Histogram(3);
    private long elapsedNanos;
    private long errors;
    private double serverMs;
    private double postgresMs;
    private double loadMs;
    private double serverWaitMs;
    private double postgresWaitMs;
    private double walBytes;
    private double warmUpSeconds = -1;
    private final Statements statements = new Statements();
    private Lanes lanes = Lanes.NONE;

    Result result() {
      long calls = latencies.getTotalCount();
      return new Result(
          elapsedNanos == 0 ? 0 : calls / (elapsedNanos / 1e9),
          latencies.getValueAtPercentile(50) / 1e6,
          latencies.getValueAtPercentile(99) / 1e6,
          latencies.getValueAtPercentile(99.9) / 1e6,
          calls,
          errors,
          calls == 0 ? 0 : serverMs / calls,
          calls == 0 ? 0 : postgresMs / calls,
          calls == 0 ? 0 : loadMs / calls,
          calls == 0 ? 0 : walBytes / 1024.0 / calls,
          Math.max(0, warmUpSeconds),
          statements,
          lanes,
          calls == 0 ? 0 : serverWaitMs / calls,
          calls == 0 ? 0 : postgresWaitMs / calls);
    }
  }

  /** Warms up, then measures one slice into the tally. */
  private static void measure(
      int clients, WarmUp warmUp, Duration measured, CpuMeter cpu, Clients scenario, Tally tally)
      throws Exception {
    Recorder recorder = new Recorder(3);
    AtomicBoolean counting = new AtomicBoolean(false);
    AtomicLong errors = new AtomicLong();
    Calls calls =
        new Calls() {
          @Override
          public void succeeded(long nanos) {
            if (counting.get()) {
              recorder.recordValue(nanos);
            }
          }

          @Override
          public void failed() {
            if (counting.get()) {
              errors.incrementAndGet();
            }
          }
        };
    Histogram histogram;
    CpuMeter.Sample before;
    CpuMeter.Sample after;
    long elapsed;
    Duration warmedUp;
    try (Running running = scenario.start(clients, calls)) {
      warmedUp = warmUp.await();
      recorder.reset();
      counting.set(true);
      before = cpu.sample();
      long started = System.nanoTime();
      histogram = new Histogram(3);
      Timeline timeline = Timeline.start();
      for (long left = measured.toNanos();
          left > 0;
          left = started + measured.toNanos() - System.nanoTime()) {
        Thread.sleep(Math.min(1000, Math.max(1, left / 1_000_000)));
        Histogram second = recorder.getIntervalHistogram();
        histogram.add(second);
        if (timeline != null) {
          timeline.second(second);
        }
      }
      if (timeline != null) {
        timeline.close();
      }
      after = cpu.sample();
      elapsed = System.nanoTime() - started;
      counting.set(false);
    }
    tally.latencies.add(histogram);
    tally.elapsedNanos += elapsed;
    tally.errors += errors.get();
    tally.serverMs += after.serverMs() - before.serverMs();
    tally.postgresMs += after.postgresMs() - before.postgresMs();
    tally.loadMs += after.loadMs() - before.loadMs();
    tally.serverWaitMs += after.serverWaitMs() - before.serverWaitMs();
    tally.postgresWaitMs += after.postgresWaitMs() - before.postgresWaitMs();
    tally.walBytes += after.walBytes() - before.walBytes();
    tally.statements.add(before.statements(), after.statements());
    tally.lanes = tally.lanes.plus(before.lanes(), after.lanes());
    if (tally.warmUpSeconds < 0) {
      tally.warmUpSeconds = warmedUp.toMillis() / 1000.0;
    }
  }
}

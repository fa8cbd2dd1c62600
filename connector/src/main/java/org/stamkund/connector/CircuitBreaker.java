package org.stamkund.connector;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A circuit breaker: after {@code failureThreshold} failures in a row it opens and refuses every
 * call at once for {@code openDuration}; then it lets {@code halfOpenProbes} calls through
 * (half-open). A success there closes it; a failure opens it again. So a dead engine costs a
 * purchase nothing once detected. Thread-safe.
 */
public final class CircuitBreaker {

  /** The breaker's state. */
  public enum State {
    /** Calls pass; failures are counted. */
    CLOSED,
    /** Calls are refused until the open period ends. */
    OPEN,
    /** A few probe calls pass; their outcome closes or re-opens the breaker. */
    HALF_OPEN
  }

  /**
   * Thresholds.
   *
   * @param failureThreshold failures in a row that open the breaker; at least 1
   * @param openDuration how long an open breaker refuses calls; positive
   * @param halfOpenProbes calls let through at once while half-open; at least 1
   */
  public record Config(int failureThreshold, Duration openDuration, int halfOpenProbes) {

    /** 5 failures in a row, open for 5 s, one probe. */
    public static final Config DEFAULT = new Config(5, Duration.ofSeconds(5), 1);

    /** Validates the values. */
    public Config {
      Objects.requireNonNull(openDuration, "openDuration");
      if (failureThreshold < 1) {
        throw new IllegalArgumentException(
            "failureThreshold must be at least 1: " + failureThreshold);
      }
      if (openDuration.isNegative() || openDuration.isZero()) {
        throw new IllegalArgumentException("openDuration must be positive: " + openDuration);
      }
      if (halfOpenProbes < 1) {
        throw new IllegalArgumentException("halfOpenProbes must be at least 1: " + halfOpenProbes);
      }
    }
  }

  private final Config config;
  private final LongSupplier nanoTime;
  private State state = State.CLOSED;
  private int failures;
  private long openedAt;
  private int probesInFlight;
  private long opened;

  /**
   * @param config thresholds
   * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime})
   */
  public CircuitBreaker(Config config, LongSupplier nanoTime) {
    this.config = Objects.requireNonNull(config, "config");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /**
   * Asks to make a call. When this answers true the caller must report the outcome with {@link
   * #onSuccess()} or {@link #onFailure()}.
   */
  public synchronized boolean tryAcquire() {
    return switch (state) {
      case CLOSED -> true;
      case OPEN -> {
        if (nanoTime.getAsLong() - openedAt < config.openDuration().toNanos()) {
          yield false;
        }
        state = State.HALF_OPEN;
        probesInFlight = 1;
        yield true;
      }
      case HALF_OPEN -> {
        if (probesInFlight >= config.halfOpenProbes()) {
          yield false;
        }
        probesInFlight++;
        yield true;
      }
    };
  }

  /** The engine answered (any status below 500 counts: it is alive). */
  public synchronized void onSuccess() {
    failures = 0;
    probesInFlight = 0;
    state = State.CLOSED;
  }

  /** The engine did not answer, or answered 5xx. */
  public synchronized void onFailure() {
    if (state == State.HALF_OPEN) {
      open();
      return;
    }
    failures++;
    if (state == State.CLOSED && failures >= config.failureThreshold()) {
      open();
    }
  }

  private void open() {
    state = State.OPEN;
    openedAt = nanoTime.getAsLong();
    probesInFlight = 0;
    failures = 0;
    opened++;
  }

  /** The current state (an open breaker whose period ended still reads OPEN until a call). */
  public synchronized State state() {
    return state;
  }

  /** How many times the breaker has opened since it was made. */
  public synchronized long timesOpened() {
    return opened;
  }
}

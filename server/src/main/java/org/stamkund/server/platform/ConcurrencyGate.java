package org.stamkund.server.platform;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Lets a fixed number of callers work at once; the others wait their turn in the order they came,
 * and give up with 503 {@code ServiceBusy} when their turn does not come in time.
 *
 * <p>Virtual threads take on every request that arrives, so without a gate 64 clients' lookups
 * become 64 statements in PostgreSQL at once, each in its own backend competing for the same cores,
 * and 64 requests competing for the connection pool, whose hand-off spins while they wait. With
 * eight at a time, PostgreSQL's CPU a lookup fell by a quarter on the two-core benchmark machine
 * and the slowest lookups waited in line instead of behind luckier ones (docs/performance.md,
 * "Fourteenth session").
 */
public final class ConcurrencyGate {

  private final Semaphore turns;
  private final long patienceNanos;

  /**
   * @param permits how many callers may work at once
   * @param patience how long a caller waits for its turn before it is answered 503
   */
  public ConcurrencyGate(int permits, Duration patience) {
    if (permits < 1) {
      throw new IllegalArgumentException("a gate needs at least one permit, got " + permits);
    }
    this.turns = new Semaphore(permits, true);
    this.patienceNanos = patience.toNanos();
  }

  /**
   * Runs {@code work} in the caller's turn.
   *
   * @throws ApiException 503 {@code ServiceBusy} when the turn did not come within the patience
   */
  public <T> T run(Supplier<T> work) {
    try {
      if (!turns.tryAcquire(patienceNanos, TimeUnit.NANOSECONDS)) {
        throw ApiException.busy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.busy();
    }
    try {
      return work.get();
    } finally {
      turns.release();
    }
  }

  /** How many callers wait for their turn now. */
  int waiting() {
    return turns.getQueueLength();
  }
}

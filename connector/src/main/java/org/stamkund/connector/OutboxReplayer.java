package org.stamkund.connector;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Sends buffered calls when the engine answers again: each kind's queue in order, the head first;
 * when the head fails in a retryable way its queue waits (exponential backoff with jitter) so no
 * entry overtakes it. A refused head is given up as dead and the queue moves on.
 */
public final class OutboxReplayer implements AutoCloseable {

  private final Outbox outbox;
  private final StamkundClient client;
  private final OutboxListener listener;
  private final Backoff backoff;
  private final int batch;
  private final AtomicBoolean running = new AtomicBoolean();
  private final Object passLock = new Object();
  private @Nullable ScheduledExecutorService scheduler;
  private @Nullable ScheduledFuture<?> periodic;

  /**
   * @param client the view to send with (its budget bounds each delivery)
   * @param backoff waits between attempts of a failing head
   * @param batch most entries one kind sends in one pass
   */
  public OutboxReplayer(
      Outbox outbox, StamkundClient client, OutboxListener listener, Backoff backoff, int batch) {
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.client = Objects.requireNonNull(client, "client");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1: " + batch);
    }
    this.batch = batch;
  }

  /** Starts a daemon thread that runs a pass every {@code interval}, and purges expired data. */
  public synchronized void start(Duration interval) {
    if (scheduler != null) {
      return;
    }
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "stamkund-outbox-replayer");
              t.setDaemon(true);
              return t;
            });
    scheduler = s;
    long millis = Math.max(1, interval.toMillis());
    periodic = s.scheduleWithFixedDelay(this::safePass, 0, millis, TimeUnit.MILLISECONDS);
  }

  /** Asks for a pass soon (after a call was buffered). */
  public synchronized void wake() {
    ScheduledExecutorService s = scheduler;
    if (s != null && !s.isShutdown()) {
      s.execute(this::safePass);
    }
  }

  private void safePass() {
    try {
      outbox.purgeExpired();
      replayOnce();
    } catch (RuntimeException e) {
      // A broken pass must not stop the schedule; the status shows the last error.
    }
  }

  /**
   * Runs one pass over every queue now, on the caller's thread.
   *
   * @return how many entries were delivered
   */
  public int replayOnce() {
    synchronized (passLock) {
      if (!running.compareAndSet(false, true)) {
        return 0;
      }
      try {
        int delivered = 0;
        for (String kind : outbox.pendingKinds()) {
          delivered += replayKind(kind);
        }
        return delivered;
      } finally {
        running.set(false);
      }
    }
  }

  private int replayKind(String kind) {
    int delivered = 0;
    for (int i = 0; i < batch; i++) {
      if (!outbox.headIsDue(kind)) {
        return delivered;
      }
      OutboxEntry head = outbox.head(kind);
      if (head == null) {
        return delivered;
      }
      try {
        ApiResponse response = client.send(head.request());
        listener.delivered(head, response);
        outbox.delivered(head.id());
        delivered++;
      } catch (StamkundException e) {
        if (e.isRetryable()) {
          int attempts = head.attempts() + 1;
          if (head.maxAttempts() > 0 && attempts >= head.maxAttempts()) {
            listener.dead(head, e);
            outbox.dead(head.id(), describe(e));
            continue;
          }
          Duration wait = backoff.delay(Math.min(attempts, 30), this::random);
          outbox.failed(head.id(), describe(e), wait);
          return delivered;
        }
        if (listener.refusalMeansDelivered(head, e)) {
          outbox.delivered(head.id());
          delivered++;
        } else {
          listener.dead(head, e);
          outbox.dead(head.id(), describe(e));
        }
      }
    }
    return delivered;
  }

  private double random() {
    return 0.5 + ThreadLocalRandom.current().nextDouble() / 2;
  }

  private static String describe(StamkundException e) {
    return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
  }

  @Override
  public synchronized void close() {
    ScheduledFuture<?> p = periodic;
    if (p != null) {
      p.cancel(false);
    }
    ScheduledExecutorService s = scheduler;
    if (s != null) {
      s.shutdownNow();
      try {
        s.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    scheduler = null;
  }
}

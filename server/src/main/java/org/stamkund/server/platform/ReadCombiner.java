package org.stamkund.server.platform;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Reads that arrive together, answered together: a caller queues its key and waits for a turn to
 * read (a fixed number of callers read at once; a turn passes to the caller that has waited
 * longest); whoever has a turn answers the keys queued for the same read with one call of its batch
 * function and wakes their callers, and a caller whose key was read meanwhile returns without a
 * turn. Under load a statement then answers several lookups, and its fixed cost, most of a point
 * lookup's in PostgreSQL, is shared; a lone caller reads alone, at once.
 *
 * <p>The batch function is called outside any transaction of the callers, so only reads that need
 * not see a caller's own uncommitted writes belong here.
 */
public final class ReadCombiner {

  /** Reads many keys at once: the answer for each key read, absent for a key with none. */
  @FunctionalInterface
  public interface BatchRead<K, V> {
    Map<K, V> read(List<K> keys);
  }

  /**
   * A queued key. {@code turn} completes true when the caller is handed a turn to read, false when
   * its answer came first: a caller whose key another caller read never waits for a turn.
   */
  private record Pending<K, V>(
      K key,
      CompletableFuture<@Nullable V> answer,
      CompletableFuture<Boolean> turn,
      long queuedAt) {

    void answered(@Nullable V value) {
      answer.complete(value);
      turn.complete(false);
    }

    void failed(Throwable failure) {
      answer.completeExceptionally(failure);
      turn.complete(false);
    }
  }

  private final long patienceNanos;
  private final int maxBatch;
  private final Map<Object, Queue<Pending<?, ?>>> queues = new ConcurrentHashMap<>();
  private final ReentrantLock turns = new ReentrantLock();
  private final ArrayDeque<Pending<?, ?>> waiting = new ArrayDeque<>();
  private int free;
  private boolean watching;

  /**
   * @param readers how many callers may read at once
   * @param patience how long a caller waits for its answer or its turn before it is answered 503
   *     (up to a quarter longer)
   * @param maxBatch the most keys one call of a batch function reads
   */
  public ReadCombiner(int readers, Duration patience, int maxBatch) {
    if (readers < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("readers and maxBatch must be positive");
    }
    this.free = readers;
    this.patienceNanos = patience.toNanos();
    this.maxBatch = maxBatch;
  }

  /**
   * Reads one key.
   *
   * @param read names the read: keys queued under equal names are read by one call of {@code
   *     batch}, so equal names must come with the same batch function
   * @return the answer for {@code key}, or null when the batch read none for it
   * @throws ApiException 503 {@code ServiceBusy} when neither an answer nor a turn came in time
   */
  public <K, V> @Nullable V read(Object read, K key, BatchRead<K, V> batch) {
    Pending<K, V> mine =
        new Pending<>(key, new CompletableFuture<>(), new CompletableFuture<>(), System.nanoTime());
    Queue<Pending<?, ?>> queue = queues.computeIfAbsent(read, r -> new ConcurrentLinkedQueue<>());
    queue.add(mine);
    if (awaitTurn(mine)) {
      try {
        // Read what waits until this caller's own key is answered: by this caller's batch, or by
        // another caller's that took it, which the join below waits for.
        while (!mine.answer().isDone()) {
          List<Pending<K, V>> taken = take(queue);
          if (taken.isEmpty()) {
            break;
          }
          answer(taken, batch);
        }
      } finally {
        passTurn();
      }
    }
    try {
      return mine.answer().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw e;
    }
  }

  /**
   * True when the caller got a turn to read; false when its answer came first, or when neither came
   * within the patience (then it is answered 503). The caller waits without a timeout of its own: a
   * virtual thread's timed wait schedules a timer and cancels it, some twenty thousand a second
   * under load, where one {@link #watch watcher} looks at the longest waiting a few times a
   * patience (docs/performance.md, "Twenty-second session").
   */
  private boolean awaitTurn(Pending<?, ?> mine) {
    turns.lock();
    try {
      if (free > 0) {
        free--;
        return true;
      }
      waiting.add(mine);
      if (!watching) {
        try {
          Thread.ofVirtual().name("read-combiner-patience").start(this::watch);
        } catch (RuntimeException | Error failed) {
          // Not waiting after all, so no turn is handed to a caller that has gone.
          waiting.remove(mine);
          throw failed;
        }
        watching = true;
      }
    } finally {
      turns.unlock();
    }
    boolean turn;
    try {
      turn = mine.turn().get();
    } catch (InterruptedException e) {
      // Interrupted: gives up as if its patience ran out, unless handed a turn just now.
      Thread.currentThread().interrupt();
      turns.lock();
      try {
        turn = !mine.turn().complete(false) && mine.turn().join();
        if (!turn) {
          waiting.remove(mine);
        }
      } finally {
        turns.unlock();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    if (!turn && !mine.answer().isDone()) {
      mine.failed(ApiException.busy());
    }
    return turn;
  }

  /**
   * While callers wait for a turn, ends the wait of those that waited longer than the patience,
   * every quarter of a patience: a caller gives up after one to one and a quarter patiences.
   */
  private void watch() {
    long pause = Math.max(patienceNanos / 4, TimeUnit.MILLISECONDS.toNanos(1));
    while (true) {
      try {
        TimeUnit.NANOSECONDS.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      turns.lock();
      try {
        long now = System.nanoTime();
        // The longest waiting first: the queue is in the order the callers came.
        for (Pending<?, ?> head = waiting.peek();
            head != null && now - head.queuedAt() >= patienceNanos;
            head = waiting.peek()) {
          waiting.poll();
          head.turn().complete(false);
        }
        if (waiting.isEmpty() || Thread.currentThread().isInterrupted()) {
          watching = false;
          return;
        }
      } finally {
        turns.unlock();
      }
    }
  }

  /** Hands the turn to the longest-waiting caller still without an answer, or frees it. */
  private void passTurn() {
    turns.lock();
    try {
      for (Pending<?, ?> next = waiting.poll(); next != null; next = waiting.poll()) {
        if (next.turn().complete(true)) {
          return;
        }
      }
      free++;
    } finally {
      turns.unlock();
    }
  }

  @SuppressWarnings("unchecked") // a queue holds the pending reads of one name, one key type
  private <K, V> List<Pending<K, V>> take(Queue<Pending<?, ?>> queue) {
    List<Pending<K, V>> taken = new ArrayList<>();
    for (Pending<?, ?> p = queue.poll();
        p != null;
        p = taken.size() < maxBatch ? queue.poll() : null) {
      if (!p.answer().isDone()) {
        taken.add((Pending<K, V>) p);
      }
    }
    return taken;
  }

  private static <K, V> void answer(List<Pending<K, V>> taken, BatchRead<K, V> batch) {
    Map<K, V> found;
    try {
      LinkedHashSet<K> keys = new LinkedHashSet<>();
      taken.forEach(p -> keys.add(p.key()));
      found = batch.read(List.copyOf(keys));
    } catch (RuntimeException failure) {
      // Each caller of the batch gets the failure; the caller reading goes on with the queue.
      taken.forEach(p -> p.failed(failure));
      return;
    } catch (Error failure) {
      taken.forEach(p -> p.failed(failure));
      throw failure;
    }
    taken.forEach(p -> p.answered(found.get(p.key())));
  }
}

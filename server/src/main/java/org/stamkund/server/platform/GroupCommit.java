package org.stamkund.server.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit: work submitted by many request threads is applied in batches, one transaction per
 * batch, and each caller returns only once its batch has committed. One transaction takes its
 * relation locks and flushes the write-ahead log once for the whole batch.
 *
 * <p>Work goes to one of a few lanes: the one with the fewest items not yet answered (waiting, or
 * in the batch being applied), unless an item with the same key, which the caller gives, is still
 * unanswered; then it joins that item's lane. Work with the same key therefore runs in the order it
 * was submitted, and two lanes never wait for each other on the same member. A lane takes whatever
 * is waiting when it is free (up to {@code maxBatch}), so a lone request is not delayed and a busy
 * server forms large batches. Chosen by the key's hash instead, a lane slowed by one large batch
 * gathered half of the callers answered meanwhile by the other, and its next batch was large and
 * slow again (docs/performance.md, "Twenty-sixth session").
 *
 * <p>When a batch fails — one item's bad input, a deadlock, a lost connection — it is rolled back
 * and each of its items runs again in a transaction of its own, so one failure reaches only its own
 * caller. The work must therefore be idempotent against its own committed effect.
 *
 * @param <T> what a caller submits
 * @param <R> what the work answers for one item
 */
public final class GroupCommit<T, R> implements AutoCloseable {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GroupCommit.class);

  /**
   * A submitted item, its caller's answer, its key and lane, and when it was queued ({@link
   * System#nanoTime}).
   */
  private record Pending<T, R>(
      T item, CompletableFuture<R> result, int key, int lane, long queuedAt) {}

  /** A key's items not yet answered, and their lane. */
  private record Held(int lane, int items) {}

  private final TransactionTemplate transactions;
  private final BatchWork<T, R> work;
  private final BatchObserver observer;
  private final int maxBatch;
  private final List<BlockingQueue<Pending<T, R>>> lanes;
  private final List<Thread> threads;

  /** Each lane's items not yet answered: waiting, and in the batch being applied. */
  private final AtomicIntegerArray unanswered;

  /** The keys with an item not yet answered; the lane their next item must join. */
  private final ConcurrentHashMap<Integer, Held> held = new ConcurrentHashMap<>();

  private volatile boolean open = true;

  /** Work that applies a whole batch at once, answering for each item in the order given. */
  @FunctionalInterface
  public interface BatchWork<T, R> {

    /**
     * Applies {@code items} inside the current transaction.
     *
     * @return one answer per item, in the order of {@code items}
     */
    List<R> apply(List<T> items);
  }

  /** Hears of every batch a lane applied, for the server's metrics. */
  @FunctionalInterface
  public interface BatchObserver {

    BatchObserver NONE = (size, waitedNanos, nanos, oneByOne) -> {};

    /**
     * @param size the items of the batch
     * @param waitedNanos how long its items waited for it, together: from each one's submission to
     *     the batch's start
     * @param nanos from the batch's start to its last commit or rollback
     * @param oneByOne whether the batch failed and its items were applied one at a time
     */
    void applied(int size, long waitedNanos, long nanos, boolean oneByOne);
  }

  /**
   * Starts the lanes. The work takes a whole batch at once, so it can apply many items with one
   * statement; a failed batch's items are given to it again one at a time.
   *
   * @param name names the lanes' threads
   * @param lanes how many batches may commit at once
   * @param maxBatch the most items one transaction applies
   * @param queueCapacity how many items may wait in one lane before callers are refused (503)
   * @param transactions opens each batch's transaction
   * @param work applies a batch, or one item of a failed batch, inside the current transaction
   * @param observer hears of each batch once its callers have their answers
   */
  public GroupCommit(
      String name,
      int lanes,
      int maxBatch,
      int queueCapacity,
      TransactionTemplate transactions,
      BatchWork<T, R> work,
      BatchObserver observer) {
    if (lanes < 1 || maxBatch < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException("lanes, maxBatch and queueCapacity must be positive");
    }
    this.transactions = transactions;
    this.work = work;
    this.observer = observer;
    this.maxBatch = maxBatch;
    List<BlockingQueue<Pending<T, R>>> queues = new ArrayList<>(lanes);
    List<Thread> started = new ArrayList<>(lanes);
    for (int i = 0; i < lanes; i++) {
      BlockingQueue<Pending<T, R>> queue = new ArrayBlockingQueue<>(queueCapacity);
      queues.add(queue);
      started.add(Thread.ofPlatform().name(name + "-" + i).daemon(true).start(() -> drain(queue)));
    }
    this.lanes = List.copyOf(queues);
    this.unanswered = new AtomicIntegerArray(lanes);
    this.threads = List.copyOf(started);
  }

  /**
   * Applies {@code item} after the items of {@code key} submitted before it, and waits until its
   * batch has committed.
   *
   * @return what the work answered for this item
   * @throws RuntimeException what the work threw for this item, when it ran alone
   */
  public R submit(int key, T item) {
    if (!open) {
      throw ApiException.busy();
    }
    CompletableFuture<R> result = new CompletableFuture<>();
    AtomicBoolean queued = new AtomicBoolean();
    // One key at a time: its earlier item is either still held here, and this one queues behind
    // it in its lane, or answered, its batch committed.
    held.compute(
        key,
        (k, earlier) -> {
          int lane = earlier != null ? earlier.lane() : leastBusy(k);
          if (!lanes.get(lane).offer(new Pending<>(item, result, k, lane, System.nanoTime()))) {
            return earlier;
          }
          unanswered.incrementAndGet(lane);
          queued.set(true);
          return new Held(lane, earlier == null ? 1 : earlier.items() + 1);
        });
    if (!queued.get()) {
      throw ApiException.busy();
    }
    try {
      return result.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.busy();
    }
  }

  /** The lane with the fewest items not yet answered; on a tie, the key's own. */
  private int leastBusy(int key) {
    int best = Math.floorMod(key, lanes.size());
    for (int lane = 0; lane < lanes.size(); lane++) {
      if (unanswered.get(lane) < unanswered.get(best)) {
        best = lane;
      }
    }
    return best;
  }

  /**
   * Answers a caller, having first counted its item out of its lane and key, so that the caller's
   * next item already sees them.
   */
  private void answer(Pending<T, R> pending, @Nullable R value, @Nullable Throwable failure) {
    if (pending.result().isDone()) {
      return;
    }
    unanswered.decrementAndGet(pending.lane());
    held.computeIfPresent(
        pending.key(), (k, h) -> h.items() == 1 ? null : new Held(h.lane(), h.items() - 1));
    if (failure != null) {
      pending.result().completeExceptionally(failure);
    } else {
      pending.result().complete(value);
    }
  }

  /** How many items wait for a lane, not counting the batches being applied. */
  public int waiting() {
    return lanes.stream().mapToInt(BlockingQueue::size).sum();
  }

  private void drain(BlockingQueue<Pending<T, R>> queue) {
    List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
    while (open || !queue.isEmpty()) {
      Pending<T, R> first;
      try {
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        if (!open) {
          continue;
        }
        Thread.currentThread().interrupt();
        return;
      }
      if (first == null) {
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, maxBatch - 1);
      try {
        apply(batch);
      } catch (Throwable unexpected) {
        // Never leave a caller waiting, whatever happened.
        batch.forEach(p -> answer(p, null, unexpected));
        if (unexpected instanceof Error error) {
          throw error;
        }
      }
      batch.clear();
    }
  }

  private void apply(List<Pending<T, R>> batch) {
    long started = System.nanoTime();
    long waited = 0;
    for (Pending<T, R> pending : batch) {
      waited += started - pending.queuedAt();
    }
    boolean oneByOne = applyTogether(batch);
    try {
      observer.applied(batch.size(), waited, System.nanoTime() - started, oneByOne);
    } catch (RuntimeException e) {
      log.debug("a batch's observer failed", e);
    }
  }

  /**
   * Applies a batch in one transaction, or when that fails, each of its items in one of its own.
   *
   * @return whether its items were applied one by one
   */
  private boolean applyTogether(List<Pending<T, R>> batch) {
    if (batch.size() > 1) {
      List<R> results;
      try {
        results = inTransaction(() -> work.apply(batch.stream().map(Pending::item).toList()));
      } catch (RuntimeException batchFailed) {
        log.debug(
            "a batch of {} failed ({}); applying its items one by one",
            batch.size(),
            batchFailed.getClass().getSimpleName());
        results = null;
      }
      if (results != null) {
        for (int i = 0; i < batch.size(); i++) {
          answer(batch.get(i), results.get(i), null);
        }
        return false;
      }
    }
    for (Pending<T, R> pending : batch) {
      R value;
      try {
        value = inTransaction(() -> work.apply(List.of(pending.item())).getFirst());
      } catch (RuntimeException failure) {
        answer(pending, null, failure);
        continue;
      }
      answer(pending, value, null);
    }
    return batch.size() > 1;
  }

  /** Runs {@code body} in a transaction of its own. */
  private <X> X inTransaction(java.util.function.Supplier<X> body) {
    return transactions.execute(tx -> body.get());
  }

  /** Refuses new work, lets the lanes finish what waits, and stops them. */
  @Override
  public void close() {
    open = false;
    for (Thread thread : threads) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

package org.stamkund.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stamkund.server.platform.GroupCommit.BatchObserver.NONE;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.server.IntegrationTest;

/**
 * Group commit against the real database: items queued behind a busy lane commit together, each
 * caller hears its own outcome only after commit, and one bad item fails alone.
 */
class GroupCommitIntegrationTests extends IntegrationTest {

  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate transactions;

  private final CountDownLatch firstStarted = new CountDownLatch(1);
  private final CountDownLatch releaseFirst = new CountDownLatch(1);
  private String table = "";

  @BeforeEach
  void table() {
    table = "group_commit_" + System.nanoTime();
    jdbc.sql("create table " + table + " (item text primary key, tx xid8 not null)").update();
  }

  @AfterEach
  void drop() {
    jdbc.sql("drop table " + table).update();
  }

  /** Inserts the item with its transaction id; "bad" items fail; "hold" waits for the test. */
  private String work(String item) {
    if (item.startsWith("hold")) {
      firstStarted.countDown();
      try {
        releaseFirst.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (item.startsWith("bad")) {
      throw ApiException.badField("InvalidItem", "item", "bad item");
    }
    jdbc.sql("insert into " + table + " (item, tx) values (?, pg_current_xact_id())")
        .param(item)
        .update();
    return "ok:" + item;
  }

  /** Work applied item by item, as the batch work of these lanes. */
  private static GroupCommit.BatchWork<String, String> each(
      java.util.function.Function<String, String> work) {
    return items -> items.stream().map(work).toList();
  }

  @Test
  void itemsWaitingBehindABusyLaneCommitInOneTransactionAndABadOneFailsAlone() throws Exception {
    try (GroupCommit<String, String> lanes =
            new GroupCommit<>("test-lane", 1, 64, 100, transactions, each(this::work), NONE);
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> held = callers.submit(() -> lanes.submit(0, "hold"));
      assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
      List<Future<String>> queued = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String item = i == 5 ? "bad-5" : "item-" + i;
        queued.add(callers.submit(() -> lanes.submit(0, item)));
      }
      awaitQueued(lanes, queued.size());
      assertThat(rows()).isZero();
      releaseFirst.countDown();

      assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("ok:hold");
      for (int i = 0; i < 10; i++) {
        if (i == 5) {
          Future<String> bad = queued.get(i);
          assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS))
              .cause()
              .isInstanceOfSatisfying(
                  ApiException.class, e -> assertThat(e.errorCode()).isEqualTo("InvalidItem"));
        } else {
          assertThat(queued.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("ok:item-" + i);
        }
      }
    }
    assertThat(rows()).isEqualTo(10);
    assertThat(
            jdbc.sql("select count(*) from " + table + " where item = 'bad-5'")
                .query(Long.class)
                .single())
        .isZero();
  }

  /** How long the held item is held once the others queue behind it. */
  private static final long HELD_MS = 100;

  /** The waits the observer heard of, a batch's at a time. */
  private final List<Long> waits = java.util.Collections.synchronizedList(new ArrayList<>());

  @Test
  void theObserverHearsHowLongABatchsItemsWaitedForIt() throws Exception {
    heardWhileQueuedBehindAHeldItem(List.of("w-1", "w-2", "w-3"));

    assertThat(waits).hasSize(2);
    // Three items queued behind the held one for at least HELD_MS each.
    assertThat(waits.get(1)).isGreaterThanOrEqualTo(3 * TimeUnit.MILLISECONDS.toNanos(HELD_MS));
    assertThat(waits.get(1)).isLessThan(3 * TimeUnit.SECONDS.toNanos(10));
  }

  @Test
  void theObserverHearsOfEachBatchAndItsSize() throws Exception {
    assertThat(heardWhileQueuedBehindAHeldItem(List.of("seen-1", "seen-2", "seen-3")))
        .containsExactly("1", "3");
    assertThat(rows()).isEqualTo(4);
  }

  @Test
  void aFailedBatchIsReportedAsAppliedOneByOne() throws Exception {
    assertThat(heardWhileQueuedBehindAHeldItem(List.of("fine-1", "bad-2", "fine-3")))
        .containsExactly("1", "3 one by one");
    assertThat(rows()).isEqualTo(3);
  }

  /**
   * What an observed lane reports while {@code items} queue behind a held item and then run: each
   * batch's size, and "one by one" when it failed and its items ran alone.
   */
  private List<String> heardWhileQueuedBehindAHeldItem(List<String> items) throws Exception {
    List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
    waits.clear();
    try (GroupCommit<String, String> lanes =
            new GroupCommit<>(
                "test-lane",
                1,
                64,
                100,
                transactions,
                each(this::work),
                (size, waitedNanos, nanos, oneByOne) -> {
                  heard.add(size + (oneByOne ? " one by one" : ""));
                  waits.add(waitedNanos);
                });
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> held = callers.submit(() -> lanes.submit(0, "hold"));
      assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
      List<Future<String>> queued = new ArrayList<>();
      for (String item : items) {
        queued.add(callers.submit(() -> lanes.submit(0, item)));
      }
      awaitQueued(lanes, queued.size());
      Thread.sleep(HELD_MS);
      releaseFirst.countDown();
      held.get(10, TimeUnit.SECONDS);
      for (Future<String> f : queued) {
        try {
          f.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException badItem) {
          // a bad item fails alone
        }
      }
      // The observer hears of a batch once its callers have their answers.
      for (int i = 0; i < 250 && heard.size() < 2; i++) {
        Thread.sleep(20);
      }
    }
    return List.copyOf(heard);
  }

  @Test
  void itemsQueuedTogetherShareOneTransaction() throws Exception {
    try (GroupCommit<String, String> lanes =
            new GroupCommit<>("test-lane", 1, 64, 100, transactions, each(this::work), NONE);
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> held = callers.submit(() -> lanes.submit(0, "hold"));
      assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
      List<Future<String>> queued = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String item = "together-" + i;
        queued.add(callers.submit(() -> lanes.submit(0, item)));
      }
      awaitQueued(lanes, queued.size());
      releaseFirst.countDown();
      held.get(10, TimeUnit.SECONDS);
      for (Future<String> f : queued) {
        f.get(10, TimeUnit.SECONDS);
      }
    }
    assertThat(
            jdbc.sql("select count(distinct tx) from " + table + " where item like 'together-%'")
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void anItemGoesToTheLaneWithLessToDoUnlessAnItemOfItsKeyIsUnansweredWhichItThenFollows()
      throws Exception {
    try (GroupCommit<String, String> lanes =
            new GroupCommit<>("test-lane", 2, 64, 100, transactions, each(this::work), NONE);
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> held = callers.submit(() -> lanes.submit(0, "hold"));
      assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
      // Key 2 would hash to the held item's lane; the other lane has nothing to do.
      assertThat(callers.submit(() -> lanes.submit(2, "elsewhere")).get(10, TimeUnit.SECONDS))
          .isEqualTo("ok:elsewhere");
      // Key 0's first item is unanswered, so its second waits behind it, not in the free lane.
      Future<String> behind = callers.submit(() -> lanes.submit(0, "behind"));
      awaitQueued(lanes, 1);
      Thread.sleep(HELD_MS);
      assertThat(behind.isDone()).isFalse();
      releaseFirst.countDown();
      assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("ok:hold");
      assertThat(behind.get(10, TimeUnit.SECONDS)).isEqualTo("ok:behind");
      // Once answered, a key holds no lane: its next item goes where there is less to do.
      assertThat(callers.submit(() -> lanes.submit(0, "free")).get(10, TimeUnit.SECONDS))
          .isEqualTo("ok:free");
    }
    assertThat(
            jdbc.sql(
                    "select (select tx from "
                        + table
                        + " where item = 'hold') < (select tx from "
                        + table
                        + " where item = 'behind')")
                .query(Boolean.class)
                .single())
        .isTrue();
  }

  @Test
  void aClosedGroupCommitRefusesWorkWithServiceBusy() {
    GroupCommit<String, String> lanes =
        new GroupCommit<>("test-lane", 2, 8, 10, transactions, each(this::work), NONE);
    lanes.close();
    assertThatThrownBy(() -> lanes.submit(1, "late"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
              assertThat(e.errorCode()).isEqualTo("ServiceBusy");
            });
    assertThat(rows()).isZero();
  }

  private long rows() {
    return jdbc.sql("select count(*) from " + table).query(Long.class).single();
  }

  /** Waits until the lanes' queues hold that many items. */
  private static void awaitQueued(GroupCommit<?, ?> lanes, int count) throws InterruptedException {
    for (int i = 0; i < 250 && lanes.waiting() < count; i++) {
      Thread.sleep(20);
    }
    assertThat(lanes.waiting()).isEqualTo(count);
  }
}

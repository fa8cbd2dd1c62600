package org.stamkund.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.server.IntegrationTest;

/** A prelude and the read after it, in one round trip, as two statements would behave. */
class PreludeIntegrationTests extends IntegrationTest {

  private static final String LOCK = "select pg_advisory_xact_lock(?)";

  @Autowired JdbcTemplate template;
  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate transactions;

  private String table = "";

  @BeforeEach
  void table() {
    table = "prelude_" + System.nanoTime();
    jdbc.sql("create table " + table + " (n int primary key)").update();
  }

  @AfterEach
  void drop() {
    jdbc.sql("drop table " + table).update();
  }

  private List<Integer> readAfter(Prelude prelude) {
    List<Integer> rows = new ArrayList<>();
    transactions.executeWithoutResult(
        tx ->
            prelude.thenQuery(
                template,
                "select n from " + table + " where n = any(?::int[]) order by n",
                java.util.Collections.singletonList(new Integer[] {1, 2, 3}),
                rs -> rows.add(rs.getInt(1))));
    return rows;
  }

  @Test
  void theReadSeesWhatCommittedWhileThePreludeWaited() throws Exception {
    long key = System.nanoTime();
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () ->
                transactions.executeWithoutResult(
                    tx -> {
                      jdbc.sql(LOCK).param(key).query().singleRow();
                      jdbc.sql("insert into " + table + " values (1), (2)").update();
                      locked.countDown();
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
    assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<List<Integer>> reader =
        CompletableFuture.supplyAsync(() -> readAfter(Prelude.of(LOCK, key)));
    // The reader waits for the lock: it cannot have read yet.
    Thread.sleep(300);
    assertThat(reader).isNotDone();
    release.countDown();
    writer.get(10, TimeUnit.SECONDS);

    assertThat(reader.get(10, TimeUnit.SECONDS))
        .as("rows committed while the prelude waited")
        .containsExactly(1, 2);
  }

  @Test
  void parametersOfBothStatementsReachTheirOwnStatement() {
    jdbc.sql("insert into " + table + " values (2), (3), (4)").update();
    List<Integer> rows = readAfter(Prelude.of("select ?::text, ?::int", "a", 7));

    assertThat(rows).containsExactly(2, 3);
  }

  @Test
  void aPreludeRunsAloneAndHoldsItsLockToTheEndOfTheTransaction() {
    long key = System.nanoTime();
    transactions.executeWithoutResult(
        tx -> {
          Prelude.of(LOCK, key).run(template);
          Boolean heldHere =
              jdbc.sql(
                      "select exists (select 1 from pg_locks where locktype = 'advisory'"
                          + " and pid = pg_backend_pid() and granted)")
                  .query(Boolean.class)
                  .single();
          assertThat(heldHere).isTrue();
        });
  }

  @Test
  void aPreludeIsOneStatement() {
    assertThatThrownBy(() -> Prelude.of("select 1;")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFailingPreludeFailsTheReadAndLeavesNothingRead() {
    List<Integer> rows = new ArrayList<>();
    assertThatThrownBy(
            () ->
                transactions.executeWithoutResult(
                    tx ->
                        Prelude.of("select 1 / ?", 0)
                            .thenQuery(
                                template, "select n from " + table, List.of(), rs -> rows.add(1))))
        .isInstanceOf(org.springframework.dao.DataAccessException.class);
    assertThat(rows).isEmpty();
  }
}

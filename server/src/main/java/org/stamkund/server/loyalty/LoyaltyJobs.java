package org.stamkund.server.loyalty;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.engine.points.ExpiryPolicy;
import org.stamkund.engine.program.LoyaltyProgram;
import org.stamkund.server.platform.StamkundProperties;

/**
 * The loyalty core's scheduled work, run through db-scheduler so each job runs once across the
 * cluster. Every job is idempotent: it works on what is due at {@code now}, one member per
 * transaction under the member's lock, and leaves nothing due behind.
 */
@Component
class LoyaltyJobs {

  static final int BATCH = 500;

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LoyaltyJobs.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final PointsLedger ledger;
  private final ReceiptManagement receipts;
  private final LevelBook levels;
  private final VoucherBook vouchers;
  private final ProgramCatalog programs;
  private final StamkundProperties properties;
  private final Clock clock;

  LoyaltyJobs(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      PointsLedger ledger,
      ReceiptManagement receipts,
      LevelBook levels,
      VoucherBook vouchers,
      ProgramCatalog programs,
      StamkundProperties properties,
      Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.ledger = ledger;
    this.receipts = receipts;
    this.levels = levels;
    this.vouchers = vouchers;
    this.programs = programs;
    this.properties = properties;
    this.clock = clock;
  }

  @Bean
  RecurringTask<Void> expirePointsTask() {
    return Tasks.recurring("expire-points", FixedDelay.ofMinutes(5))
        .execute((instance, context) -> expirePoints(clock.instant()));
  }

  @Bean
  RecurringTask<Void> activatePendingPointsTask() {
    return Tasks.recurring("activate-pending-points", FixedDelay.ofMinutes(5))
        .execute((instance, context) -> activatePending(clock.instant()));
  }

  @Bean
  RecurringTask<Void> recomputeLevelsTask() {
    return Tasks.recurring("recompute-levels", FixedDelay.ofMinutes(15))
        .execute((instance, context) -> recomputeLapsedLevels(clock.instant()));
  }

  @Bean
  RecurringTask<Void> expireVouchersTask() {
    return Tasks.recurring("expire-vouchers", FixedDelay.ofMinutes(15))
        .execute((instance, context) -> expireVouchers(clock.instant()));
  }

  /**
   * Expires unspent points whose lot is past its date (DueDate movements), and under {@code
   * INACTIVITY_MONTHS} whole balances of members quiet for too long.
   *
   * @return the members whose points expired
   */
  int expirePoints(Instant now) {
    int members = 0;
    List<UUID> due;
    do {
      due =
          jdbc.sql(
                  """
                  select distinct contact_id from point_lots
                  where remaining > 0 and expires_at <= ? limit ?
                  """)
              .params(Timestamp.from(now), BATCH)
              .query((rs, n) -> rs.getObject(1, UUID.class))
              .list();
      for (UUID contact : due) {
        transactions.executeWithoutResult(
            tx -> {
              ledger.lock(contact);
              ledger.expireDue(contact, now, "Points expired", false);
            });
      }
      members += due.size();
    } while (due.size() == BATCH);
    LoyaltyProgram program = programs.current();
    Instant quietSince =
        ExpiryPolicy.inactivityExpiry(program.expiry(), now, properties.timeZone()) == null
            ? null
            : now.atZone(properties.timeZone())
                .minusMonths(program.expiry().months() == null ? 0 : program.expiry().months())
                .toInstant();
    if (quietSince != null) {
      for (UUID contact :
          jdbc.sql(
                  """
                  select contact_id from point_accounts
                  where total > 0 and last_activity <= ? limit ?
                  """)
              .params(Timestamp.from(quietSince), BATCH)
              .query((rs, n) -> rs.getObject(1, UUID.class))
              .list()) {
        transactions.executeWithoutResult(
            tx -> {
              ledger.lock(contact);
              ledger.expireDue(contact, now, "Points expired after inactivity", true);
            });
        members++;
      }
    }
    return members;
  }

  /**
   * Pending points that became usable may now reach a voucher. Each member in one transaction under
   * the member's lock: flag the lots, convert; so a crash loses nothing.
   */
  int activatePending(Instant now) {
    LoyaltyProgram program = programs.current();
    int members = 0;
    List<UUID> due;
    do {
      due =
          jdbc.sql(
                  """
                  select distinct contact_id from point_lots
                  where not activated and valid_from <= ? limit ?
                  """)
              .params(Timestamp.from(now), BATCH)
              .query((rs, n) -> rs.getObject(1, UUID.class))
              .list();
      for (UUID contact : due) {
        transactions.executeWithoutResult(
            tx -> {
              PointsLedger.Account account = ledger.lock(contact);
              jdbc.sql(
                      """
                      update point_lots set activated = true
                      where contact_id = ? and not activated and valid_from <= ?
                      """)
                  .params(contact, Timestamp.from(now))
                  .update();
              receipts.convert(contact, program, now);
            });
      }
      members += due.size();
    } while (due.size() == BATCH);
    return members;
  }

  @Bean
  RecurringTask<Void> attachUnmatchedReceiptsTask() {
    return Tasks.recurring("attach-unmatched-receipts", FixedDelay.ofMinutes(1))
        .execute((instance, context) -> attachUnmatched());
  }

  /**
   * Retries the unmatched receipts tried longest ago, each in its own transaction; one that fails
   * stays unmatched for the next round.
   *
   * @return the receipts applied
   */
  int attachUnmatched() {
    List<UUID> due =
        jdbc.sql(
                """
                select id from receipts where contact_id is null
                order by retried_at nulls first, created_date limit ?
                """)
            .param(BATCH)
            .query((rs, n) -> rs.getObject(1, UUID.class))
            .list();
    int applied = 0;
    for (UUID receipt : due) {
      try {
        if (Boolean.TRUE.equals(transactions.execute(tx -> receipts.retryUnmatched(receipt)))) {
          applied++;
        }
      } catch (RuntimeException e) {
        log.warn("unmatched receipt {} not applied: {}", receipt, e.getClass().getSimpleName());
        transactions.executeWithoutResult(
            tx ->
                jdbc.sql("update receipts set retried_at = ? where id = ?")
                    .params(Timestamp.from(clock.instant()), receipt)
                    .update());
      }
    }
    return applied;
  }

  @Bean
  RecurringTask<Void> forgetIdempotencyKeysTask() {
    return Tasks.recurring("forget-idempotency-keys", FixedDelay.ofHours(1))
        .execute(
            (instance, context) ->
                jdbc.sql("delete from idempotency_keys where created_at < ?")
                    .param(Timestamp.from(clock.instant().minus(java.time.Duration.ofHours(24))))
                    .update());
  }

  /** Members whose level lapses by now get it recomputed. */
  int recomputeLapsedLevels(Instant now) {
    LoyaltyProgram program = programs.current();
    int members = 0;
    List<UUID> due;
    do {
      due = levels.lapsing(now, BATCH);
      for (UUID contact : due) {
        transactions.executeWithoutResult(
            tx -> {
              ledger.lock(contact);
              levels.recompute(contact, program, now, properties.timeZone());
            });
      }
      members += due.size();
    } while (due.size() == BATCH);
    return members;
  }

  /** Vouchers past their date are marked expired. */
  int expireVouchers(Instant now) {
    int expired = 0;
    List<VoucherBook.Voucher> batch;
    do {
      batch = transactions.execute(tx -> vouchers.markExpired(now, BATCH));
      expired += batch == null ? 0 : batch.size();
    } while (batch != null && batch.size() == BATCH);
    return expired;
  }
}

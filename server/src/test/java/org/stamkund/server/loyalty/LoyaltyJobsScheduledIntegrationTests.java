package org.stamkund.server.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stamkund.server.IntegrationTest;

/**
 * The loyalty jobs are registered with db-scheduler, in its table, so the cluster runs each once.
 */
class LoyaltyJobsScheduledIntegrationTests extends IntegrationTest {

  @Autowired JdbcClient jdbc;

  @Test
  void everyLoyaltyJobIsScheduledInTheDatabase() throws InterruptedException {
    List<String> expected =
        List.of(
            "activate-pending-points",
            "attach-unmatched-receipts",
            "expire-points",
            "expire-vouchers",
            "forget-idempotency-keys",
            "recompute-levels");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    List<String> scheduled = List.of();
    while (Instant.now().isBefore(deadline)) {
      scheduled =
          jdbc.sql("select task_name from scheduled_tasks order by task_name")
              .query((rs, n) -> rs.getString(1))
              .list();
      if (scheduled.containsAll(expected)) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(scheduled).containsAll(expected);
  }
}

package org.stamkund.server.webhooks;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Clock;
import java.time.Instant;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/** Forgets finished deliveries and their events after the retention period, once per cluster. */
@Component
class WebhookJobs {

  static final int BATCH = 5_000;

  private final JdbcWebhookDeliveries store;
  private final WebhooksProperties properties;
  private final Clock clock;

  WebhookJobs(JdbcWebhookDeliveries store, WebhooksProperties properties, Clock clock) {
    this.store = store;
    this.properties = properties;
    this.clock = clock;
  }

  @Bean
  RecurringTask<Void> pruneWebhookDeliveriesTask() {
    return Tasks.recurring("prune-webhook-deliveries", FixedDelay.ofHours(1))
        .execute((instance, context) -> prune(clock.instant()));
  }

  /** Deletes in batches until nothing is left to prune; returns the rows deleted. */
  int prune(Instant now) {
    Instant before = now.minus(properties.retention());
    int total = 0;
    int deleted;
    do {
      deleted = store.prune(before, BATCH);
      total += deleted;
    } while (deleted > 0);
    return total;
  }
}

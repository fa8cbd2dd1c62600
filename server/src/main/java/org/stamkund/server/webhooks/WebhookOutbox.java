package org.stamkund.server.webhooks;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stamkund.engine.promotions.PromotionAssigned;
import org.stamkund.engine.promotions.PromotionRedeemed;
import org.stamkund.server.platform.DomainEvent;
import org.stamkund.server.platform.IdGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes every event to the outbox, on the publisher's thread and in its transaction: the event
 * exists exactly when the change commits. Always one INSERT, whether or not anyone subscribes, so a
 * subscription created meanwhile misses nothing committed after it.
 */
@Component
class WebhookOutbox {

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final IdGenerator ids;
  private final Clock clock;

  WebhookOutbox(JdbcClient jdbc, JsonMapper json, IdGenerator ids, Clock clock) {
    this.jdbc = jdbc;
    this.json = json;
    this.ids = ids;
    this.clock = clock;
  }

  @EventListener
  void on(DomainEvent event) {
    write(event.type(), event.contactId(), event.data());
  }

  @EventListener
  void on(PromotionAssigned event) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("instanceId", event.instanceId().toString());
    data.put("promotionId", event.promotionId().toString());
    data.put("contactId", event.contactId().toString());
    data.put("assignedAt", event.assignedAt().toString());
    if (event.expiresOn() != null) {
      data.put("expiresOn", event.expiresOn().toString());
    }
    write("promotion.assigned", event.contactId(), data);
  }

  @EventListener
  void on(PromotionRedeemed event) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("instanceId", event.instanceId().toString());
    data.put("promotionId", event.promotionId().toString());
    data.put("contactId", event.contactId().toString());
    data.put("redeemedAt", event.redeemedAt().toString());
    if (event.channel() != null) {
      data.put("redemptionChannel", event.channel().name());
    }
    if (event.receiptId() != null) {
      data.put("receiptId", event.receiptId().toString());
    }
    write("promotion.redeemed", event.contactId(), data);
  }

  private void write(String type, @Nullable UUID contactId, Map<String, Object> data) {
    jdbc.sql(
            """
            insert into webhook_events (id, type, contact_id, data, occurred_at)
            values (?, ?, ?, ?::jsonb, ?)
            """)
        .params(
            java.util.Arrays.asList(
                ids.next(),
                type,
                contactId,
                json.writeValueAsString(data),
                Timestamp.from(clock.instant())))
        .update();
  }
}

package org.stamkund.server.webhooks;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.stamkund.engine.promotions.PromotionAssigned;
import org.stamkund.engine.promotions.PromotionRedeemed;
import org.stamkund.server.platform.CopyRows;
import org.stamkund.server.platform.DomainEvent;
import org.stamkund.server.platform.DomainEvents;
import org.stamkund.server.platform.FlatJson;
import org.stamkund.server.platform.IdGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes every event to the outbox, on the publisher's thread and in its transaction: the event
 * exists exactly when the change commits. Always one INSERT, whether or not anyone subscribes, so a
 * subscription created meanwhile misses nothing committed after it.
 */
@Component
class WebhookOutbox {

  private final JdbcTemplate batches;
  private final JsonMapper json;
  private final IdGenerator ids;
  private final Clock clock;

  WebhookOutbox(JdbcTemplate batches, JsonMapper json, IdGenerator ids, Clock clock) {
    this.batches = batches;
    this.json = json;
    this.ids = ids;
    this.clock = clock;
  }

  @EventListener
  void on(DomainEvent event) {
    add(List.of(row(event.type(), event.contactId(), event.data())));
  }

  @EventListener
  void on(DomainEvents batch) {
    Timestamp now = Timestamp.from(clock.instant());
    add(batch.events().stream().map(e -> row(e.type(), e.contactId(), e.data(), now)).toList());
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
    add(List.of(row("promotion.assigned", event.contactId(), data)));
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
    add(List.of(row("promotion.redeemed", event.contactId(), data)));
  }

  /** One outbox row, its body already serialised so later changes to the map do not leak in. */
  private record Row(
      UUID id, String type, @Nullable UUID contactId, String data, Timestamp occurredAt) {}

  private Row row(String type, @Nullable UUID contactId, Map<String, Object> data) {
    return row(type, contactId, data, Timestamp.from(clock.instant()));
  }

  private Row row(
      String type, @Nullable UUID contactId, Map<String, Object> data, Timestamp occurredAt) {
    String text = FlatJson.text(data);
    return new Row(
        ids.next(),
        type,
        contactId,
        text != null ? text : json.writeValueAsString(data),
        occurredAt);
  }

  /**
   * Adds rows to the events that wait for this transaction's commit; outside a transaction, writes
   * them at once.
   */
  private void add(List<Row> rows) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()
        || !TransactionSynchronizationManager.isActualTransactionActive()) {
      insert(rows);
      return;
    }
    for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
      if (s instanceof Pending p && p.outbox == this) {
        p.rows.addAll(rows);
        return;
      }
    }
    Pending pending = new Pending(this);
    pending.rows.addAll(rows);
    TransactionSynchronizationManager.registerSynchronization(pending);
  }

  /**
   * The events of one transaction, inserted as one batch just before it commits: still inside the
   * transaction, so they commit or roll back with the change, and in the order they were published.
   * A bulk import or a group commit of receipts then costs one round trip, not one per event.
   */
  private static final class Pending implements TransactionSynchronization {
    final WebhookOutbox outbox;
    final List<Row> rows = new ArrayList<>();

    Pending(WebhookOutbox outbox) {
      this.outbox = outbox;
    }

    /** How many events each open savepoint had seen: rolling back to it forgets the later ones. */
    final Map<Object, Integer> savepoints = new java.util.IdentityHashMap<>();

    @Override
    public void savepoint(Object savepoint) {
      savepoints.put(savepoint, rows.size());
    }

    @Override
    public void savepointRollback(Object savepoint) {
      Integer seen = savepoints.get(savepoint);
      if (seen != null && seen < rows.size()) {
        rows.subList(seen, rows.size()).clear();
      }
    }

    @Override
    public void beforeCommit(boolean readOnly) {
      if (!rows.isEmpty()) {
        outbox.insert(rows);
        rows.clear();
      }
    }
  }

  /**
   * One COPY for the whole batch, whatever its size, the rows in the order published (the outbox's
   * sequence follows it): no statement to plan and no arrays of JSON to parse.
   */
  private void insert(List<Row> rows) {
    CopyRows copy = new CopyRows("webhook_events (id, type, contact_id, data, occurred_at)");
    for (Row row : rows) {
      copy.value(row.id())
          .text(row.type())
          .value(row.contactId())
          .text(row.data())
          .value(row.occurredAt())
          .endRow();
    }
    copy.into(batches);
  }
}

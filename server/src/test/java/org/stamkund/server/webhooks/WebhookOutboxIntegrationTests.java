package org.stamkund.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.server.IntegrationTest;
import org.stamkund.server.platform.DomainEvent;

/** The outbox holds exactly the events of what committed: savepoints and rollbacks included. */
class WebhookOutboxIntegrationTests extends IntegrationTest {

  @Autowired ApplicationEventPublisher events;
  @Autowired TransactionTemplate transactions;
  @Autowired JdbcClient jdbc;

  private List<String> typesFor(UUID contact) {
    return jdbc.sql("select type from webhook_events where contact_id = ? order by tx, seq")
        .param(contact)
        .query((rs, n) -> rs.getString(1))
        .list();
  }

  @Test
  void eventsOfARolledBackSavepointAreForgottenAndTheOthersKeptInOrder() {
    UUID contact = UUID.randomUUID();
    TransactionTemplate nested =
        new TransactionTemplate(
            java.util.Objects.requireNonNull(transactions.getTransactionManager()));
    nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    transactions.executeWithoutResult(
        tx -> {
          events.publishEvent(new DomainEvent("points.changed", contact, Map.of("n", 1)));
          assertThatThrownBy(
                  () ->
                      nested.executeWithoutResult(
                          inner -> {
                            events.publishEvent(
                                new DomainEvent("contact.updated", contact, Map.of("n", 2)));
                            throw new IllegalStateException("this part fails");
                          }))
              .isInstanceOf(IllegalStateException.class);
          nested.executeWithoutResult(
              inner ->
                  events.publishEvent(new DomainEvent("level.changed", contact, Map.of("n", 3))));
        });
    assertThat(typesFor(contact)).containsExactly("points.changed", "level.changed");
  }

  @Test
  void aRolledBackTransactionLeavesNoEvent() {
    UUID contact = UUID.randomUUID();
    assertThatThrownBy(
            () ->
                transactions.executeWithoutResult(
                    tx -> {
                      events.publishEvent(new DomainEvent("points.changed", contact, Map.of()));
                      throw new IllegalStateException("rolled back");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(typesFor(contact)).isEmpty();
  }
}

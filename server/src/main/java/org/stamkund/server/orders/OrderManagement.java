package org.stamkund.server.orders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.server.contacts.ContactKeys;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.DomainEvent;

/**
 * Turns a validated order into its {@code order.<status>} event. Nothing of the order is stored:
 * the event is the whole effect, written to the outbox in the transaction that also claims the
 * Idempotency-Key, so racing repeats of one key publish one event.
 */
@Service
class OrderManagement {

  /** Keys share a table with other endpoints; the prefix keeps them apart. */
  static final String KEY_PREFIX = "order:";

  private final ContactKeys keys;
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher events;

  OrderManagement(
      ContactKeys keys,
      JdbcClient jdbc,
      TransactionTemplate transactions,
      ApplicationEventPublisher events) {
    this.keys = keys;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.events = events;
  }

  /**
   * Publishes the order's event, unless {@code idempotencyKey} was already used for the same order.
   *
   * @param canonicalBody the request as sent, to tell a repeat from another order under one key
   * @return whether an event was published (false for a repeat)
   * @throws ApiException 422 IdempotencyKeyReused when the key came with a different order
   */
  boolean register(OrderPayload order, String canonicalBody, @Nullable String idempotencyKey) {
    UUID contactId = resolve(order);
    byte[] hash = sha256(canonicalBody);
    Boolean published =
        transactions.execute(
            tx -> {
              if (idempotencyKey != null) {
                int fresh =
                    jdbc.sql(
                            """
                            insert into idempotency_keys (key, request_hash, status, response)
                            values (?, ?, 202, '{}') on conflict (key) do nothing
                            """)
                        .params(KEY_PREFIX + idempotencyKey, hash)
                        .update();
                if (fresh == 0) {
                  requireSameRequest(KEY_PREFIX + idempotencyKey, hash);
                  return false;
                }
              }
              events.publishEvent(
                  new DomainEvent(
                      OrderStatuses.EVENT_PREFIX + order.orderStatus(),
                      contactId,
                      data(order, contactId)));
              return true;
            });
    return Boolean.TRUE.equals(published);
  }

  /**
   * The event body: the order as sent, with the contact named by its id when it resolves. The match
   * key (an e-mail address, a phone number) is kept only when no contact matched, as the message
   * then has nothing else to go to.
   */
  static Map<String, Object> data(OrderPayload order, @Nullable UUID contactId) {
    Map<String, Object> data = new LinkedHashMap<>();
    Map<String, Object> contact = new LinkedHashMap<>();
    contact.put("matchKeyType", order.matchKeyType());
    if (contactId != null) {
      contact.put("contactId", contactId.toString());
    } else if (!order.matchKeyType().equals("socialSecurityNumber")) {
      contact.put("matchKey", order.matchKey());
    }
    data.put("contact", contact);
    data.putAll(order.order());
    data.put("orderStatus", order.orderStatus());
    data.put("paymentStatus", order.paymentStatus());
    return data;
  }

  private @Nullable UUID resolve(OrderPayload order) {
    if (order.matchKeyType().equals("cardId")) {
      return null;
    }
    return keys.resolve(order.matchKeyType(), order.matchKey(), null).orElse(null);
  }

  private void requireSameRequest(String key, byte[] hash) {
    byte[] stored =
        jdbc.sql("select request_hash from idempotency_keys where key = ?")
            .param(key)
            .query((rs, n) -> rs.getBytes(1))
            .single();
    if (!MessageDigest.isEqual(stored, hash)) {
      throw new ApiException(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "IdempotencyKeyReused",
          "Idempotency-Key: already used for a different order",
          Map.of("field", "Idempotency-Key"));
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package org.stamkund.server.webhooks;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stamkund.server.platform.IdGenerator;
import org.stamkund.server.platform.PersonalDataCipher;

/** Subscriptions as stored; the secret only ever leaves encrypted, except once on creation. */
@Component
class WebhookSubscriptions {

  /** A subscription without its secret. */
  record Subscription(UUID id, String url, List<String> eventTypes, Instant createdAt) {}

  /** A new subscription with its secret, shown once. */
  record Created(Subscription subscription, String secret) {}

  private final JdbcClient jdbc;
  private final PersonalDataCipher cipher;
  private final IdGenerator ids;
  private final Clock clock;

  WebhookSubscriptions(JdbcClient jdbc, PersonalDataCipher cipher, IdGenerator ids, Clock clock) {
    this.jdbc = jdbc;
    this.cipher = cipher;
    this.ids = ids;
    this.clock = clock;
  }

  Created create(String url, List<String> eventTypes) {
    String secret = WebhookSignatures.newSecret();
    Subscription s = new Subscription(ids.next(), url, List.copyOf(eventTypes), clock.instant());
    jdbc.sql(
            """
            insert into webhook_subscriptions (id, url, event_types, secret_ciphertext, created_at)
            values (?, ?, ?, ?, ?)
            """)
        .params(
            s.id(),
            s.url(),
            s.eventTypes().toArray(String[]::new),
            cipher.encrypt(secret),
            Timestamp.from(s.createdAt()))
        .update();
    return new Created(s, secret);
  }

  List<Subscription> all() {
    return jdbc.sql(
            "select id, url, event_types, created_at from webhook_subscriptions order by created_at")
        .query(WebhookSubscriptions::map)
        .list();
  }

  Optional<Subscription> find(UUID id) {
    return jdbc.sql(
            "select id, url, event_types, created_at from webhook_subscriptions where id = ?")
        .param(id)
        .query(WebhookSubscriptions::map)
        .optional();
  }

  boolean delete(UUID id) {
    return jdbc.sql("delete from webhook_subscriptions where id = ?").param(id).update() == 1;
  }

  /** The plain secret of a stored ciphertext, for signing. */
  String secret(byte[] ciphertext) {
    return cipher.decrypt(ciphertext);
  }

  private static Subscription map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new Subscription(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        Arrays.asList((String[]) rs.getArray(3).getArray()),
        rs.getTimestamp(4).toInstant());
  }
}

package org.stamkund.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import org.stamkund.server.StamkundServer;
import org.stamkund.server.TestDatabase;

/**
 * Delivery state lives in PostgreSQL only: events a stopped node could not deliver are delivered by
 * the next one, in order, and a delivery held by a node that died is sent once its lease ends.
 */
class WebhookRestartIntegrationTests {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static ConfigurableApplicationContext node() {
    return new SpringApplicationBuilder(StamkundServer.class)
        .run(
            "--server.port=0",
            "--spring.datasource.url=" + TestDatabase.jdbcUrl(),
            "--spring.datasource.username=postgres",
            "--spring.datasource.password=postgres",
            "--spring.datasource.hikari.maximum-pool-size=8",
            "--stamkund.bootstrap-api-key=" + IntegrationTest.KEY,
            "--stamkund.crypto.keys=1:" + IntegrationTest.AES_KEY,
            "--stamkund.crypto.index-key=" + IntegrationTest.INDEX_KEY,
            "--stamkund.webhooks.poll-interval=50ms",
            "--stamkund.webhooks.backoff-base=200ms",
            "--stamkund.webhooks.backoff-cap=1s",
            "--stamkund.webhooks.connect-timeout=1s",
            "--stamkund.webhooks.request-timeout=2s",
            "--stamkund.webhooks.lease-margin=1s");
  }

  private static Api api(ConfigurableApplicationContext node) {
    return new Api(
        "http://localhost:" + node.getEnvironment().getProperty("local.server.port"),
        IntegrationTest.KEY);
  }

  private static String subscribe(Api api, String url) {
    Api.Response created =
        api.post("/admin/webhooks", Map.of("url", url, "eventTypes", List.of("order.*")));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().path("id").asString() + " " + created.json().path("secret").asString();
  }

  private static String member(Api api) {
    Api.Response created =
        api.post("/api/v2/contacts", Map.of("contactType", "Member", "email", Api.uniqueEmail()));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().path("id").asString();
  }

  @Test
  void eventsAStoppedNodeCouldNotDeliverArriveInOrderFromTheNextNode() {
    JdbcClient jdbc =
        JdbcClient.create(
            new DriverManagerDataSource(TestDatabase.jdbcUrl(), "postgres", "postgres"));
    try (Subscriber subscriber = new Subscriber()) {
      String contact;
      String[] subscription;
      ConfigurableApplicationContext first = node();
      try {
        Api api = api(first);
        subscription = subscribe(api, subscriber.url()).split(" ");
        contact = member(api);
        for (int i = 0; i < 8; i++) {
          assertThat(
                  api.post(
                          "/api/v2/orders",
                          WebhookDeliveryIntegrationTests.order(contact, "k-" + i, "Shipped"))
                      .status())
              .isEqualTo(202);
        }
        Subscriber.await(
            WAIT,
            "failed attempts while the subscriber is down",
            () ->
                jdbc.sql("select count(*) from webhook_attempts where subscription_id = ?::uuid")
                        .param(subscription[0])
                        .query(Long.class)
                        .single()
                    >= 2);
      } finally {
        first.close();
      }
      assertThat(subscriber.received()).isEmpty();
      assertThat(
              jdbc.sql(
                      "select count(*) from webhook_deliveries where subscription_id = ?::uuid"
                          + " and status = 'pending'")
                  .param(subscription[0])
                  .query(Long.class)
                  .single())
          .isEqualTo(8);

      subscriber.up();
      ConfigurableApplicationContext second = node();
      try {
        Subscriber.await(WAIT, "8 orders", () -> subscriber.forContact(contact).size() == 8);
        List<String> numbers = new ArrayList<>();
        for (Subscriber.Received r : subscriber.forContact(contact)) {
          numbers.add(r.json().path("data").path("orderNumber").asString());
          assertThat(
                  SignatureVerifier.verify(
                      subscription[1], r.id(), r.timestamp(), r.body(), r.signature()))
              .isTrue();
        }
        assertThat(numbers).containsExactly("k-0", "k-1", "k-2", "k-3", "k-4", "k-5", "k-6", "k-7");
      } finally {
        api(second).delete("/admin/webhooks/" + subscription[0]);
        second.close();
      }
    }
  }

  @Test
  void aDeliveryLeasedByANodeThatDiedIsSentWhenTheLeaseRunsOut() {
    JdbcClient jdbc =
        JdbcClient.create(
            new DriverManagerDataSource(TestDatabase.jdbcUrl(), "postgres", "postgres"));
    try (Subscriber subscriber = new Subscriber()) {
      ConfigurableApplicationContext node = node();
      String subscription = null;
      try {
        Api api = api(node);
        subscription = subscribe(api, subscriber.url()).split(" ")[0];
        String contact = member(api);
        assertThat(
                api.post(
                        "/api/v2/orders",
                        WebhookDeliveryIntegrationTests.order(contact, "lease-0", "Shipped"))
                    .status())
            .isEqualTo(202);
        String s = subscription;
        Subscriber.await(
            WAIT,
            "a failed attempt",
            () ->
                jdbc.sql("select count(*) from webhook_attempts where subscription_id = ?::uuid")
                        .param(s)
                        .query(Long.class)
                        .single()
                    >= 1);
        // What a node leaves behind when it dies while sending: a lease that has not run out.
        int leased =
            jdbc.sql(
                    """
                    update webhook_deliveries
                    set lease = gen_random_uuid(), leased_until = now() + interval '4 seconds',
                        next_attempt_at = now()
                    where subscription_id = ?::uuid and status = 'pending'
                    """)
                .param(subscription)
                .update();
        assertThat(leased).isEqualTo(1);
        subscriber.up();
        long t0 = System.nanoTime();
        Subscriber.await(
            WAIT, "the leased order", () -> subscriber.forContact(contact).size() == 1);
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(waitedMs).as("not sent while the lease held").isGreaterThan(2_000);
      } finally {
        if (subscription != null) {
          api(node).delete("/admin/webhooks/" + subscription);
        }
        node.close();
      }
    }
  }
}

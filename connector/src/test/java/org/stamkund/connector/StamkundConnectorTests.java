package org.stamkund.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StamkundConnectorTests {

  @TempDir Path dir;

  private static String deadUrl() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  private StamkundConnector connector(String url, SecondaryKey key) {
    StamkundClient client =
        StamkundClient.builder()
            .baseUrl(url)
            .apiKey("k")
            .backoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(20), 2))
            .build();
    return StamkundConnector.builder().client(client).directory(dir).secondaryKey(key).build();
  }

  @Test
  void aKnownContactIdTagsTheReceiptAndItIsDeliveredAtOnce() throws Exception {
    try (StubEngine engine = new StubEngine();
        StamkundConnector c = connector(engine.url(), SecondaryKey.MOBILE_PHONE)) {
      engine.on("POST /api/v2/receipts", 202, "");
      ReceiptOutcome out = c.submitReceipt(TestData.receipt("r-1"), Shopper.withContactId("c-1"));
      assertThat(out.delivery()).isEqualTo(ReceiptOutcome.Delivery.DELIVERED);
      assertThat(out.keySource()).isEqualTo(ReceiptOutcome.KeySource.CONTACT_ID);
      assertThat(engine.seen("POST", "/api/v2/receipts").getFirst().body())
          .contains("\"matchKey\":\"c-1\",\"matchKeyType\":\"contactId\"");
    }
  }

  @Test
  void theEngineResolvesTheContactIdWhenItAnswersInTime() throws Exception {
    try (StubEngine engine = new StubEngine();
        StamkundConnector c = connector(engine.url(), SecondaryKey.MOBILE_PHONE)) {
      engine.on("GET /api/v2/contacts/id", 200, "\"c-7\"");
      engine.on("POST /api/v2/receipts", 202, "");
      ReceiptOutcome out =
          c.submitReceipt(TestData.receipt("r-1"), Shopper.withEmail("a@example.com"));
      assertThat(out.keySource()).isEqualTo(ReceiptOutcome.KeySource.ENGINE_LOOKUP);
      assertThat(engine.seen("POST", "/api/v2/receipts").getFirst().body())
          .contains("\"matchKey\":\"c-7\"");
    }
  }

  @Test
  void whenTheLookupFailsTheReceiptCarriesTheSecondaryKeyAndIsBuffered() throws Exception {
    try (StamkundConnector c = connector(deadUrl(), SecondaryKey.MOBILE_PHONE)) {
      Shopper shopper = new Shopper(null, null, "a@example.com", "+46707234567", null);
      ReceiptOutcome out = c.submitReceipt(TestData.receipt("2018468464468"), shopper);
      assertThat(out.delivery()).isEqualTo(ReceiptOutcome.Delivery.BUFFERED);
      assertThat(out.keySource()).isEqualTo(ReceiptOutcome.KeySource.SECONDARY_KEY);
      assertThat(out.matchKeyType()).isEqualTo(MatchKeyType.MOBILE_PHONE);
      assertThat(out.elapsed()).isLessThan(Duration.ofSeconds(2));
      OutboxEntry buffered = java.util.Objects.requireNonNull(c.outbox().head(Outbox.RECEIPTS));
      assertThat(buffered.personal()).isTrue();
      assertThat(buffered.request().body())
          .contains("\"matchKey\":\"+46707234567\",\"matchKeyType\":\"mobilePhone\"")
          .contains("\"uniqueReceiptId\":\"2018468464468\"");
    }
  }

  @Test
  void theSecondaryKeyFallsBackToWhatTheShopperHas() throws Exception {
    try (StamkundConnector c = connector(deadUrl(), SecondaryKey.MEMBER_NUMBER)) {
      ReceiptOutcome out =
          c.submitReceipt(TestData.receipt("r-1"), Shopper.withEmail("a@example.com"));
      assertThat(out.matchKeyType()).isEqualTo(MatchKeyType.EMAIL);
    }
  }

  @Test
  void anAnonymousPurchaseSendsNothing() throws Exception {
    try (StamkundConnector c = connector(deadUrl(), SecondaryKey.MOBILE_PHONE)) {
      ReceiptOutcome out = c.submitReceipt(TestData.receipt("r-1"), Shopper.ANONYMOUS);
      assertThat(out.delivery()).isEqualTo(ReceiptOutcome.Delivery.SKIPPED_ANONYMOUS);
      assertThat(c.status().outbox().depth()).isZero();
    }
  }

  @Test
  void bufferedReceiptsKeepTheirOrderAndAreReplayedWithTheirOwnIds() throws Exception {
    try (StubEngine engine = new StubEngine()) {
      engine.on("POST /api/v2/receipts", 503, "");
      try (StamkundConnector c = connector(engine.url(), SecondaryKey.MOBILE_PHONE)) {
        assertThat(
                c.submitReceipt(TestData.receipt("r-1"), Shopper.withContactId("c-1")).delivery())
            .isEqualTo(ReceiptOutcome.Delivery.BUFFERED);
        engine.on("POST /api/v2/receipts", 202, "");
        assertThat(
                c.submitReceipt(TestData.receipt("r-2"), Shopper.withContactId("c-1")).delivery())
            .as("r-1 still waits, so r-2 queues behind it")
            .isEqualTo(ReceiptOutcome.Delivery.BUFFERED);
        c.client().circuitBreaker().onSuccess();
        int before = engine.seen("POST", "/api/v2/receipts").size();
        assertThat(c.replayNow()).isEqualTo(2);
        assertThat(
                engine.seen("POST", "/api/v2/receipts").stream()
                    .skip(before)
                    .map(s -> Json.parse(s.body()).path("uniqueReceiptId").asString())
                    .toList())
            .containsExactly("r-1", "r-2");
        assertThat(c.status().outbox().depth()).isZero();
      }
    }
  }

  @Test
  void theReplicaAnswersLookupsWhileTheEngineIsDown() throws Exception {
    Path replicaDir = dir;
    try (StubEngine engine = new StubEngine()) {
      engine.on(
          "GET /api/v2/contacts/changes/feed",
          200,
          "{\"changes\":[{\"cursor\":\"1.1\",\"contactId\":\"c-1\",\"changeType\":\"Created\","
              + "\"changedAt\":\"x\"}],\"next\":\"1.1\",\"hasMore\":false}");
      engine.on(
          "GET /api/v2/contacts/c-1",
          200,
          TestData.contactJson("c-1", "Member", "a@example.com", "+46701111111"));
      try (StamkundConnector c = connector(engine.url(), SecondaryKey.MOBILE_PHONE)) {
        c.syncReplicaNow();
      }
    }
    try (StamkundConnector c =
        StamkundConnector.builder()
            .client(StamkundClient.builder().baseUrl(deadUrl()).apiKey("k").build())
            .directory(replicaDir)
            .build()) {
      LookupResult r = c.lookup(ContactKey.EMAIL, "a@example.com", null);
      assertThat(r).isInstanceOf(LookupResult.FromReplica.class);
      assertThat(((LookupResult.FromReplica) r).replicaAge()).isNotNull();
      assertThat(c.lookup(ContactKey.EMAIL, "b@example.com", null))
          .isInstanceOf(LookupResult.Unavailable.class);
      ReceiptOutcome out =
          c.submitReceipt(TestData.receipt("r-1"), Shopper.withEmail("a@example.com"));
      assertThat(out.keySource()).isEqualTo(ReceiptOutcome.KeySource.REPLICA);
      assertThat(
              java.util.Objects.requireNonNull(c.outbox().head(Outbox.RECEIPTS)).request().body())
          .contains("\"matchKey\":\"c-1\"");
      assertThat(c.status().replicaContacts()).isEqualTo(1);
      assertThat(c.status().metrics())
          .containsEntry("stamkund_connector_outbox_depth", 1.0)
          .containsEntry("stamkund_connector_outbox_depth_receipts", 1.0)
          .containsEntry("stamkund_connector_replica_contacts", 1.0)
          .containsKeys(
              "stamkund_connector_outbox_oldest_age_seconds",
              "stamkund_connector_replica_age_seconds",
              "stamkund_connector_circuit_state");
    }
  }
}

package org.stamkund.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Webhooks end to end: a real subscriber on a local port receives every event type, signed, in
 * order per contact, also when it fails, is down for a while, or another subscriber hangs.
 */
class WebhookDeliveryIntegrationTests extends IntegrationTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  record Subscription(String id, String secret) {}

  private Subscription subscribe(String url, List<String> types) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", url);
    body.put("eventTypes", types);
    Api.Response created = api.post("/admin/webhooks", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return new Subscription(
        created.json().path("id").asString(), created.json().path("secret").asString());
  }

  private void unsubscribe(Subscription s) {
    api.delete("/admin/webhooks/" + s.id());
  }

  private String contact(String type) {
    Api.Response created =
        api.post("/api/v2/contacts", Map.of("contactType", type, "email", Api.uniqueEmail()));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().path("id").asString();
  }

  static Map<String, Object> order(String contactId, String number, String status) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("contact", Map.of("matchKey", contactId, "matchKeyType", "ContactId"));
    o.put("orderNumber", number);
    o.put("orderStatus", status);
    o.put("paymentStatus", "Paid");
    o.put("createdDate", OffsetDateTime.now(ZoneOffset.ofHours(1)).withNano(0).toString());
    o.put("storeId", "web-se");
    o.put("currency", "SEK");
    o.put("totalGrossPrice", 249);
    o.put(
        "items",
        List.of(
            Map.of(
                "type",
                "PURCHASE",
                "sku",
                "SKU-1",
                "quantity",
                1,
                "grossPaidPrice",
                200,
                "description",
                "T-shirt")));
    o.put("freightFee", Map.of("value", 49));
    o.put("paymentMethods", List.of(Map.of("type", "card", "value", 249)));
    return o;
  }

  private void verified(Subscription s, List<Subscriber.Received> received) {
    for (Subscriber.Received r : received) {
      assertThat(
              SignatureVerifier.verify(s.secret(), r.id(), r.timestamp(), r.body(), r.signature()))
          .as("signature of " + r.type())
          .isTrue();
      assertThat(r.json().path("id").asString()).isEqualTo(r.id());
      assertThat(Math.abs(Long.parseLong(r.timestamp()) - Instant.now().getEpochSecond()))
          .isLessThan(300);
      assertThat(r.json().has("timestamp")).isTrue();
      assertThat(r.json().path("data").isObject()).isTrue();
    }
  }

  @Test
  void everyEventTypeArrivesSignedAndInTheOrderOfTheChanges() {
    try (Subscriber subscriber = new Subscriber().up()) {
      Subscription s = subscribe(subscriber.url(), List.of());
      try {
        String consent = "it-webhooks-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.put("/admin/consents/" + consent, Map.of("name", "Newsletter")).status())
            .isIn(200, 201);
        String email = Api.uniqueEmail();
        Api.Response created =
            api.post("/api/v2/contacts", Map.of("contactType", "Contact", "email", email));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asString();
        assertThat(api.post("/api/v2/contacts/" + id, Map.of("firstName", "Ann")).status())
            .isEqualTo(200);
        assertThat(
                api.post(
                        "/api/v2/contacts/" + id + "/preferences/acceptsEmail",
                        Map.of("value", true))
                    .status())
            .isEqualTo(200);
        assertThat(
                api.post(
                        "/api/v2/contacts/" + id,
                        Map.of("consents", List.of(Map.of("id", consent, "value", true))))
                    .status())
            .isEqualTo(200);
        Api.Response promoted = api.post("/api/v2/contacts/" + id + "/promoteToMember", Map.of());
        assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
        Api.Response ordered = api.post("/api/v2/orders", order(id, "o-1", "Confirmed"));
        assertThat(ordered.status()).as(ordered.toString()).isEqualTo(202);

        String promotion = promotion();
        Api.Response assigned =
            api.post("/api/v2/contacts/" + id + "/promotions/" + promotion + "/assign", null);
        assertThat(assigned.status()).as(assigned.toString()).isEqualTo(200);
        Api.Response redeemed =
            api.post(
                "/api/v2/promotions/codes/" + assigned.json().path("id").asString() + "/redeem",
                Map.of("redemptionChannel", "POS"));
        assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(200);

        Api.Response receipt = api.post("/api/v2/receipts", receipt(email, 600));
        assertThat(receipt.status()).as(receipt.toString()).isEqualTo(202);
        Api.Response checks = api.get("/api/v2/contacts/" + id + "/bonuschecks");
        assertThat(checks.status()).as(checks.toString()).isEqualTo(200);
        String voucher = checks.json().path("items").get(0).path("id").asString();
        assertThat(
                api.post("/api/v2/contacts/" + id + "/bonuschecks/" + voucher + "/redeem", null)
                    .status())
            .isEqualTo(200);
        assertThat(
                api.post("/api/v2/promotions/reward-vouchers/" + voucher + "/reactivate", null)
                    .status())
            .isEqualTo(200);

        // 600 + 500 spent reaches silver (1,000).
        Api.Response silver = api.post("/api/v2/receipts", receipt(email, 500));
        assertThat(silver.status()).as(silver.toString()).isEqualTo(202);

        String gone = contact("Member");
        assertThat(api.delete("/api/v2/contacts/" + gone).status()).isIn(200, 204);

        List<String> expected =
            List.of(
                "contact.created",
                "contact.updated",
                "contact.preferences_changed",
                "contact.consents_changed",
                "contact.promoted_to_member",
                "order.confirmed",
                "promotion.assigned",
                "promotion.redeemed",
                "voucher.created",
                "receipt.processed",
                "points.changed",
                "voucher.redeemed",
                "voucher.reactivated",
                "level.changed");
        Subscriber.await(
            WAIT,
            "every event type",
            () ->
                subscriber.forContact(id).stream()
                        .map(Subscriber.Received::type)
                        .toList()
                        .containsAll(expected)
                    && subscriber.forContact(gone).stream()
                        .anyMatch(r -> r.type().equals("contact.deleted")));
        List<Subscriber.Received> mine = subscriber.forContact(id);
        verified(s, mine);
        verified(s, subscriber.forContact(gone));
        List<String> firstOfEach = new ArrayList<>();
        for (Subscriber.Received r : mine) {
          if (expected.contains(r.type()) && !firstOfEach.contains(r.type())) {
            firstOfEach.add(r.type());
          }
        }
        assertThat(firstOfEach).containsExactlyElementsOf(expected);

        JsonNode order =
            mine.stream()
                .filter(r -> r.type().equals("order.confirmed"))
                .findFirst()
                .orElseThrow()
                .json();
        assertThat(order.path("contactId").asString()).isEqualTo(id);
        assertThat(order.path("data").path("orderNumber").asString()).isEqualTo("o-1");
        assertThat(order.path("data").path("items").get(0).path("sku").asString())
            .isEqualTo("SKU-1");
        assertThat(order.path("data").path("contact").has("matchKey")).isFalse();
        JsonNode processed =
            mine.stream()
                .filter(r -> r.type().equals("receipt.processed"))
                .findFirst()
                .orElseThrow()
                .json();
        assertThat(processed.path("data").path("earnedPoints").asLong()).isEqualTo(600);
        JsonNode points =
            mine.stream()
                .filter(r -> r.type().equals("points.changed"))
                .findFirst()
                .orElseThrow()
                .json();
        // 600 earned, 500 of them turned into a voucher.
        assertThat(points.path("data").path("balance").asLong()).isEqualTo(100);
        assertThat(points.path("data").path("change").asLong()).isEqualTo(100);
        JsonNode level =
            mine.stream()
                .filter(r -> r.type().equals("level.changed"))
                .findFirst()
                .orElseThrow()
                .json();
        assertThat(level.path("data").path("previousLevelId").asString()).isEqualTo("bronze");
        assertThat(level.path("data").path("levelId").asString()).isEqualTo("silver");
        JsonNode updated =
            mine.stream()
                .filter(r -> r.type().equals("contact.updated"))
                .findFirst()
                .orElseThrow()
                .json();
        assertThat(updated.path("data").path("changedFields").toString()).contains("firstName");
        assertThat(updated.toString()).doesNotContain("Ann").doesNotContain(email);
        JsonNode consents =
            mine.stream()
                .filter(r -> r.type().equals("contact.consents_changed"))
                .findFirst()
                .orElseThrow()
                .json();
        assertThat(consents.path("data").path("consents").get(0).path("id").asString())
            .isEqualTo(consent);
      } finally {
        unsubscribe(s);
      }
    }
  }

  @Test
  void eventsOfOneContactArriveInOrderWhileTheSubscriberFailsHalfOfTheRequests() {
    try (Subscriber subscriber = new Subscriber().up()) {
      subscriber.failShare = 0.5;
      Subscription s = subscribe(subscriber.url(), List.of("order.*"));
      try {
        String a = contact("Member");
        String b = contact("Member");
        for (int i = 0; i < 12; i++) {
          assertThat(api.post("/api/v2/orders", order(a, "a-" + i, "Shipped")).status())
              .isEqualTo(202);
          assertThat(api.post("/api/v2/orders", order(b, "b-" + i, "Confirmed")).status())
              .isEqualTo(202);
        }
        Subscriber.await(
            WAIT,
            "24 orders",
            () -> subscriber.forContact(a).size() == 12 && subscriber.forContact(b).size() == 12);
        assertThat(numbers(subscriber.forContact(a)))
            .containsExactly(expectedNumbers("a-", 12).toArray(String[]::new));
        assertThat(numbers(subscriber.forContact(b)))
            .containsExactly(expectedNumbers("b-", 12).toArray(String[]::new));
        verified(s, subscriber.forContact(a));
        assertThat(subscriber.requests.get()).isGreaterThan(24);
      } finally {
        unsubscribe(s);
      }
    }
  }

  @Test
  void aSubscriberThatWasDownGetsEveryEventInOrderWhenItComesBack() {
    try (Subscriber subscriber = new Subscriber().up()) {
      subscriber.mode = Subscriber.Mode.FAIL;
      Subscription s = subscribe(subscriber.url(), List.of("order.shipped", "contact.created"));
      try {
        String a = contact("Member");
        for (int i = 0; i < 5; i++) {
          assertThat(api.post("/api/v2/orders", order(a, "d-" + i, "SHIPPED")).status())
              .isEqualTo(202);
        }
        Subscriber.await(WAIT, "503 answers", () -> subscriber.requests.get() >= 2);
        subscriber.down();
        for (int i = 5; i < 10; i++) {
          assertThat(api.post("/api/v2/orders", order(a, "d-" + i, "order_shipped")).status())
              .isEqualTo(202);
        }
        // Connection refused for a while: retries continue and nothing arrives.
        Subscriber.await(
            WAIT,
            "a failed attempt with no answer",
            () -> deliveries(s).stream().anyMatch(d -> d.path("attempts").asInt() >= 2));
        JsonNode first =
            deliveries(s).stream()
                .filter(d -> d.path("attempts").asInt() >= 1)
                .findFirst()
                .orElseThrow();
        Api.Response attempts =
            api.get(
                "/admin/webhooks/"
                    + s.id()
                    + "/deliveries/"
                    + first.path("eventId").asString()
                    + "/attempts");
        assertThat(attempts.status()).isEqualTo(200);
        assertThat(attempts.json().get(0).path("attempt").asInt()).isEqualTo(1);
        assertThat(attempts.json().toString()).containsAnyOf("503", "Connect", "IOException");
        assertThat(subscriber.received()).isEmpty();

        subscriber.mode = Subscriber.Mode.OK;
        subscriber.up();
        Subscriber.await(WAIT, "11 events", () -> subscriber.forContact(a).size() == 11);
        List<Subscriber.Received> got = subscriber.forContact(a);
        assertThat(got.getFirst().type()).isEqualTo("contact.created");
        assertThat(numbers(got.subList(1, got.size())))
            .containsExactly(expectedNumbers("d-", 10).toArray(String[]::new));
        verified(s, got);
        Subscriber.await(
            WAIT,
            "every delivery marked delivered",
            () ->
                deliveries(s).stream()
                    .allMatch(d -> d.path("status").asString().equals("delivered")));
      } finally {
        unsubscribe(s);
      }
    }
  }

  @Test
  void aHangingSubscriberSlowsNeitherTheApiNorOtherSubscribers() {
    try (Subscriber hanging = new Subscriber().up();
        Subscriber healthy = new Subscriber().up()) {
      hanging.mode = Subscriber.Mode.HANG;
      Subscription stuck = subscribe(hanging.url(), List.of());
      Subscription fine = subscribe(healthy.url(), List.of("contact.created"));
      try {
        List<String> ids = new ArrayList<>();
        long slowest = 0;
        for (int i = 0; i < 20; i++) {
          long t0 = System.nanoTime();
          ids.add(contact("Member"));
          slowest = Math.max(slowest, (System.nanoTime() - t0) / 1_000_000);
        }
        assertThat(slowest).as("slowest create in ms").isLessThan(1_500);
        Subscriber.await(
            Duration.ofSeconds(30),
            "the healthy subscriber's events",
            () -> ids.stream().allMatch(id -> healthy.forContact(id).size() == 1));
        assertThat(hanging.requests.get()).isGreaterThan(0);
      } finally {
        unsubscribe(stuck);
        unsubscribe(fine);
      }
    }
  }

  @Test
  void replaySendsOneEventOrATimeRangeAgain() {
    try (Subscriber subscriber = new Subscriber().up()) {
      Instant before = Instant.now().minusSeconds(1);
      Subscription s = subscribe(subscriber.url(), List.of("order.delivered"));
      try {
        String a = contact("Member");
        for (int i = 0; i < 3; i++) {
          assertThat(api.post("/api/v2/orders", order(a, "r-" + i, "Delivered")).status())
              .isEqualTo(202);
        }
        Subscriber.await(WAIT, "3 orders", () -> subscriber.forContact(a).size() == 3);
        String event = subscriber.forContact(a).get(1).id();
        Api.Response replayed =
            api.post("/admin/webhooks/" + s.id() + "/deliveries/" + event + "/replay", null);
        assertThat(replayed.status()).as(replayed.toString()).isEqualTo(202);
        Subscriber.await(
            WAIT,
            "the replayed event",
            () -> subscriber.received().stream().filter(r -> r.id().equals(event)).count() == 2);

        Api.Response range =
            api.post(
                "/admin/webhooks/" + s.id() + "/replay",
                Map.of("from", before.toString(), "to", Instant.now().plusSeconds(1).toString()));
        assertThat(range.status()).as(range.toString()).isEqualTo(202);
        assertThat(range.json().path("queued").asInt()).isGreaterThanOrEqualTo(3);
        Subscriber.await(
            WAIT,
            "the replayed range",
            () -> subscriber.received().stream().filter(r -> r.contactId().equals(a)).count() >= 7);
        Api.Response unknown =
            api.post(
                "/admin/webhooks/" + s.id() + "/deliveries/" + UUID.randomUUID() + "/replay", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("DeliveryNotFound");
      } finally {
        unsubscribe(s);
      }
    }
  }

  @Test
  void subscriptionsAreValidatedListedAndDeletedAndTheSecretIsShownOnce() {
    Api.Response badUrl =
        api.post("/admin/webhooks", Map.of("url", "ftp://example.com/x", "eventTypes", List.of()));
    assertThat(badUrl.status()).isEqualTo(422);
    assertThat(badUrl.errorCode()).isEqualTo("InvalidUrl");
    assertThat(badUrl.json().path("messageDetails").path("field").asString()).isEqualTo("url");
    Api.Response relative = api.post("/admin/webhooks", Map.of("url", "/hook"));
    assertThat(relative.status()).isEqualTo(422);
    Api.Response unknownType =
        api.post(
            "/admin/webhooks",
            Map.of(
                "url", "https://example.com/x", "eventTypes", List.of("contact.created", "nope")));
    assertThat(unknownType.status()).isEqualTo(422);
    assertThat(unknownType.errorCode()).isEqualTo("UnknownEventType");
    assertThat(unknownType.json().path("messageDetails").path("field").asString())
        .isEqualTo("eventTypes[1]");
    assertThat(api.post("/admin/webhooks", "{").status()).isEqualTo(400);

    Api.Response created =
        api.post(
            "/admin/webhooks",
            Map.of("url", "https://example.com/hook", "eventTypes", List.of("order.*")));
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().path("id").asString();
    String secret = created.json().path("secret").asString();
    assertThat(secret).startsWith("whsec_");
    Api.Response one = api.get("/admin/webhooks/" + id);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.text()).doesNotContain(secret).doesNotContain("secret");
    assertThat(one.json().path("eventTypes").get(0).asString()).isEqualTo("order.*");
    assertThat(api.get("/admin/webhooks").text()).contains(id).doesNotContain(secret);
    assertThat(api.get("/admin/webhooks/event-types").json().toString())
        .contains("order.shipped", "voucher.expired", "contact.consents_changed");
    assertThat(api.get("/admin/webhooks/" + id + "/deliveries").json().path("totalCount").asInt())
        .isZero();
    assertThat(api.delete("/admin/webhooks/" + id).status()).isEqualTo(204);
    assertThat(api.get("/admin/webhooks/" + id).status()).isEqualTo(404);
    assertThat(api.delete("/admin/webhooks/" + id).status()).isEqualTo(404);
    assertThat(api.get("/admin/webhooks/not-an-id").status()).isEqualTo(400);
  }

  @Autowired WebhookJobs jobs;
  @Autowired JdbcClient jdbc;
  @Autowired Scheduler scheduler;

  @Test
  void anEventWhoseTransactionCommitsLateIsNotSkipped() throws Exception {
    try (Subscriber subscriber = new Subscriber().up()) {
      Subscription s = subscribe(subscriber.url(), List.of("order.*"));
      try {
        String a = contact("Member");
        try (java.sql.Connection late =
            java.sql.DriverManager.getConnection(
                org.stamkund.server.TestDatabase.jdbcUrl(), "postgres", "postgres")) {
          late.setAutoCommit(false);
          try (java.sql.PreparedStatement insert =
              late.prepareStatement(
                  """
                  insert into webhook_events (id, type, contact_id, data, occurred_at)
                  values (gen_random_uuid(), 'order.shipped', ?::uuid,
                          '{"orderNumber": "late"}', now())
                  """)) {
            insert.setString(1, a);
            insert.executeUpdate();
          }
          // A later transaction commits first, with a higher position in the outbox.
          assertThat(api.post("/api/v2/orders", order(a, "early", "Shipped")).status())
              .isEqualTo(202);
          Thread.sleep(1_000);
          assertThat(subscriber.forContact(a)).as("nothing passes the open transaction").isEmpty();
          late.commit();
        }
        Subscriber.await(WAIT, "both orders", () -> subscriber.forContact(a).size() == 2);
        assertThat(numbers(subscriber.forContact(a))).containsExactly("late", "early");
      } finally {
        unsubscribe(s);
      }
    }
  }

  @Autowired WebhookDispatcher dispatcher;
  @Autowired JdbcWebhookDeliveries deliveries;

  @Test
  void withNoSubscriptionTheFanOutPassesEveryCommittedEventWithoutReadingThem() {
    assertThat(jdbc.sql("select count(*) from webhook_subscriptions").query(Long.class).single())
        .as("no other test left a subscription")
        .isZero();
    dispatcher.stop();
    try {
      UUID[] members = {
        UUID.fromString(contact("Member")),
        UUID.fromString(contact("Member")),
        UUID.fromString(contact("Member"))
      };
      record Position(String tx, long seq) {}
      Position last =
          jdbc.sql(
                  """
                  select tx::text, seq from webhook_events
                  where contact_id = any(?::uuid[]) order by tx desc, seq desc limit 1
                  """)
              .param(members)
              .query((rs, n) -> new Position(rs.getString(1), rs.getLong(2)))
              .single();
      // Reading them, one event a round, would take three rounds and count each; passing them
      // unread takes one (or a few, while another writer holds the horizon back).
      Subscriber.await(
          WAIT,
          "the cursor past the three contacts' events",
          () -> {
            assertThat(deliveries.fanOut(1, Instant.now())).as("events read").isZero();
            return jdbc.sql("select (tx, seq) >= (?::xid8, ?) from webhook_fanout_cursor")
                .params(last.tx(), last.seq())
                .query(Boolean.class)
                .single();
          });
    } finally {
      dispatcher.start();
    }
  }

  @Test
  void theVoucherExpiryJobPublishesVoucherExpired() {
    try (Subscriber subscriber = new Subscriber().up()) {
      Subscription s = subscribe(subscriber.url(), List.of("voucher.*"));
      try {
        String email = Api.uniqueEmail();
        Api.Response created =
            api.post("/api/v2/contacts", Map.of("contactType", "Member", "email", email));
        String id = created.json().path("id").asString();
        assertThat(api.post("/api/v2/receipts", receipt(email, 700)).status()).isEqualTo(202);
        Subscriber.await(WAIT, "voucher.created", () -> subscriber.forContact(id).size() == 1);
        String voucher =
            subscriber.forContact(id).getFirst().json().path("data").path("voucherId").asString();
        jdbc.sql("update vouchers set expires_on = now() - interval '1 second' where id = ?::uuid")
            .param(voucher)
            .update();
        scheduler.reschedule(TaskInstanceId.of("expire-vouchers", "recurring"), Instant.now());
        Subscriber.await(
            Duration.ofSeconds(90),
            "voucher.expired",
            () ->
                subscriber.forContact(id).stream()
                    .anyMatch(r -> r.type().equals("voucher.expired")));
        Subscriber.Received expired = subscriber.forContact(id).get(1);
        assertThat(expired.type()).isEqualTo("voucher.expired");
        assertThat(expired.json().path("data").path("voucherId").asString()).isEqualTo(voucher);
        verified(s, List.of(expired));
      } finally {
        unsubscribe(s);
      }
    }
  }

  @Test
  void pruningForgetsFinishedDeliveriesAndTheirEventsAfterTheRetentionButKeepsPendingOnes() {
    try (Subscriber healthy = new Subscriber().up();
        Subscriber down = new Subscriber()) {
      Subscription ok = subscribe(healthy.url(), List.of("order.returned"));
      Subscription failing = subscribe(down.url(), List.of("order.refunded"));
      try {
        String a = contact("Member");
        assertThat(api.post("/api/v2/orders", order(a, "p-0", "Returned")).status()).isEqualTo(202);
        assertThat(api.post("/api/v2/orders", order(a, "p-1", "Refunded")).status()).isEqualTo(202);
        Subscriber.await(WAIT, "the returned order", () -> healthy.forContact(a).size() == 1);
        Subscriber.await(
            WAIT,
            "delivered",
            () ->
                deliveries(ok).stream()
                    .allMatch(d -> d.path("status").asString().equals("delivered")));
        Subscriber.await(
            WAIT,
            "a failed attempt",
            () -> deliveries(failing).getFirst().path("attempts").asInt() >= 1);
        String delivered = deliveries(ok).getFirst().path("eventId").asString();
        assertThat(jobs.prune(Instant.now())).isGreaterThanOrEqualTo(0);
        assertThat(deliveries(ok)).hasSize(1);

        jobs.prune(Instant.now().plus(Duration.ofDays(8)));
        assertThat(deliveries(ok)).isEmpty();
        assertThat(deliveries(failing)).hasSize(1);
        assertThat(
                api.post(
                        "/admin/webhooks/" + ok.id() + "/deliveries/" + delivered + "/replay", null)
                    .status())
            .isEqualTo(404);
        Api.Response range =
            api.post(
                "/admin/webhooks/" + ok.id() + "/replay",
                Map.of("from", Instant.now().minusSeconds(600).toString()));
        assertThat(range.json().path("queued").asInt()).as("the event is gone too").isZero();
      } finally {
        unsubscribe(ok);
        unsubscribe(failing);
      }
    }
  }

  @Test
  void theOpenApiDocumentListsTheWebhookAndOrderEndpoints() {
    JsonNode paths = api.get("/v3/api-docs").json().path("paths");
    for (String path :
        List.of(
            "/api/v2/orders",
            "/admin/webhooks",
            "/admin/webhooks/{id}",
            "/admin/webhooks/event-types",
            "/admin/webhooks/{id}/deliveries",
            "/admin/webhooks/{id}/deliveries/{eventId}/attempts",
            "/admin/webhooks/{id}/deliveries/{eventId}/replay",
            "/admin/webhooks/{id}/replay")) {
      assertThat(paths.has(path)).as(path).isTrue();
    }
  }

  private List<JsonNode> deliveries(Subscription s) {
    Api.Response page = api.get("/admin/webhooks/" + s.id() + "/deliveries?count=500");
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    page.json().path("items").forEach(items::add);
    return items;
  }

  private static List<String> numbers(List<Subscriber.Received> received) {
    return received.stream()
        .map(r -> r.json().path("data").path("orderNumber").asString())
        .toList();
  }

  private static List<String> expectedNumbers(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  private String promotion() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("externalId", "it-webhook-" + UUID.randomUUID());
    body.put("name", "20% off next order");
    body.put(
        "validity",
        Map.of(
            "startDate",
            OffsetDateTime.now(ZoneOffset.ofHours(1)).minusHours(1).withNano(0).toString()));
    body.put(
        "redemptionChannels",
        List.of(Map.of("type", "POS", "valueType", "PERCENT", "value", "20")));
    Api.Response created = api.post("/api/v2/promotions/multichannels", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().path("id").asString();
    Api.Response activated = api.post("/admin/promotions/" + id + "/activate", null);
    assertThat(activated.status()).as(activated.toString()).isEqualTo(200);
    return id;
  }

  static Map<String, Object> receipt(String email, int amount) {
    String id = "wh-" + UUID.randomUUID();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("contact", Map.of("matchKey", email, "matchKeyType", "email"));
    r.put("uniqueReceiptId", id);
    r.put("receiptNumber", id);
    r.put(
        "createdDate",
        OffsetDateTime.now(ZoneOffset.ofHours(1)).minusMinutes(5).withNano(0).toString());
    r.put("storeExternalId", "webhook-test");
    r.put("currency", "SEK");
    r.put("totalGrossPrice", amount);
    r.put("paymentMethods", List.of(Map.of("type", "card", "value", amount)));
    r.put(
        "items",
        List.of(
            Map.of(
                "type",
                "PURCHASE",
                "sku",
                "W1",
                "quantity",
                1,
                "grossPaidPrice",
                amount,
                "taxAmount",
                amount / 5,
                "taxPercent",
                25,
                "articleNumber",
                "W1",
                "articleName",
                "Webhook test article")));
    return r;
  }
}

package org.stamkund.server.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import org.stamkund.server.TestDatabase;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v2/orders}: validation, 202, the order event, Idempotency-Key. */
class OrderIntegrationTests extends IntegrationTest {

  private final JdbcClient jdbc =
      JdbcClient.create(
          new DriverManagerDataSource(TestDatabase.jdbcUrl(), "postgres", "postgres"));

  private static Map<String, Object> order(String matchKey, String matchKeyType, String number) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("contact", Map.of("matchKey", matchKey, "matchKeyType", matchKeyType));
    o.put("orderNumber", number);
    o.put("orderStatus", "ORDER_CREATED");
    o.put("paymentStatus", "SUCCESS");
    o.put("createdDate", OffsetDateTime.now(ZoneOffset.ofHours(1)).withNano(0).toString());
    o.put("storeId", "web-se");
    o.put("currency", "sek");
    o.put("totalGrossPrice", "379.50");
    List<Map<String, Object>> items = new ArrayList<>();
    items.add(
        Map.of(
            "type",
            "PURCHASE",
            "sku",
            "A",
            "quantity",
            2,
            "grossPaidPrice",
            300,
            "description",
            "Socks",
            "discounts",
            List.of(Map.of("value", -20))));
    items.add(
        Map.of(
            "type",
            "Purchase",
            "sku",
            "B",
            "quantity",
            1,
            "grossPaidPrice",
            100.5,
            "description",
            "Cap"));
    items.add(
        Map.of(
            "type",
            "RETURN",
            "sku",
            "C",
            "quantity",
            1,
            "grossPaidPrice",
            50,
            "description",
            "Returned"));
    o.put("items", items);
    o.put("freightFee", Map.of("value", 29, "tax", 5.8));
    o.put("paymentMethods", List.of(Map.of("type", "card", "value", 379.5)));
    o.put("extraData", Map.of("trackingUrl", "https://track.example/1"));
    return o;
  }

  private String member(String email) {
    Api.Response created =
        api.post("/api/v2/contacts", Map.of("contactType", "Member", "email", email));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().path("id").asString();
  }

  private List<JsonNode> events(String orderNumber) {
    return jdbc.sql(
            """
            select json_build_object('type', type, 'contactId', contact_id, 'data', data)::text
            from webhook_events where type like 'order.%' and data->>'orderNumber' = ?
            order by tx::text::numeric, seq
            """)
        .param(orderNumber)
        .query((rs, i) -> Api.parse(rs.getString(1)))
        .list();
  }

  private static String number() {
    return "it-order-" + UUID.randomUUID();
  }

  @Test
  void aValidOrderIsAcceptedAndBecomesOneEventCarryingTheOrder() {
    String email = Api.uniqueEmail();
    String contactId = member(email);
    String n = number();
    Api.Response answer = api.post("/api/v2/orders", order(email, "Email", n));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    assertThat(answer.json().path("statusCode").asString()).isEqualTo("Accepted");
    List<JsonNode> events = events(n);
    assertThat(events).hasSize(1);
    JsonNode e = events.getFirst();
    assertThat(e.path("type").asString()).isEqualTo("order.created");
    assertThat(e.path("contactId").asString()).isEqualTo(contactId);
    JsonNode data = e.path("data");
    assertThat(data.path("contact").path("contactId").asString()).isEqualTo(contactId);
    assertThat(data.path("contact").has("matchKey"))
        .as("no e-mail when the contact is known")
        .isFalse();
    assertThat(data.path("currency").asString()).isEqualTo("SEK");
    assertThat(data.path("items")).hasSize(3);
    assertThat(data.path("extraData").path("trackingUrl").asString())
        .isEqualTo("https://track.example/1");
    assertThat(data.path("paymentStatus").asString()).isEqualTo("success");

    // Without a key, a repeat is a new event, as in Engage.
    assertThat(api.post("/api/v2/orders", order(email, "email", n)).status()).isEqualTo(202);
    assertThat(events(n)).hasSize(2);
  }

  @Test
  void anOrderForAnUnknownContactIsAcceptedWithItsMatchKey() {
    String n = number();
    String email = Api.uniqueEmail();
    assertThat(api.post("/api/v2/orders", order(email, "email", n)).status()).isEqualTo(202);
    JsonNode e = events(n).getFirst();
    assertThat(e.path("contactId").isNull()).isTrue();
    assertThat(e.path("data").path("contact").path("matchKey").asString()).isEqualTo(email);
  }

  @Test
  void badOrdersAreRefusedNamingTheFieldAndPublishNothing() {
    String n = number();
    Map<String, Object> totals = order(Api.uniqueEmail(), "email", n);
    totals.put("totalGrossPrice", 400);
    expect(totals, 422, "TotalsDoNotAddUp", "totalGrossPrice");

    Map<String, Object> status = order(Api.uniqueEmail(), "email", n);
    status.put("orderStatus", "Teleported");
    expect(status, 422, "InvalidOrderStatus", "orderStatus");

    Map<String, Object> payment = order(Api.uniqueEmail(), "email", n);
    payment.put("paymentStatus", "Maybe");
    expect(payment, 422, "InvalidPaymentStatus", "paymentStatus");

    Map<String, Object> noContact = order(Api.uniqueEmail(), "email", n);
    noContact.remove("contact");
    expect(noContact, 422, "MissingField", "contact");

    Map<String, Object> keyType = order(Api.uniqueEmail(), "shoeSize", n);
    expect(keyType, 422, "InvalidMatchKeyType", "contact.matchKeyType");

    Map<String, Object> noItems = order(Api.uniqueEmail(), "email", n);
    noItems.put("items", List.of());
    expect(noItems, 422, "MissingField", "items");

    Map<String, Object> sku = order(Api.uniqueEmail(), "email", n);
    sku.put(
        "items",
        List.of(
            Map.of(
                "type", "PURCHASE", "quantity", 1, "grossPaidPrice", 350.5, "description", "x")));
    expect(sku, 422, "MissingField", "items[0].sku");

    Map<String, Object> payments = order(Api.uniqueEmail(), "email", n);
    payments.put("paymentMethods", List.of(Map.of("type", "card", "value", 100)));
    expect(payments, 422, "PaymentsDoNotAddUp", "paymentMethods");

    Map<String, Object> date = order(Api.uniqueEmail(), "email", n);
    date.put("createdDate", "yesterday");
    expect(date, 422, "InvalidDate", "createdDate");

    Map<String, Object> price = order(Api.uniqueEmail(), "email", n);
    price.put("totalGrossPrice", "lots");
    expect(price, 422, "InvalidFieldType", "totalGrossPrice");

    Map<String, Object> badEmail = order("not an email", "email", n);
    Api.Response bad = api.post("/api/v2/orders", badEmail);
    assertThat(bad.status()).as(bad.toString()).isIn(400, 422);
    assertThat(bad.json().path("messageDetails").path("field").asString())
        .isEqualTo("contact.matchKey");

    assertThat(api.post("/api/v2/orders", "{\"orderNumber\":").status()).isEqualTo(400);
    assertThat(api.post("/api/v2/orders", "[]").status()).isEqualTo(400);
    assertThat(api.post("/api/v2/orders", null).status()).isEqualTo(400);
    assertThat(api.withKey(null).post("/api/v2/orders", order("x@example.se", "email", n)).status())
        .isEqualTo(401);
    assertThat(events(n)).isEmpty();
  }

  private void expect(Map<String, Object> body, int status, String code, String field) {
    Api.Response answer = api.post("/api/v2/orders", body);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
    assertThat(answer.errorCode()).as(answer.toString()).isEqualTo(code);
    assertThat(answer.json().path("messageDetails").path("field").asString()).isEqualTo(field);
  }

  @Test
  void twentyRacingPostsWithOneIdempotencyKeyPublishOneEvent() throws Exception {
    String email = Api.uniqueEmail();
    member(email);
    String n = number();
    String key = "order-key-" + UUID.randomUUID();
    Map<String, Object> body = order(email, "email", n);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<Api.Response>> answers = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return api.post("/api/v2/orders", body, Map.of("Idempotency-Key", key));
                }));
      }
      start.countDown();
      for (Future<Api.Response> answer : answers) {
        assertThat(answer.get().status()).as(answer.get().toString()).isEqualTo(202);
      }
    } finally {
      pool.shutdown();
    }
    assertThat(events(n)).hasSize(1);
    assertThat(api.post("/api/v2/orders", body, Map.of("Idempotency-Key", key)).status())
        .isEqualTo(202);
    assertThat(events(n)).hasSize(1);

    Map<String, Object> other = order(email, "email", n);
    other.put("orderStatus", "Shipped");
    Api.Response reused = api.post("/api/v2/orders", other, Map.of("Idempotency-Key", key));
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.errorCode()).isEqualTo("IdempotencyKeyReused");
    assertThat(events(n)).hasSize(1);
  }
}

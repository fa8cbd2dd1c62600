package org.stamkund.server.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.stamkund.server.Api;
import tools.jackson.databind.JsonNode;

/** Storefronts, keys, members, receipts and promotions for the storefront tests. */
final class StorefrontFixtures {

  private StorefrontFixtures() {}

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Configures a storefront; its id. */
  static String storefront(Api admin, String lookupKey, List<String> countries, List<String> req) {
    String id = unique("sf");
    Api.Response put =
        admin.put(
            "/admin/storefronts/" + id,
            Map.of("lookupKey", lookupKey, "countries", countries, "requiredFields", req));
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    return id;
  }

  /** A new key with one scope bound to a storefront or shop (null for none); its secret. */
  static String key(Api admin, String scope, @Nullable String binding) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", unique("it-key"));
    body.put("scopes", List.of(scope));
    if (binding != null) {
      body.put("binding", binding);
    }
    Api.Response created = admin.post("/admin/api-keys", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json().path("binding").isNull()).isEqualTo(binding == null);
    return created.json().path("key").asString();
  }

  /** Creates a Member with these attributes; its id. */
  static String member(Api api, Map<String, Object> attributes) {
    Api.Response created = api.post("/api/v2/contacts", attributes);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().path("id").asString();
  }

  static JsonNode contact(Api api, String id) {
    Api.Response got = api.get("/api/v2/contacts/" + id);
    assertThat(got.status()).as(got.toString()).isEqualTo(200);
    return got.json();
  }

  /** Posts a GraphQL request as plain HTTP JSON; with a customer token when given. */
  static Api.Response graphql(
      Api api, String query, Map<String, Object> variables, @Nullable String customerToken) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", query);
    body.put("variables", variables);
    Map<String, String> headers = new HashMap<>();
    headers.put("Accept", "application/json");
    if (customerToken != null) {
      headers.put("Authorization", "Bearer " + customerToken);
    }
    return api.post("/graphql", body, headers);
  }

  /** Posts a SEK receipt of one purchase line for the member with this e-mail. */
  static void purchase(Api api, String email, String amount) {
    receipt(api, email, List.of(line("PURCHASE", "sku-1", null, 1, amount)));
  }

  /** A receipt line; a RETURN gets a negative quantity. */
  static Map<String, Object> line(
      String type, String sku, @Nullable String articleGroup, int pieces, String price) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("type", type);
    item.put("sku", sku);
    item.put("quantity", type.equals("RETURN") ? -pieces : pieces);
    item.put("grossPaidPrice", new BigDecimal(price));
    item.put("taxAmount", new BigDecimal(price).multiply(new BigDecimal("0.2")));
    item.put("taxPercent", 25);
    item.put("articleNumber", "A-" + sku);
    item.put("articleName", "Article " + sku);
    if (articleGroup != null) {
      item.put("articleGroup", articleGroup);
    }
    return item;
  }

  /** Posts a SEK receipt with these lines for the member with this e-mail. */
  static void receipt(Api api, String email, List<Map<String, Object>> lines) {
    BigDecimal total = BigDecimal.ZERO;
    for (Map<String, Object> line : lines) {
      BigDecimal price = (BigDecimal) line.get("grossPaidPrice");
      total = "RETURN".equals(line.get("type")) ? total.subtract(price) : total.add(price);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("contact", Map.of("matchKey", email, "matchKeyType", "email"));
    body.put("uniqueReceiptId", unique("it-sf-receipt"));
    body.put("receiptNumber", unique("N"));
    body.put(
        "createdDate",
        OffsetDateTime.now(ZoneOffset.ofHours(1))
            .minusHours(1)
            .truncatedTo(ChronoUnit.SECONDS)
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    body.put("storeExternalId", "it-storefront-store");
    body.put("currency", "SEK");
    body.put("totalGrossPrice", total);
    body.put("paymentMethods", List.of(Map.of("type", "card", "value", total)));
    body.put("items", new ArrayList<>(lines));
    Api.Response answer = api.post("/api/v2/receipts", body);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
  }

  /** An active promotion with these channels; its id. */
  static String promotion(Api api, String name, List<Map<String, Object>> channels) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("externalId", unique("it-sf-promo"));
    body.put("name", name);
    body.put(
        "validity",
        Map.of(
            "startDate",
            OffsetDateTime.now(ZoneOffset.ofHours(1))
                .minusHours(1)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
    body.put("presentation", Map.of("heading", "Heads up", "description", "For you"));
    body.put("redemptionChannels", channels);
    Api.Response created = api.post("/api/v2/promotions/multichannels", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().path("id").asString();
    Api.Response activated = api.post("/admin/promotions/" + id + "/activate", null);
    assertThat(activated.status()).as(activated.toString()).isEqualTo(200);
    return id;
  }

  static Map<String, Object> channel(String type, String valueType, String value) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("type", type);
    c.put("valueType", valueType);
    c.put("value", value);
    return c;
  }

  /** Assigns a promotion; the instance id. */
  static String assign(Api api, String contactId, String promotionId) {
    Api.Response assigned =
        api.post("/api/v2/contacts/" + contactId + "/promotions/" + promotionId + "/assign", null);
    assertThat(assigned.status()).as(assigned.toString()).isEqualTo(200);
    return assigned.json().path("id").asString();
  }
}

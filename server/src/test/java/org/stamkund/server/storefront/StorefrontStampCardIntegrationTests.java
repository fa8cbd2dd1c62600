package org.stamkund.server.storefront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stamkund.server.storefront.StorefrontFixtures.channel;
import static org.stamkund.server.storefront.StorefrontFixtures.graphql;
import static org.stamkund.server.storefront.StorefrontFixtures.line;
import static org.stamkund.server.storefront.StorefrontFixtures.member;
import static org.stamkund.server.storefront.StorefrontFixtures.promotion;
import static org.stamkund.server.storefront.StorefrontFixtures.receipt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Stamp cards end to end: defined in the admin API, filled by purchases of their skus or article
 * groups, emptied by returns, assigning their promotion when full, shown as the storefront's {@code
 * pointCards}.
 */
class StorefrontStampCardIntegrationTests extends IntegrationTest {

  private static final String CARDS =
      """
      query { customerLoyalty {
        pointCards { name numberOfSlots numberOfSlotsRemaining completed }
        discounts(includeRedeemed: true) { name }
      } }
      """;

  @Autowired StampCards stampCards;
  @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;
  @Autowired org.springframework.transaction.support.TransactionTemplate transactions;

  private Map<String, Object> card(String name, String promotionId, String sku, String group) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("slots", 3);
    body.put("skus", List.of(sku));
    body.put("articleGroups", List.of(group));
    body.put("promotionId", promotionId);
    return body;
  }

  private JsonNode page(String token) {
    Api.Response r = graphql(api, CARDS, Map.of(), token);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().path("errors").isMissingNode()).as(r.toString()).isTrue();
    return r.json().path("data").path("customerLoyalty");
  }

  private static JsonNode cardNamed(JsonNode page, String name) {
    for (JsonNode card : page.path("pointCards")) {
      if (card.path("name").asString().equals(name)) {
        return card;
      }
    }
    throw new AssertionError("no card " + name + " in " + page);
  }

  /** The loyalty page: receipts are counted in their own transaction, so no waiting. */
  private JsonNode countedPage(String token, String cardName, int completed) {
    JsonNode page = page(token);
    assertThat(cardNamed(page, cardName).path("completed").asInt()).isEqualTo(completed);
    return page;
  }

  @Test
  void purchasesFillSlotsReturnsEmptyThemAndAFullCardAssignsItsPromotionAndStartsAnew()
      throws Exception {
    String sku = StorefrontFixtures.unique("coffee");
    String group = StorefrontFixtures.unique("hot-drinks");
    String reward = StorefrontFixtures.unique("Free coffee");
    String promotionId = promotion(api, reward, List.of(channel("POS", "PERCENT", "100")));
    String cardName = StorefrontFixtures.unique("Coffee card");
    Api.Response created = api.post("/admin/stamp-cards", card(cardName, promotionId, sku, group));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String cardId = created.json().path("id").asString();
    assertThat(api.get("/admin/stamp-cards/" + cardId).json().path("slots").asInt()).isEqualTo(3);

    String email = Api.uniqueEmail();
    String id = member(api, Map.of("email", email, "firstName", "Kaj", "lastName", "Ek"));
    String token =
        graphql(
                api,
                "mutation A($input: ActivateExternalCustomerByIdInput) {"
                    + " activateExternalCustomerById(input: $input) { token { value } } }",
                Map.of("input", Map.of("externalId", id)),
                null)
            .json()
            .path("data")
            .path("activateExternalCustomerById")
            .path("token")
            .path("value")
            .asString();
    JsonNode fresh = cardNamed(page(token), cardName);
    assertThat(fresh.path("numberOfSlots").asInt()).isEqualTo(3);
    assertThat(fresh.path("numberOfSlotsRemaining").asInt()).isEqualTo(3);

    // two pieces of the sku, one unrelated line
    receipt(
        api,
        email,
        List.of(line("PURCHASE", sku, null, 2, "60"), line("PURCHASE", "tea", null, 1, "20")));
    assertThat(
            cardNamed(countedPage(token, cardName, 0), cardName)
                .path("numberOfSlotsRemaining")
                .asInt())
        .isEqualTo(1);
    // a return empties a slot
    receipt(api, email, List.of(line("RETURN", sku, null, 1, "30")));
    assertThat(
            cardNamed(countedPage(token, cardName, 0), cardName)
                .path("numberOfSlotsRemaining")
                .asInt())
        .isEqualTo(2);
    // an article of the group and the sku fill the card: it assigns the promotion and starts anew
    receipt(
        api,
        email,
        List.of(
            line("PURCHASE", StorefrontFixtures.unique("latte"), group, 1, "45"),
            line("PURCHASE", sku, null, 1, "30")));
    JsonNode page = countedPage(token, cardName, 1);
    JsonNode full = cardNamed(page, cardName);
    assertThat(full.path("completed").asInt()).isEqualTo(1);
    assertThat(full.path("numberOfSlotsRemaining").asInt()).isEqualTo(3);
    assertThat(page.path("discounts").findValuesAsString("name")).contains(reward);

    // the same receipt counted again (a second delivery of its event) changes nothing
    UUID last =
        jdbc.sql(
                "select id from receipts where contact_id = ?::uuid"
                    + " order by processed_at desc limit 1")
            .param(id)
            .query(UUID.class)
            .single();
    transactions.executeWithoutResult(
        tx ->
            stampCards.onReceiptProcessed(
                new org.stamkund.server.platform.DomainEvent(
                    "receipt.processed",
                    UUID.fromString(id),
                    Map.of("receiptId", last.toString()))));
    assertThat(cardNamed(page(token), cardName).path("numberOfSlotsRemaining").asInt())
        .isEqualTo(3);

    // a deactivated card is no longer shown
    Map<String, Object> inactive = card(cardName, promotionId, sku, group);
    inactive.put("active", false);
    assertThat(api.put("/admin/stamp-cards/" + cardId, inactive).status()).isEqualTo(200);
    assertThat(page(token).path("pointCards").findValuesAsString("name")).doesNotContain(cardName);
  }

  @Test
  void aLineWithoutAnArticleGroupTakesTheOneOfTheProductDataExport() {
    String sku = StorefrontFixtures.unique("espresso");
    String group = StorefrontFixtures.unique("coffee-group");
    Api.Response imported =
        api.send(
            "POST",
            "/admin/articles",
            "sku,articleGroup\n" + sku + "," + group + "\n",
            Map.of("Content-Type", "text/csv"));
    assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
    String promotionId = promotion(api, "Free coffee", List.of(channel("POS", "PERCENT", "100")));
    Map<String, Object> body =
        card(StorefrontFixtures.unique("Group card"), promotionId, "none", group);
    Api.Response created = api.post("/admin/stamp-cards", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String cardId = created.json().path("id").asString();
    String email = Api.uniqueEmail();
    String id = member(api, Map.of("email", email, "firstName", "Ola", "lastName", "Berg"));

    receipt(api, email, List.of(line("PURCHASE", sku, null, 2, "50")));

    int stamps =
        jdbc.sql(
                "select stamps from stamp_card_progress where contact_id = ?::uuid"
                    + " and card_id = ?::uuid")
            .params(id, cardId)
            .query(Integer.class)
            .single();
    assertThat(stamps).isEqualTo(2);
  }

  @Test
  void stampCardDefinitionsAreValidated() {
    String promotionId = promotion(api, "Reward", List.of(channel("POS", "PERCENT", "10")));
    Map<String, Object> noName = card("", promotionId, "a", "b");
    assertThat(api.post("/admin/stamp-cards", noName).errorCode()).isEqualTo("InvalidName");
    Map<String, Object> zeroSlots = card("Card", promotionId, "a", "b");
    zeroSlots.put("slots", 0);
    assertThat(api.post("/admin/stamp-cards", zeroSlots).errorCode()).isEqualTo("InvalidSlots");
    Map<String, Object> nothing = card("Card", promotionId, "a", "b");
    nothing.put("skus", List.of());
    nothing.put("articleGroups", List.of());
    assertThat(api.post("/admin/stamp-cards", nothing).errorCode()).isEqualTo("InvalidSkus");
    Api.Response unknown =
        api.post("/admin/stamp-cards", card("Card", UUID.randomUUID().toString(), "a", "b"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.errorCode()).isEqualTo("PromotionNotFound");
    assertThat(api.get("/admin/stamp-cards/" + UUID.randomUUID()).status()).isEqualTo(404);
  }
}

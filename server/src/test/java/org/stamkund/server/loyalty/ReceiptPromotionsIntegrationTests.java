package org.stamkund.server.loyalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stamkund.server.loyalty.LoyaltyFixtures.member;
import static org.stamkund.server.loyalty.LoyaltyFixtures.receipt;
import static org.stamkund.server.loyalty.LoyaltyFixtures.send;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.JsonNode;

/** {@code usedPromotions} on a receipt redeem the member's promotions, once. */
class ReceiptPromotionsIntegrationTests extends IntegrationTest {

  private String activePromotion() {
    Api.Response created =
        api.post(
            "/api/v2/promotions/multichannels",
            Map.of(
                "externalId",
                "it-receipt-promo-" + UUID.randomUUID(),
                "name",
                "20% off",
                "validity",
                Map.of("startDate", OffsetDateTime.now().minusDays(1).toString()),
                "redemptionChannels",
                List.of(Map.of("type", "POS", "valueType", "PERCENT", "value", "20"))));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().path("id").asString();
    Api.Response activated = api.post("/admin/promotions/" + id + "/activate", null);
    assertThat(activated.status()).as(activated.toString()).isEqualTo(200);
    return id;
  }

  private String assign(String contactId, String promotionId) {
    Api.Response assigned =
        api.post("/api/v2/contacts/" + contactId + "/promotions/" + promotionId + "/assign", null);
    assertThat(assigned.status()).as(assigned.toString()).isEqualTo(200);
    return assigned.json().path("id").asString();
  }

  private JsonNode instance(String contactId, String instanceId) {
    Api.Response all = api.get("/admin/promotions/assignments?contactId=" + contactId);
    assertThat(all.status()).as(all.toString()).isEqualTo(200);
    for (JsonNode item : all.json()) {
      if (item.path("id").asString().equals(instanceId)) {
        return item;
      }
    }
    throw new AssertionError("no instance " + instanceId + " in " + all);
  }

  @Test
  void aReceiptRedeemsTheCouponItNamesAndARepeatChangesNothing() {
    LoyaltyFixtures.Contact m = member(api);
    String coupon = assign(m.id(), activePromotion());
    LoyaltyFixtures.Receipt sale =
        receipt(m.email())
            .purchase("P-1", "100")
            .set("usedPromotions", List.of(Map.of("couponId", coupon)));
    send(api, sale);
    JsonNode redeemed = instance(m.id(), coupon);
    assertThat(redeemed.path("redeemed").asBoolean()).as(redeemed.toString()).isTrue();
    String receiptId = redeemed.path("receiptId").asString();
    assertThat(receiptId).isNotBlank();

    send(api, sale);
    assertThat(instance(m.id(), coupon).path("receiptId").asString()).isEqualTo(receiptId);

    // A coupon already used does not fail another receipt: it stands, with its points.
    LoyaltyFixtures.Receipt later =
        receipt(m.email())
            .purchase("P-2", "100")
            .set("usedPromotions", List.of(Map.of("couponId", coupon)));
    send(api, later);
    assertThat(instance(m.id(), coupon).path("receiptId").asString()).isEqualTo(receiptId);
    assertThat(LoyaltyFixtures.balance(api, m.id())).isEqualTo(200);
  }

  @Test
  void aUsedPromotionWithoutAnIdIsRefusedNamingTheField() {
    LoyaltyFixtures.Contact m = member(api);
    Api.Response answer =
        api.post(
            "/api/v2/receipts",
            receipt(m.email())
                .purchase("P-1", "100")
                .set("usedPromotions", List.of(Map.of("note", "x")))
                .body());
    assertThat(answer.status()).as(answer.toString()).isEqualTo(422);
    assertThat(answer.json().path("messageDetails").path("field").asString())
        .isEqualTo("usedPromotions[0].promotionId");
  }
}

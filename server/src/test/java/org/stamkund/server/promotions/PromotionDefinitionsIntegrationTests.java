package org.stamkund.server.promotions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stamkund.server.promotions.PromotionFixtures.activate;
import static org.stamkund.server.promotions.PromotionFixtures.assign;
import static org.stamkund.server.promotions.PromotionFixtures.channel;
import static org.stamkund.server.promotions.PromotionFixtures.create;
import static org.stamkund.server.promotions.PromotionFixtures.definition;
import static org.stamkund.server.promotions.PromotionFixtures.externalId;
import static org.stamkund.server.promotions.PromotionFixtures.inSeconds;
import static org.stamkund.server.promotions.PromotionFixtures.member;
import static org.stamkund.server.promotions.PromotionFixtures.redeem;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.JsonNode;

/** Promotion definitions: create, read, replace, validity, delete, and the status over time. */
class PromotionDefinitionsIntegrationTests extends IntegrationTest {

  private static final String BASE = "/api/v2/promotions/multichannels";

  @Test
  void aNewPromotionIsADraftAndReadsBackByIdAndByExternalId() {
    String externalId = externalId();
    Map<String, Object> body =
        definition(
            externalId,
            List.of(
                channel("POS", "percent", "20.50"),
                channel("ECOM", "EXTERNALOFFER", "RSX78CVHCX6X"),
                channel("OTHER", "MONEY", "100")));
    body.put(
        "validity",
        Map.of(
            "startDate", "2026-12-01T00:00:00+01:00",
            "endDate", "2027-01-01T00:00:00+01:00",
            "assignedValidity", Map.of("unit", "days", "amount", 14)));
    Api.Response created = api.post(BASE, body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode p = created.json();
    assertThat(p.path("status").asString()).isEqualTo("Draft");
    assertThat(p.path("externalId").asString()).isEqualTo(externalId);
    assertThat(p.path("validity").path("assignedValidity").path("unit").asString())
        .isEqualTo("Days");
    assertThat(p.path("validity").path("assignedValidity").path("amount").asInt()).isEqualTo(14);
    assertThat(p.path("presentation").path("heading").asString()).isEqualTo("Twenty off");
    // a definition's values read back as text, normalised
    assertThat(p.path("redemptionChannels").get(0).path("value").asString()).isEqualTo("20.5");
    assertThat(p.path("redemptionChannels").get(0).path("valueType").asString())
        .isEqualTo("PERCENT");
    assertThat(p.path("redemptionChannels").get(2).path("currency").asString()).isEqualTo("SEK");

    String id = p.path("id").asString();
    Api.Response byId = api.get(BASE + "/" + id);
    assertThat(byId.status()).isEqualTo(200);
    assertThat(byId.json()).isEqualTo(p);
    Api.Response byExternalId = api.get(BASE + "?externalId=" + externalId);
    assertThat(byExternalId.status()).isEqualTo(200);
    assertThat(byExternalId.json().path("id").asString()).isEqualTo(id);
    Api.Response validity = api.get(BASE + "/validity?externalId=" + externalId);
    assertThat(validity.json().path("startDate").asString()).isEqualTo("2026-12-01T00:00:00+01:00");
    assertThat(api.get(BASE + "/" + id + "/validity").json()).isEqualTo(validity.json());
  }

  @Test
  void aDraftGoesScheduledThenActiveThenEndedByItsDates() throws Exception {
    String id =
        create(
            api,
            withValidity(
                definition(externalId(), List.of(channel("POS", "PERCENT", "10"))),
                inSeconds(2),
                inSeconds(4)));
    assertThat(api.get(BASE + "/" + id).json().path("status").asString()).isEqualTo("Draft");

    assertThat(activate(api, id).path("status").asString()).isEqualTo("Scheduled");
    String contact = member(api);
    String instance = assign(api, contact, id);
    Api.Response early = redeem(api, instance, "POS");
    assertThat(early.status()).as(early.toString()).isEqualTo(409);
    assertThat(early.errorCode()).isEqualTo("PromotionNotActive");

    awaitStatus(id, "Active");
    Api.Response again = api.post("/admin/promotions/" + id + "/activate", null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.errorCode()).isEqualTo("PromotionNotDraft");

    awaitStatus(id, "Ended");
    Api.Response late = redeem(api, instance, "POS");
    assertThat(late.status()).as(late.toString()).isEqualTo(409);
    assertThat(late.errorCode()).isEqualTo("PromotionExpired");
    Api.Response assignLate =
        api.post("/api/v2/contacts/" + member(api) + "/promotions/" + id + "/assign", null);
    assertThat(assignLate.status()).isEqualTo(409);
    assertThat(assignLate.errorCode()).isEqualTo("PromotionExpired");
  }

  @Test
  void aDraftWhoseEndHasPassedCannotBeActivatedAndADraftCannotBeAssigned() {
    String id =
        create(
            api,
            withValidity(
                definition(externalId(), List.of(channel("POS", "PERCENT", "10"))),
                inSeconds(-7200),
                inSeconds(-3600)));
    Api.Response assigned =
        api.post("/api/v2/contacts/" + member(api) + "/promotions/" + id + "/assign", null);
    assertThat(assigned.status()).isEqualTo(409);
    assertThat(assigned.errorCode()).isEqualTo("PromotionNotActive");
    Api.Response activated = api.post("/admin/promotions/" + id + "/activate", null);
    assertThat(activated.status()).isEqualTo(409);
    assertThat(activated.errorCode()).isEqualTo("PromotionExpired");
    assertThat(api.get(BASE + "/" + id).json().path("status").asString()).isEqualTo("Draft");
  }

  @Test
  void aDraftIsReplacedWithAbsentFieldsKeptAndNullsClearedButAnActiveOneIsNot() {
    String externalId = externalId();
    String id = create(api, definition(externalId, List.of(channel("POS", "PERCENT", "10"))));
    Map<String, Object> change = new LinkedHashMap<>();
    change.put("id", id);
    change.put("name", "Half price");
    change.put("presentation", null);
    change.put("redemptionChannels", List.of(channel("ECOM", "MONEY", "50")));
    Api.Response replaced = api.put(BASE + "/" + id, change);
    assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
    JsonNode p = replaced.json();
    assertThat(p.path("name").asString()).isEqualTo("Half price");
    assertThat(p.path("externalId").asString()).isEqualTo(externalId);
    assertThat(p.path("presentation").path("heading").isNull()).isTrue();
    assertThat(p.path("redemptionChannels")).hasSize(1);
    assertThat(p.path("redemptionChannels").get(0).path("type").asString()).isEqualTo("ECOM");

    Api.Response validity =
        api.put(
            BASE + "/" + id + "/validity",
            Map.of(
                "startDate",
                "2027-02-01T00:00:00+01:00",
                "assignedValidity",
                Map.of("unit", "Months", "amount", 2)));
    assertThat(validity.status()).as(validity.toString()).isEqualTo(200);
    assertThat(validity.json().path("validity").path("assignedValidity").path("unit").asString())
        .isEqualTo("Months");
    assertThat(validity.json().path("validity").path("endDate").isNull()).isTrue();

    activate(api, id);
    Api.Response refused = api.put(BASE + "/" + id, Map.of("name", "Too late"));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo("PromotionNotDraft");
    Api.Response refusedValidity =
        api.put(BASE + "/" + id + "/validity", Map.of("startDate", "2027-03-01"));
    assertThat(refusedValidity.status()).isEqualTo(409);
    assertThat(api.get(BASE + "/" + id).json().path("name").asString()).isEqualTo("Half price");
  }

  @Test
  void aPromotionIsDeletedOnlyWhileNoContactHoldsIt() {
    String unassigned = create(api, definition(externalId(), List.of()));
    Api.Response deleted = api.delete(BASE + "/" + unassigned);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().path("statusCode").asString()).isEqualTo("OK");
    assertThat(api.get(BASE + "/" + unassigned).errorCode()).isEqualTo("PromotionNotFound");

    String externalId = externalId();
    String held = create(api, definition(externalId, List.of(channel("POS", "SWIPE", "x"))));
    activate(api, held);
    assign(api, member(api), held);
    Api.Response refused = api.delete(BASE + "?externalId=" + externalId);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo("PromotionAssigned");
    assertThat(api.get(BASE + "/" + held).status()).isEqualTo(200);

    String byExternal = externalId();
    create(api, definition(byExternal, List.of()));
    assertThat(api.delete(BASE + "?externalId=" + byExternal).status()).isEqualTo(200);
    assertThat(api.get(BASE + "?externalId=" + byExternal).status()).isEqualTo(404);
  }

  @Test
  void aContactsPromotionsShowChannelValuesTypedAsTheReferenceSays() {
    String id =
        create(
            api,
            definition(
                externalId(),
                List.of(
                    channel("POS", "PERCENT", "20"),
                    channel("ECOM", "EXTERNALOFFER", "RSX78CVHCX6X"),
                    Map.of(
                        "type",
                        "OTHER",
                        "valueType",
                        "MONEY",
                        "value",
                        "99.50",
                        "currency",
                        "eur",
                        "localValues",
                        List.of(Map.of("currency", "SEK", "amount", 1100))))));
    activate(api, id);
    String contact = member(api);
    assign(api, contact, id);
    JsonNode list = api.get("/api/v2/contacts/" + contact + "/promotions").json();
    assertThat(list).hasSize(1);
    JsonNode promotion = list.get(0);
    assertThat(promotion.path("promotionId").asString()).isEqualTo(id);
    assertThat(promotion.path("type").asString()).isEqualTo("Multichannel");
    assertThat(promotion.path("redeemed").asBoolean()).isFalse();
    assertThat(promotion.path("heading").asString()).isEqualTo("Twenty off");
    JsonNode channels = promotion.path("redemptionChannels");
    assertThat(channels.get(0).path("value").isNumber()).isTrue();
    assertThat(channels.get(0).path("value").decimalValue()).isEqualByComparingTo("20");
    assertThat(channels.get(1).path("value").asString()).isEqualTo("RSX78CVHCX6X");
    assertThat(channels.get(2).path("value").path("amount").decimalValue())
        .isEqualByComparingTo(new BigDecimal("99.5"));
    assertThat(channels.get(2).path("value").path("currency").asString()).isEqualTo("EUR");
    assertThat(channels.get(2).path("localValues").get(0).path("currency").asString())
        .isEqualTo("SEK");
  }

  @Test
  void badDefinitionsAre422NamingEveryFieldAndWriteNothing() {
    String externalId = externalId();
    Map<String, Object> body =
        definition(
            externalId,
            List.of(
                channel("WEB", "PERCENT", "20"),
                channel("POS", "PERCENT", "150"),
                channel("ECOM", "MANUAL", "")));
    body.put("name", " ");
    body.put(
        "validity",
        Map.of(
            "startDate",
            "2027-01-01",
            "endDate",
            "not a date",
            "assignedValidity",
            Map.of("unit", "Weeks", "amount", 0)));
    Api.Response refused = api.post(BASE, body);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.json().path("messageDetails").path("errors").findValuesAsString("field"))
        .containsExactly(
            "name",
            "validity.endDate",
            "validity.assignedValidity.unit",
            "validity.assignedValidity.amount",
            "redemptionChannels[0].type",
            "redemptionChannels[1].value",
            "redemptionChannels[2].valueType");
    assertThat(api.get(BASE + "?externalId=" + externalId).status()).isEqualTo(404);

    Api.Response backwards =
        api.post(
            BASE,
            withValidity(
                definition(externalId, List.of()), "2027-02-01T00:00:00Z", "2027-01-01T00:00:00Z"));
    assertThat(backwards.status()).isEqualTo(422);
    assertThat(backwards.errorCode()).isEqualTo("InvalidEndDate");

    Api.Response duplicate =
        api.post(
            BASE,
            definition(
                externalId,
                List.of(channel("POS", "PERCENT", "5"), channel("pos", "PERCENT", "6"))));
    assertThat(duplicate.errorCode()).isEqualTo("DuplicateRedemptionChannel");

    assertThat(api.post(BASE, "{not json").status()).isEqualTo(400);
    assertThat(api.post(BASE, null).errorCode()).isEqualTo("NoData");
    assertThat(api.post(BASE, Map.of("name", "x", "validity", "soon")).status()).isEqualTo(422);
    assertThat(api.get(BASE + "/not-a-guid").errorCode()).isEqualTo("InvalidPromotionId");
    assertThat(api.get(BASE + "/" + java.util.UUID.randomUUID()).errorCode())
        .isEqualTo("PromotionNotFound");
    assertThat(api.get(BASE + "?externalId=" + externalId).status()).isEqualTo(404);

    create(api, definition(externalId, List.of()));
    Api.Response taken = api.post(BASE, definition(externalId, List.of()));
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.errorCode()).isEqualTo("DuplicateExternalId");
  }

  @Test
  void promotionEndpointsNeedTheirScopes() {
    Api none = api.withKey(null);
    assertThat(none.get(BASE + "?externalId=x").status()).isEqualTo(401);
    assertThat(
            none.post("/admin/promotions/" + java.util.UUID.randomUUID() + "/activate", null)
                .status())
        .isEqualTo(401);
  }

  @Test
  void theOpenApiDocumentListsEveryPromotionEndpoint() {
    JsonNode paths = api.withKey(null).get("/v3/api-docs").json().path("paths");
    for (String path :
        List.of(
            BASE,
            BASE + "/{id}",
            BASE + "/{id}/validity",
            BASE + "/validity",
            "/api/v2/contacts/{contactId}/promotions",
            "/api/v2/contacts/{contactId}/promotions/{promotionId}/assign",
            "/api/v2/contacts/{contactId}/promotions/{promotionId}/redeem",
            "/api/v2/promotions/codes/{id}/redeem",
            "/api/v2/promotions/codes/{id}/check",
            "/admin/promotions",
            "/admin/promotions/{id}/activate",
            "/admin/promotions/{id}/assignments",
            "/admin/promotions/assignments")) {
      assertThat(paths.has(path)).as(path).isTrue();
    }
  }

  @Test
  void theContactOverviewListsTheContactsUsablePromotions() {
    String promotion = PromotionFixtures.activePosAndEcom(api);
    String contact = member(api);
    String instance = assign(api, contact, promotion);
    JsonNode overview = api.get("/api/v2/contactoverview?contactId=" + contact).json();
    assertThat(overview.path("promotions")).hasSize(1);
    assertThat(overview.path("promotions").get(0).path("id").asString()).isEqualTo(instance);
  }

  private void awaitStatus(String id, String status) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    String current = "";
    while (System.nanoTime() < deadline) {
      current = api.get(BASE + "/" + id).json().path("status").asString();
      if (current.equals(status)) {
        return;
      }
      Thread.sleep(100);
    }
    assertThat(current).isEqualTo(status);
  }

  private static Map<String, Object> withValidity(
      Map<String, Object> body, String start, String end) {
    body.put("validity", Map.of("startDate", start, "endDate", end));
    return body;
  }
}

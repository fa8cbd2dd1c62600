package org.stamkund.server.promotions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stamkund.server.promotions.PromotionFixtures.activate;
import static org.stamkund.server.promotions.PromotionFixtures.activePosAndEcom;
import static org.stamkund.server.promotions.PromotionFixtures.assign;
import static org.stamkund.server.promotions.PromotionFixtures.channel;
import static org.stamkund.server.promotions.PromotionFixtures.create;
import static org.stamkund.server.promotions.PromotionFixtures.definition;
import static org.stamkund.server.promotions.PromotionFixtures.externalId;
import static org.stamkund.server.promotions.PromotionFixtures.held;
import static org.stamkund.server.promotions.PromotionFixtures.member;
import static org.stamkund.server.promotions.PromotionFixtures.redeem;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.JsonNode;

/** Assigning promotions and redeeming each instance exactly once. */
class PromotionRedemptionIntegrationTests extends IntegrationTest {

  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate transactions;
  @Autowired PromotionManagement management;

  @Test
  void anActivePromotionIsAssignedListedPerChannelAndRedeemedOnceAtTheTill() {
    String promotion = activePosAndEcom(api);
    String posOnly = create(api, definition(externalId(), List.of(channel("POS", "SWIPE", ""))));
    activate(api, posOnly);
    String contact = member(api);
    String instance = assign(api, contact, promotion);
    // assigning again answers the same instance
    assertThat(assign(api, contact, promotion)).isEqualTo(instance);
    String swipe = assign(api, contact, posOnly);

    assertThat(promotions(contact, "")).containsExactlyInAnyOrder(instance, swipe);
    assertThat(promotions(contact, "?redemptionChannelType=ecom")).containsExactly(instance);
    assertThat(promotions(contact, "?redemptionChannelType=POS"))
        .containsExactlyInAnyOrder(instance, swipe);
    assertThat(promotions(contact, "?redemptionChannelType=OTHER")).isEmpty();
    Api.Response badFilter =
        api.get("/api/v2/contacts/" + contact + "/promotions?redemptionChannelType=WEB");
    assertThat(badFilter.status()).isEqualTo(400);
    assertThat(badFilter.errorCode()).isEqualTo("NotAValidRedemptionChannel");

    Api.Response redeemed = redeem(api, instance, "pos");
    assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(200);
    assertThat(redeemed.json().path("redeemed").asBoolean()).isTrue();
    assertThat(redeemed.json().path("redeemedOn").isString()).isTrue();

    Api.Response twice = redeem(api, instance, "ECOM");
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.errorCode()).isEqualTo("PromotionAlreadyRedeemed");
    assertThat(promotions(contact, "")).containsExactly(swipe);
    JsonNode all = held(api, contact);
    JsonNode first = find(all, instance);
    assertThat(first.path("state").asString()).isEqualTo("Redeemed");
    assertThat(first.path("redemptionChannel").asString()).isEqualTo("POS");
  }

  @Test
  void aContactRedeemsByTheDefinitionIdOrTheInstanceId() {
    String promotion = activePosAndEcom(api);
    String other = activePosAndEcom(api);
    String contact = member(api);
    String instance = assign(api, contact, promotion);
    String otherInstance = assign(api, contact, other);

    Api.Response byDefinition =
        api.post(
            "/api/v2/contacts/" + contact + "/promotions/" + promotion + "/redeem",
            Map.of("redemptionChannel", "ECOM"));
    assertThat(byDefinition.status()).as(byDefinition.toString()).isEqualTo(200);
    assertThat(byDefinition.json().path("id").asString()).isEqualTo(instance);

    Api.Response byInstance =
        api.post(
            "/api/v2/contacts/" + contact + "/promotions/" + otherInstance + "/redeem",
            Map.of("redemptionChannel", "POS"));
    assertThat(byInstance.status()).as(byInstance.toString()).isEqualTo(200);
    assertThat(held(api, contact))
        .allSatisfy(h -> assertThat(h.path("redeemed").asBoolean()).isTrue());
  }

  @Test
  void everyRedemptionErrorCodeIsReachableAndChangesNothing() {
    String promotion = activePosAndEcom(api);
    String holder = member(api);
    String stranger = member(api);
    String instance = assign(api, holder, promotion);

    expect(redeem(api, instance, "OTHER"), 409, "PromotionNotValidForRedemptionChannel");
    expect(redeem(api, instance, "WEB"), 400, "NotAValidRedemptionChannel");
    expect(
        api.post("/api/v2/promotions/codes/" + instance + "/redeem", Map.of()),
        400,
        "NotAValidRedemptionChannel");
    expect(
        api.post("/api/v2/promotions/codes/" + instance + "/redeem", null),
        400,
        "NotAValidRedemptionChannel");
    expect(redeem(api, "nope", "POS"), 400, "InvalidPromotionIdNoData");
    expect(redeem(api, UUID.randomUUID().toString(), "POS"), 404, "PromotionNotFound");
    expect(
        api.post(
            "/api/v2/contacts/" + stranger + "/promotions/" + instance + "/redeem",
            Map.of("redemptionChannel", "POS")),
        404,
        "PromotionNotAssociatedWithContact");
    expect(
        api.post(
            "/api/v2/contacts/" + stranger + "/promotions/" + promotion + "/redeem",
            Map.of("redemptionChannel", "POS")),
        404,
        "PromotionNotAssociatedWithContact");
    expect(
        api.post(
            "/api/v2/contacts/" + UUID.randomUUID() + "/promotions/" + promotion + "/redeem",
            Map.of("redemptionChannel", "POS")),
        404,
        "ContactNotFound");
    expect(
        api.post(
            "/api/v2/contacts/" + holder + "/promotions/" + UUID.randomUUID() + "/assign", null),
        404,
        "PromotionNotFound");
    expect(
        api.post("/api/v2/contacts/not-an-id/promotions/" + promotion + "/assign", null),
        400,
        "InvalidContactId");
    // none of it redeemed anything
    assertThat(find(held(api, holder), instance).path("redeemed").asBoolean()).isFalse();

    // expired: the instance's own validity ran out (set back in time, as days are the unit)
    jdbc.sql("update promotion_assignments set expires_on = ? where id = ?")
        .params(Timestamp.from(Instant.now().minusSeconds(1)), UUID.fromString(instance))
        .update();
    expect(redeem(api, instance, "POS"), 409, "PromotionExpired");
    assertThat(find(held(api, holder), instance).path("state").asString()).isEqualTo("Expired");
  }

  @Test
  void aCheckAnswersWhetherAnInstanceIsUsableWithoutRedeemingIt() {
    String promotion = activePosAndEcom(api);
    String holder = member(api);
    String stranger = member(api);
    String instance = assign(api, holder, promotion);
    String path = "/api/v2/promotions/codes/" + instance + "/check";

    Api.Response usable = api.get(path + "?contactId=" + holder + "&redemptionChannelType=ECOM");
    assertThat(usable.status()).as(usable.toString()).isEqualTo(200);
    assertThat(usable.json().path("usable").asBoolean()).isTrue();
    assertThat(usable.json().path("errorCode").isNull()).isTrue();
    assertThat(usable.json().path("promotion").path("id").asString()).isEqualTo(instance);
    // checking twice changes nothing: it is still usable
    assertThat(
            api.get(path + "?contactId=" + holder + "&redemptionChannelType=ECOM")
                .json()
                .path("usable")
                .asBoolean())
        .isTrue();

    JsonNode wrongChannel =
        api.get(path + "?contactId=" + holder + "&redemptionChannelType=OTHER").json();
    assertThat(wrongChannel.path("usable").asBoolean()).isFalse();
    assertThat(wrongChannel.path("errorCode").asString())
        .isEqualTo("PromotionNotValidForRedemptionChannel");
    JsonNode notTheirs =
        api.get(path + "?contactId=" + stranger + "&redemptionChannelType=POS").json();
    assertThat(notTheirs.path("errorCode").asString())
        .isEqualTo("PromotionNotAssociatedWithContact");
    assertThat(notTheirs.path("promotion").isNull()).isTrue();
    expect(
        api.get(path + "?contactId=" + holder + "&redemptionChannelType=x"),
        400,
        "NotAValidRedemptionChannel");
    expect(api.get(path + "?redemptionChannelType=POS"), 400, "MissingParameter");
    expect(
        api.get(
            "/api/v2/promotions/codes/"
                + UUID.randomUUID()
                + "/check?contactId="
                + holder
                + "&redemptionChannelType=POS"),
        404,
        "PromotionNotFound");
    assertThat(find(held(api, holder), instance).path("redeemed").asBoolean()).isFalse();

    assertThat(redeem(api, instance, "ECOM").status()).isEqualTo(200);
    JsonNode after = api.get(path + "?contactId=" + holder + "&redemptionChannelType=ECOM").json();
    assertThat(after.path("usable").asBoolean()).isFalse();
    assertThat(after.path("errorCode").asString()).isEqualTo("PromotionAlreadyRedeemed");
  }

  @Test
  void twentyRedemptionsRacingOnDifferentChannelsRedeemTheInstanceOnceOnOneChannel()
      throws Exception {
    String promotion =
        create(
            api,
            definition(
                externalId(),
                List.of(
                    channel("POS", "PERCENT", "20"),
                    channel("ECOM", "EXTERNALOFFER", "RACE"),
                    channel("OTHER", "MONEY", "50"))));
    activate(api, promotion);
    String contact = member(api);
    String instance = assign(api, contact, promotion);
    String[] channels = {"POS", "ECOM", "OTHER"};
    List<Api.Response> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Api.Response>> futures = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String channel = channels[i % 3];
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return redeem(api, instance, channel);
                }));
      }
      go.countDown();
      for (Future<Api.Response> f : futures) {
        answers.add(f.get(60, TimeUnit.SECONDS));
      }
    }
    List<Api.Response> won = answers.stream().filter(a -> a.status() == 200).toList();
    assertThat(won).as(answers.toString()).hasSize(1);
    assertThat(answers.stream().filter(a -> a.status() != 200))
        .hasSize(19)
        .allSatisfy(
            a -> {
              assertThat(a.status()).isEqualTo(409);
              assertThat(a.errorCode()).isEqualTo("PromotionAlreadyRedeemed");
            });
    JsonNode stored = find(held(api, contact), instance);
    assertThat(stored.path("state").asString()).isEqualTo("Redeemed");
    assertThat(stored.path("redeemedOn").asString())
        .isEqualTo(won.getFirst().json().path("redeemedOn").asString());
    long rows =
        jdbc.sql(
                "select count(*) from promotion_assignments where id = ? and redeemed_at is not null")
            .param(UUID.fromString(instance))
            .query(Long.class)
            .single();
    assertThat(rows).isEqualTo(1);
  }

  @Test
  void twentyAssignmentsRacingForOneContactCreateOneInstance() throws Exception {
    String promotion = activePosAndEcom(api);
    String contact = member(api);
    List<Api.Response> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Api.Response>> futures = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return api.post(
                      "/api/v2/contacts/" + contact + "/promotions/" + promotion + "/assign", null);
                }));
      }
      go.countDown();
      for (Future<Api.Response> f : futures) {
        answers.add(f.get(60, TimeUnit.SECONDS));
      }
    }
    assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.toString()).isEqualTo(200));
    assertThat(answers.stream().map(a -> a.json().path("id").asString()).distinct()).hasSize(1);
    assertThat(held(api, contact)).hasSize(1);
  }

  @Test
  void aRetriedRedemptionWithTheSameIdempotencyKeyGetsTheFirstAnswer() {
    String promotion = activePosAndEcom(api);
    String contact = member(api);
    String instance = assign(api, contact, promotion);
    String key = "it-" + UUID.randomUUID();
    Map<String, String> headers = Map.of("Idempotency-Key", key);
    Api.Response first =
        api.post(
            "/api/v2/promotions/codes/" + instance + "/redeem",
            Map.of("redemptionChannel", "POS"),
            headers);
    Api.Response retry =
        api.post(
            "/api/v2/promotions/codes/" + instance + "/redeem",
            Map.of("redemptionChannel", "POS"),
            headers);
    assertThat(first.status()).isEqualTo(200);
    assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
    assertThat(retry.json()).isEqualTo(first.json());
    Api.Response otherKey =
        api.post(
            "/api/v2/promotions/codes/" + instance + "/redeem",
            Map.of("redemptionChannel", "POS"),
            Map.of("Idempotency-Key", key + "-other"));
    assertThat(otherKey.errorCode()).isEqualTo("PromotionAlreadyRedeemed");
  }

  @Test
  void bulkAssignmentAssignsListedContactsAndReportsUnknownOnes() {
    String promotion = activePosAndEcom(api);
    String a = member(api);
    String b = member(api);
    assign(api, a, promotion);
    String unknown = UUID.randomUUID().toString();
    Api.Response bulk =
        api.post(
            "/admin/promotions/" + promotion + "/assignments",
            Map.of("contactIds", List.of(a, b, unknown, b)));
    assertThat(bulk.status()).as(bulk.toString()).isEqualTo(200);
    assertThat(bulk.json().path("assigned").asInt()).isEqualTo(1);
    assertThat(bulk.json().path("alreadyAssigned").asInt()).isEqualTo(1);
    assertThat(bulk.json().path("errors")).hasSize(1);
    assertThat(bulk.json().path("errors").get(0).path("index").asInt()).isEqualTo(2);
    assertThat(bulk.json().path("errors").get(0).path("errorCode").asString())
        .isEqualTo("ContactNotFound");
    assertThat(promotions(b, "")).hasSize(1);

    String c = member(api);
    Api.Response malformed =
        api.post(
            "/admin/promotions/" + promotion + "/assignments",
            Map.of("contactIds", List.of(c, "not-an-id")));
    assertThat(malformed.status()).isEqualTo(422);
    assertThat(malformed.json().path("messageDetails").path("field").asString())
        .isEqualTo("contactIds[1]");
    assertThat(promotions(c, "")).isEmpty();
    expect(
        api.post("/admin/promotions/" + promotion + "/assignments", Map.of()),
        400,
        "InvalidAssignmentTarget");
    expect(
        api.post(
            "/admin/promotions/" + promotion + "/assignments",
            Map.of("contactIds", List.of(c), "levelId", "gold")),
        400,
        "InvalidAssignmentTarget");
    assertThat(
            api.withKey(null)
                .post(
                    "/admin/promotions/" + promotion + "/assignments",
                    Map.of("contactIds", List.of(c)))
                .status())
        .isEqualTo(401);
  }

  @Test
  void bulkAssignmentByLevelReachesEveryMemberOfThatLevelOnly() {
    String promotion = activePosAndEcom(api);
    String level = "it-level-" + UUID.randomUUID();
    List<String> members = List.of(member(api), member(api), member(api));
    String otherLevel = member(api);
    for (String m : members) {
      holdLevel(m, level);
    }
    holdLevel(otherLevel, level + "-other");
    assign(api, members.getFirst(), promotion);

    Api.Response bulk =
        api.post("/admin/promotions/" + promotion + "/assignments", Map.of("levelId", level));
    assertThat(bulk.status()).as(bulk.toString()).isEqualTo(200);
    assertThat(bulk.json().path("assigned").asInt()).isEqualTo(2);
    assertThat(bulk.json().path("alreadyAssigned").asInt()).isEqualTo(1);
    for (String m : members) {
      assertThat(promotions(m, "")).hasSize(1);
    }
    assertThat(promotions(otherLevel, "")).isEmpty();
    Api.Response again =
        api.post("/admin/promotions/" + promotion + "/assignments", Map.of("levelId", level));
    assertThat(again.json().path("assigned").asInt()).isZero();
    assertThat(again.json().path("alreadyAssigned").asInt()).isEqualTo(3);
  }

  @Test
  void aReceiptRedeemsItsUsedPromotionsInItsOwnTransactionOnce() {
    String promotion = activePosAndEcom(api);
    String byExternal = externalId();
    String second =
        create(api, definition(byExternal, List.of(channel("ECOM", "EXTERNALOFFER", "E"))));
    activate(api, second);
    String unheld = activePosAndEcom(api);
    String contact = member(api);
    String instance = assign(api, contact, promotion);
    String secondInstance = assign(api, contact, second);
    UUID contactId = UUID.fromString(contact);
    UUID receipt = UUID.randomUUID();
    List<String> codes =
        List.of(instance, byExternal, unheld, "no-such-code", UUID.randomUUID().toString());

    List<PromotionManagement.ReceiptUse> uses =
        transactions.execute(
            tx -> management.redeemOnReceipt(contactId, codes, receipt, Instant.now()));
    assertThat(uses)
        .extracting(PromotionManagement.ReceiptUse::outcome)
        .containsExactly(
            "Redeemed",
            "Redeemed",
            "PromotionNotAssociatedWithContact",
            "PromotionNotFound",
            "PromotionNotFound");
    assertThat(uses.get(1).instanceId()).isEqualTo(UUID.fromString(secondInstance));
    JsonNode all = held(api, contact);
    assertThat(find(all, instance).path("receiptId").asString()).isEqualTo(receipt.toString());
    assertThat(find(all, instance).path("redemptionChannel").isNull()).isTrue();

    // the same receipt again: no further effect; another receipt: already redeemed
    List<PromotionManagement.ReceiptUse> rerun =
        transactions.execute(
            tx -> management.redeemOnReceipt(contactId, List.of(instance), receipt, Instant.now()));
    assertThat(rerun.getFirst().outcome()).isEqualTo("AlreadyRedeemedOnThisReceipt");
    assertThat(rerun.getFirst().redeemed()).isTrue();
    List<PromotionManagement.ReceiptUse> other =
        transactions.execute(
            tx ->
                management.redeemOnReceipt(
                    contactId, List.of(instance), UUID.randomUUID(), Instant.now()));
    assertThat(other.getFirst().outcome()).isEqualTo("PromotionAlreadyRedeemed");

    assertThatThrownBy(
            () ->
                management.redeemOnReceipt(
                    contactId, List.of(secondInstance), UUID.randomUUID(), Instant.now()))
        .isInstanceOf(IllegalTransactionStateException.class);
  }

  @Test
  void aRolledBackReceiptLeavesItsPromotionsUnredeemed() {
    String promotion = activePosAndEcom(api);
    String contact = member(api);
    String instance = assign(api, contact, promotion);
    assertThatThrownBy(
            () ->
                transactions.executeWithoutResult(
                    tx -> {
                      management.redeemOnReceipt(
                          UUID.fromString(contact),
                          List.of(instance),
                          UUID.randomUUID(),
                          Instant.now());
                      throw new IllegalStateException("the receipt failed later");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(find(held(api, contact), instance).path("redeemed").asBoolean()).isFalse();
    assertThat(redeem(api, instance, "POS").status()).isEqualTo(200);
  }

  private void holdLevel(String contactId, String level) {
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.sql(
            """
            insert into member_levels (contact_id, tier_id, value, since, updated_at)
            values (?, ?, 0, ?, ?)
            """)
        .params(UUID.fromString(contactId), level, now, now)
        .update();
  }

  private List<String> promotions(String contactId, String query) {
    Api.Response list = api.get("/api/v2/contacts/" + contactId + "/promotions" + query);
    assertThat(list.status()).as(list.toString()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    list.json().forEach(p -> ids.add(p.path("id").asString()));
    return ids;
  }

  private static JsonNode find(JsonNode all, String instanceId) {
    for (JsonNode h : all) {
      if (h.path("id").asString().equals(instanceId)) {
        return h;
      }
    }
    throw new AssertionError("no instance " + instanceId + " in " + all);
  }

  private static void expect(Api.Response response, int status, String errorCode) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.errorCode()).as(response.toString()).isEqualTo(errorCode);
    assertThat(response.json().path("statusCode").asInt()).isEqualTo(status);
  }
}

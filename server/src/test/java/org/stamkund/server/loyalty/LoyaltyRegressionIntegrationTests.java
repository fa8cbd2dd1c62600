package org.stamkund.server.loyalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stamkund.server.loyalty.LoyaltyFixtures.balance;
import static org.stamkund.server.loyalty.LoyaltyFixtures.member;
import static org.stamkund.server.loyalty.LoyaltyFixtures.receipt;
import static org.stamkund.server.loyalty.LoyaltyFixtures.send;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.JsonNode;

/** Each test names, in one sentence, a defect a review of the loyalty core found. */
class LoyaltyRegressionIntegrationTests extends IntegrationTest {

  @Autowired JdbcClient jdbc;

  @Autowired LoyaltyJobs jobs;

  @AfterEach
  void restore() {
    LoyaltyFixtures.restoreDefaults(api);
  }

  /** An unmatched legacy receipt made creating its contact fail with 422. */
  @Test
  void anUnmatchedLegacyReceiptAttachesWhenItsContactIsCreated() {
    String email = Api.uniqueEmail();
    Api.Response legacy =
        api.post(
            "/api/v2/transactions",
            Map.of(
                "receipts",
                List.of(
                    Map.of(
                        "externalId",
                        LoyaltyFixtures.unique("legacy"),
                        "invoiceNumber",
                        "L-1",
                        "customerKey",
                        email,
                        "customerKeyType",
                        "email",
                        "invoiceCreatedDate",
                        daysAgo(1),
                        "storeNumber",
                        "legacy-store",
                        "lines",
                        List.of(Map.of("articleNr", "A1", "quantity", 1, "price", 120))))));
    assertThat(legacy.status()).as(legacy.toString()).isEqualTo(200);
    Api.Response created = api.post("/api/v2/contacts", Map.of("email", email));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(balance(api, created.json().path("id").asString())).isEqualTo(120);
  }

  /** A negative adjustment drew only active lots, leaving pending lots out of step. */
  @Test
  void aNegativeAdjustmentKeepsTheLotsInStepWithTheTotal() {
    JsonNode program = api.get("/admin/loyalty/program").json();
    ((tools.jackson.databind.node.ObjectNode) program).put("pendingDays", 14);
    assertThat(api.put("/admin/loyalty/program", program).status()).isEqualTo(200);
    LoyaltyFixtures.Contact m = member(api);
    send(api, receipt(m.email()).purchase("P", "400"));
    assertThat(
            api.post(
                    "/api/v2/contacts/" + m.id() + "/rewardpointtransaction",
                    Map.of("points", -150, "description", "goodwill reversal"))
                .status())
        .isEqualTo(200);
    long total = total(m.id());
    long lots =
        jdbc.sql("select coalesce(sum(remaining), 0) from point_lots where contact_id = ?::uuid")
            .param(m.id())
            .query(Long.class)
            .single();
    assertThat(total).isEqualTo(250);
    assertThat(lots).isEqualTo(total);
  }

  /** Points of a receipt dated past their expiry were still turned into vouchers. */
  @Test
  void pointsAlreadyPastTheirExpiryAreNotTurnedIntoVouchers() {
    LoyaltyFixtures.Contact m = member(api);
    send(
        api,
        receipt(m.email()).purchase("OLD", "1000").set("createdDate", "2020-01-15T12:00:00+01:00"));
    assertThat(LoyaltyFixtures.vouchers(api, m.id(), "").path("totalCount").asInt()).isZero();
    assertThat(total(m.id())).isZero();
  }

  /** A return took the lot expiring first, not the returned purchase's own lot. */
  @Test
  void aReturnTakesBackThePointsOfThePurchaseItReturns() {
    LoyaltyFixtures.Contact m = member(api);
    send(api, receipt(m.email()).purchase("OLDER", "200").set("createdDate", monthsAgo(23)));
    send(api, receipt(m.email()).purchase("X", "200"));
    send(api, receipt(m.email()).returned("X", 1, "200"));
    long olderLot =
        jdbc.sql(
                """
                select l.remaining from point_lots l join point_movements pm on pm.id = l.movement_id
                join receipts r on r.id = pm.receipt_id
                where l.contact_id = ?::uuid and r.created_date < now() - interval '22 months'
                """)
            .param(m.id())
            .query(Long.class)
            .single();
    assertThat(olderLot).as("the soon-expiring lot of the other purchase").isEqualTo(200);
  }

  /** A return counted against the level long after the purchase it reverses left the window. */
  @Test
  void aReturnCountsAgainstTheLevelAtThePurchasesDate() {
    LoyaltyFixtures.Contact m = member(api);
    send(api, receipt(m.email()).purchase("L", "1000").set("createdDate", monthsAgo(13)));
    send(api, receipt(m.email()).returned("L", 1, "1000").set("createdDate", monthsAgo(1)));
    send(api, receipt(m.email()).purchase("N", "1500"));
    JsonNode level = api.get("/api/v2/contactoverview?contactId=" + m.id()).json().path("level");
    assertThat(level.path("id").asString()).isEqualTo("silver");
    assertThat(level.path("value").asLong()).isEqualTo(1500);
  }

  /** A return delivered late took from a purchase made after it. */
  @Test
  void aLateReturnTakesFromThePurchaseMadeBeforeIt() {
    LoyaltyFixtures.Contact m = member(api);
    send(api, receipt(m.email()).purchase("S", "100").set("createdDate", daysAgo(20)));
    send(api, receipt(m.email()).purchase("S", "300").set("createdDate", daysAgo(2)));
    send(api, receipt(m.email()).returned("S", 1, "100").set("createdDate", daysAgo(10)));
    assertThat(total(m.id())).isEqualTo(300);
  }

  /**
   * A return dated to the tenth of a microsecond with a purchase: the purchase, stored to the
   * microsecond, was compared with the return's unrounded date and counted as made after it.
   */
  @Test
  void aReturnDatedWithItsPurchaseBelowAMicrosecondTakesFromThatPurchase() {
    LoyaltyFixtures.Contact m = member(api);
    String at =
        java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(3) + "T10:15:54.1234567Z";
    send(api, receipt(m.email()).purchase("U", "100").set("createdDate", daysAgo(20)));
    send(api, receipt(m.email()).purchase("U", "300").set("createdDate", at));
    send(api, receipt(m.email()).returned("U", 1, "300").set("createdDate", at));
    assertThat(total(m.id())).as("the purchase of 300 taken back").isEqualTo(100);
  }

  /** Unmatched receipts attached key by key, so a return could come before its purchase. */
  @Test
  void unmatchedReceiptsAttachInPurchaseOrderAcrossKeys() {
    String email = Api.uniqueEmail();
    String phone = org.stamkund.server.contacts.ContactTestData.mobilePhone();
    send(
        api,
        receipt(email)
            .purchase("K", "400")
            .set("contact.matchKey", phone)
            .set("contact.matchKeyType", "mobilePhone")
            .set("createdDate", daysAgo(3)));
    send(api, receipt(email).returned("K", 1, "400").set("createdDate", daysAgo(1)));
    Api.Response created =
        api.post("/api/v2/contacts", Map.of("email", email, "mobilePhone", phone));
    assertThat(created.status()).isEqualTo(201);
    assertThat(total(created.json().path("id").asString())).isZero();
  }

  /** A number in a text field of a receipt was expanded in full (a 500, or worse). */
  @Test
  void aHugeNumberInATextFieldIsRefusedNotExpanded() {
    LoyaltyFixtures.Contact m = member(api);
    Api.Response refused =
        api.post(
            "/api/v2/receipts",
            "{\"contact\":{\"matchKey\":\""
                + m.email()
                + "\",\"matchKeyType\":\"email\"},\"uniqueReceiptId\":\""
                + LoyaltyFixtures.unique("huge")
                + "\",\"receiptNumber\":1e2147483647,\"createdDate\":\""
                + daysAgo(1)
                + "\",\"storeExternalId\":\"s\",\"currency\":\"SEK\",\"totalGrossPrice\":1,"
                + "\"paymentMethods\":[],\"items\":[{\"type\":\"PURCHASE\",\"sku\":\"a\","
                + "\"quantity\":1,\"grossPaidPrice\":1,\"taxAmount\":0,\"taxPercent\":0,"
                + "\"articleNumber\":\"a\",\"articleName\":\"a\"}]}");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().path("messageDetails").path("field").asString())
        .isEqualTo("receiptNumber");
  }

  /**
   * A receipt whose key a contact got only later (by an update, or while the receipt was being
   * stored) stayed unmatched for good; the attach-unmatched job now applies it.
   */
  @Test
  void aReceiptWhoseKeyAContactGetsLaterIsAttachedByTheSweeper() {
    LoyaltyFixtures.Contact m = member(api);
    String phone = org.stamkund.server.contacts.ContactTestData.mobilePhone();
    send(
        api,
        receipt(m.email())
            .purchase("SW", "300")
            .set("contact.matchKey", phone)
            .set("contact.matchKeyType", "mobilePhone"));
    assertThat(total(m.id())).isZero();
    assertThat(api.post("/api/v2/contacts/" + m.id(), Map.of("mobilePhone", phone)).status())
        .isEqualTo(200);
    int applied = 0;
    for (int round = 0; round < 20 && total(m.id()) == 0; round++) {
      applied += jobs.attachUnmatched();
    }
    assertThat(applied).isPositive();
    assertThat(total(m.id())).isEqualTo(300);
    assertThat(jobs.attachUnmatched())
        .as("a second sweep has nothing more to do for it")
        .isGreaterThanOrEqualTo(0);
    assertThat(total(m.id())).isEqualTo(300);
  }

  /** memberstatus answered 400 for a value that simply matches nobody. */
  @Test
  void memberStatusIsRedForAValueThatCannotMatch() {
    Api.Response status = api.get("/api/v2/memberstatus?query=email:not-an-email");
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.json().path("statusColor").asString()).isEqualTo("red");
  }

  private long total(String contactId) {
    return jdbc.sql(
            "select coalesce(sum(amount), 0) from point_movements where contact_id = ?::uuid")
        .param(contactId)
        .query(Long.class)
        .single();
  }

  private static String daysAgo(int days) {
    return OffsetDateTime.now(ZoneOffset.ofHours(1))
        .minusDays(days)
        .truncatedTo(ChronoUnit.SECONDS)
        .toString();
  }

  private static String monthsAgo(int months) {
    return OffsetDateTime.now(ZoneOffset.ofHours(1))
        .minusMonths(months)
        .truncatedTo(ChronoUnit.SECONDS)
        .toString();
  }
}

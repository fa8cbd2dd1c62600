package org.stamkund.server.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stamkund.engine.program.LoyaltyProgram;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import org.stamkund.server.contacts.ContactTestData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The loyalty core end to end: members created through the API, receipts posted over HTTP, jobs run
 * at chosen moments, and what {@code contactoverview}, {@code bonuschecks} and {@code
 * point-accounts} then show, with expected numbers worked out by hand. The programme is shared by
 * every test class, so each test that needs other rules puts the whole programme it needs, and the
 * defaults are restored after every test.
 */
class LoyaltyFlowIntegrationTests extends IntegrationTest {

  private static final ZoneId ZONE = ZoneId.of("Europe/Stockholm");
  private static final String PROGRAM = "/admin/loyalty/program";

  @Autowired LoyaltyJobs jobs;
  @Autowired JdbcClient jdbc;

  @BeforeEach
  void startFromTheDefaultProgramme() {
    restoreDefaults();
  }

  @AfterEach
  void restoreTheDefaultProgramme() {
    restoreDefaults();
  }

  private void restoreDefaults() {
    Api.Response r = api.put(PROGRAM, ProgramBody.of(LoyaltyProgram.defaults()));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  // ---------------------------------------------------------------------------------------------
  // The done-when
  // ---------------------------------------------------------------------------------------------

  @Test
  void
      memberWithPurchasesInTwoCurrenciesAndAReturnShowsTheSameExactBalanceLevelAndVouchersEverywhere() {
    String email = Api.uniqueEmail();
    Api.Response created =
        api.post("/api/v2/contacts", Map.of("email", email, "firstName", "Greta"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().path("id").asString();
    OffsetDateTime t1 = hoursAgo(5);
    OffsetDateTime t2 = hoursAgo(4);
    OffsetDateTime t3 = hoursAgo(3);

    // 2 x A for 300.00 and B for 333.33 SEK: 633.33 SEK -> 633 points -> one voucher, 133 left.
    post(Receipt.of("email", email).at(t1).buy("A", 2, "300.00").buy("B", 1, "333.33"));
    assertThat(balance(id)).isEqualTo(133);
    // C for 60.00 EUR at 11.2: 672 SEK -> 672 points -> 805 -> a second voucher, 305 left.
    post(Receipt.of("email", email).at(t2).currency("EUR").buy("C", 1, "60.00"));
    assertThat(balance(id)).isEqualTo(305);
    // One of the two A back: A earned 300 for 2 units, so 150 are taken back -> 155.
    post(Receipt.of("email", email).at(t3).returns("A", 1, "150.00"));

    // Vouchers drew 500 from the t1 lot (633 -> 133), then 133 + 367 from the t2 lot (672 ->
    // 305); the return took 150 from the t2 lot -> 155 left, all expiring 24 months after t2.
    String nextExpiry = expiryOf(t2, 24);
    // Level: 633 + 672 - 150 = 1155 points in the window -> silver; without the t1 receipt it
    // would be 522, so silver lapses 12 months after t1.
    String levelExpires = expiryOf(t1, 12);

    JsonNode overview = overview(id);
    JsonNode points = overview.path("bonusPoints");
    assertThat(points.path("balance").asLong()).isEqualTo(155);
    assertThat(points.path("pendingPoints").asLong()).isZero();
    assertThat(instant(points.path("nextExpiry"))).isEqualTo(Instant.parse(nextExpiry));
    JsonNode level = overview.path("level");
    assertThat(level.path("id").asString()).isEqualTo("silver");
    assertThat(level.path("name").asString()).isEqualTo("Silver");
    assertThat(level.path("value").asLong()).isEqualTo(1155);
    assertThat(instant(level.path("expires"))).isEqualTo(Instant.parse(levelExpires));
    assertThat(level.path("nextLevelId").isNull()).isTrue();
    assertThat(level.path("remainingToNextLevel").asLong()).isZero();
    JsonNode overviewChecks = overview.path("bonusChecks");
    assertThat(overviewChecks.size()).isEqualTo(2);
    for (JsonNode check : overviewChecks) {
      assertDefaultVoucher(check);
    }

    JsonNode all = api.get("/api/v2/contacts/" + id + "/bonuschecks").json();
    assertThat(all.path("totalCount").asLong()).isEqualTo(2);
    assertThat(checkNumbers(all.path("items"))).isEqualTo(checkNumbers(overviewChecks));
    for (JsonNode check : all.path("items")) {
      assertDefaultVoucher(check);
    }
    assertThat(count(id, "available")).isEqualTo(2);
    assertThat(count(id, "redeemed")).isZero();

    JsonNode accounts = api.get("/api/v2/point-accounts?contactId=" + id).json();
    assertThat(accounts.path("totalCount").asLong()).isEqualTo(1);
    JsonNode account = accounts.path("items").path(0);
    assertThat(account.path("contactId").asString()).isEqualTo(id);
    assertThat(account.path("definitionId").asLong()).isEqualTo(1);
    assertThat(account.path("balance").asLong()).isEqualTo(155);
    assertThat(account.path("pendingPoints").asLong()).isZero();
    assertThat(instant(account.path("balanceExpires"))).isEqualTo(Instant.parse(nextExpiry));

    assertThat(movements(id))
        .containsExactly(
            "Purchase 633", "BonusCheck -500", "Purchase 672", "BonusCheck -500", "Return -150");
    JsonNode legacy = api.get("/api/v2/contacts/" + id + "/bonuspointtransactions").json();
    assertThat(legacy.path("totalCount").asLong()).isEqualTo(5);
    List<Long> newestFirst = new ArrayList<>();
    legacy.path("items").forEach(m -> newestFirst.add(m.path("amount").asLong()));
    assertThat(newestFirst).containsExactly(-150L, -500L, 672L, -500L, 633L);
    assertLedgerConsistent(id);
  }

  private static void assertDefaultVoucher(JsonNode check) {
    assertThat(check.path("name").asString()).isEqualTo("Bonus check");
    assertThat(check.path("value").path("currency").asString()).isEqualTo("SEK");
    assertThat(check.path("value").path("amount").decimalValue()).isEqualByComparingTo("50");
    assertThat(check.path("bonusPoints").asLong()).isEqualTo(500);
    assertThat(check.path("redeemed").asBoolean()).isFalse();
    assertThat(check.path("expired").asBoolean()).isFalse();
    assertThat(localValues(check))
        .containsExactly(
            Map.entry("EUR", new BigDecimal("4.46")), Map.entry("NOK", new BigDecimal("50.00")));
  }

  // ---------------------------------------------------------------------------------------------
  // Earning
  // ---------------------------------------------------------------------------------------------

  @Test
  void pointsAreRoundedDownOncePerReceiptNotPerLine() {
    String id = member();
    post(
        Receipt.of(id)
            .buy("L1", 1, "33.40")
            .buy("L2", 1, "33.40")
            .buy("L3", 1, "33.40")); // 100.20 SEK -> 100, not 3 x 33 = 99
    assertThat(balance(id)).isEqualTo(100);
    // The 100 are spread over the lines so that returning all of them takes back exactly 100.
    post(
        Receipt.of(id)
            .returns("L1", 1, "33.40")
            .returns("L2", 1, "33.40")
            .returns("L3", 1, "33.40"));
    assertThat(balance(id)).isZero();
    assertLedgerConsistent(id);
  }

  @Test
  void linesThatDoNotAwardBonusAndAdjustmentLinesEarnNothing() {
    String id = member();
    post(
        Receipt.of(id)
            .buy("EARNS", 1, "100.00")
            .buyWithoutBonus("GIFTCARD", 1, "200.00")
            .adjustment("SHIPPING", "50.00"));
    assertThat(balance(id)).isEqualTo(100);
    assertLedgerConsistent(id);
  }

  @Test
  void theSameUniqueReceiptIdAgainHasNoSecondEffect() {
    String id = member();
    Receipt receipt = Receipt.of(id).buy("X", 1, "120.00");
    post(receipt);
    post(receipt);
    assertThat(balance(id)).isEqualTo(120);
    assertThat(movements(id)).containsExactly("Purchase 120");
    assertLedgerConsistent(id);
  }

  @Test
  void exchangeRateOnTheReceiptIsUsedWhenGivenAndTheProgrammeRateOtherwise() {
    String id = member();
    post(Receipt.of(id).currency("EUR").buy("E1", 1, "10.00")); // 11.2 -> 112
    assertThat(balance(id)).isEqualTo(112);
    post(Receipt.of(id).currency("EUR").rate("10").buy("E2", 1, "10.00")); // 10 -> 100
    assertThat(balance(id)).isEqualTo(212);
    post(Receipt.of(id).currency("DKK").rate("1.55").buy("D1", 1, "100.00")); // 155
    assertThat(balance(id)).isEqualTo(367);
    assertLedgerConsistent(id);
  }

  @Test
  void unknownCurrencyWithoutARateIsRefusedAndStoresNothing() {
    String id = member();
    Receipt receipt = Receipt.of(id).currency("XTS").buy("Q", 1, "100.00");
    Api.Response refused = api.post("/api/v2/receipts", receipt.json());
    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo("UnknownCurrency");
    assertThat(refused.text()).contains("currency");
    assertThat(
            jdbc.sql("select count(*) from receipts where unique_receipt_id = ?")
                .param(receipt.uniqueReceiptId)
                .query(Long.class)
                .single())
        .isZero();
    assertThat(balance(id)).isZero();
    assertLedgerConsistent(id);
  }

  @Test
  void receiptsFindTheMemberByAllSixMatchKeyTypesInAnyCase() {
    String email = Api.uniqueEmail();
    String phone = "+4670" + digits(7);
    String externalId = "ext-" + UUID.randomUUID().toString().substring(0, 8);
    String personnummer = ContactTestData.personnummer();
    Api.Response created =
        api.post(
            "/api/v2/contacts",
            Map.of(
                "email",
                email,
                "mobilePhone",
                phone,
                "externalId",
                externalId,
                "socialSecurityNumber",
                personnummer));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().path("id").asString();
    String memberNumber = created.json().path("attributes").path("memberNumber").asString();
    assertThat(memberNumber).matches("\\d+");

    String national = "0" + phone.substring(3, 5) + "-" + phone.substring(5);
    String tenDigits = personnummer.substring(2, 8) + "-" + personnummer.substring(8);
    List<List<String>> keys =
        List.of(
            List.of("CONTACTID", id.toUpperCase(Locale.ROOT)),
            List.of("EMAIL", email.toUpperCase(Locale.ROOT)),
            List.of("mobilephone", national),
            List.of("MemberNumber", memberNumber),
            List.of("EXTERNALID", externalId),
            List.of("socialsecuritynumber", tenDigits));
    long expected = 0;
    for (int i = 0; i < keys.size(); i++) {
      long price = 10L * (i + 1);
      post(Receipt.of(keys.get(i).get(0), keys.get(i).get(1)).buy("K" + i, 1, price + ".00"));
      expected += price;
      assertThat(balance(id)).as("after the %s receipt", keys.get(i).get(0)).isEqualTo(expected);
    }
    assertThat(expected).isEqualTo(210);
    assertLedgerConsistent(id);
  }

  // ---------------------------------------------------------------------------------------------
  // Unmatched receipts (seed 004's secondary-key fallback)
  // ---------------------------------------------------------------------------------------------

  @Test
  void unmatchedReceiptEarnsNothingUntilAMemberWithItsPhoneIsCreated() {
    String phone = "4670" + digits(7); // as seed 004 sends it: calling code without a plus
    Receipt receipt = Receipt.of("mobilePhone", phone).buy("U", 1, "240.00");
    post(receipt);
    assertThat(receiptRow(receipt))
        .containsEntry("status", "Unmatched")
        .containsEntry("contact", null);
    assertThat(
            jdbc.sql(
                    "select count(*) from point_movements m join receipts r on r.id = m.receipt_id"
                        + " where r.unique_receipt_id = ?")
                .param(receipt.uniqueReceiptId)
                .query(Long.class)
                .single())
        .isZero();

    Api.Response created =
        api.post(
            "/api/v2/contacts", Map.of("email", Api.uniqueEmail(), "mobilePhone", "+" + phone));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().path("id").asString();

    assertThat(balance(id)).isEqualTo(240);
    assertThat(receiptRow(receipt))
        .containsEntry("status", "Processed")
        .containsEntry("contact", id);
    assertThat(overview(id).path("level").path("value").asLong()).isEqualTo(240);
    assertLedgerConsistent(id);
  }

  @Test
  void unmatchedReceiptAttachesToAMemberCreatedInBulk() {
    String phone = "4670" + digits(7);
    Receipt receipt = Receipt.of("mobilePhone", phone).buy("U", 2, "310.00");
    post(receipt);
    assertThat(receiptRow(receipt)).containsEntry("status", "Unmatched");

    String email = Api.uniqueEmail();
    Api.Response bulk =
        api.post(
            "/api/v2/contacts/bulk?contactType=Member",
            List.of(Map.of("email", email, "mobilePhone", "+" + phone)));
    assertThat(bulk.status()).as(bulk.toString()).isEqualTo(200);
    String id = api.get("/api/v2/contacts/id?email=" + email).json().asString();

    assertThat(balance(id)).isEqualTo(310);
    assertThat(receiptRow(receipt))
        .containsEntry("status", "Processed")
        .containsEntry("contact", id);
    assertLedgerConsistent(id);
  }

  @Test
  void unmatchedMemberReceiptDoesNotAttachToALaterNonMemberContact() {
    String email = Api.uniqueEmail();
    Receipt receipt = Receipt.of("email", email).buy("U", 1, "100.00");
    post(receipt);

    Api.Response created =
        api.post("/api/v2/contacts", Map.of("contactType", "contact", "email", email));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().path("id").asString();
    // The same receipt posted now would not match a non-member (contactType defaults to Member).
    Receipt sameKeyNow = Receipt.of("email", email).buy("U", 1, "100.00");
    post(sameKeyNow);
    assertThat(receiptRow(sameKeyNow)).containsEntry("status", "Unmatched");
    // So the earlier one should not have attached either.
    assertThat(receiptRow(receipt)).containsEntry("status", "Unmatched");
    assertThat(total(id)).isZero();
    assertLedgerConsistent(id);
  }

  // ---------------------------------------------------------------------------------------------
  // Returns
  // ---------------------------------------------------------------------------------------------

  @Test
  void returnTakesBackExactlyWhatTheReturnedUnitsEarnedInFullOrInTwoSteps() {
    String id = member();
    post(Receipt.of(id).at(hoursAgo(6)).buy("FULL", 1, "123.45").buy("PART", 3, "100.00"));
    assertThat(balance(id)).isEqualTo(223); // 223.45 -> 223: FULL 123, PART 100
    post(Receipt.of(id).at(hoursAgo(5)).returns("FULL", 1, "123.45"));
    assertThat(balance(id)).isEqualTo(100);
    post(Receipt.of(id).at(hoursAgo(4)).returns("PART", 1, "33.33"));
    assertThat(balance(id)).isEqualTo(67); // floor(100 x 1/3) = 33 taken
    post(Receipt.of(id).at(hoursAgo(3)).returns("PART", 2, "66.67"));
    assertThat(balance(id)).isZero(); // the remaining 67: 33 + 67 = exactly the 100 earned
    assertThat(movements(id))
        .containsExactly("Purchase 223", "Return -123", "Return -33", "Return -67");
    assertLedgerConsistent(id);
  }

  @Test
  void returnIsMatchedToTheMostRecentPurchaseFirst() {
    String id = member();
    post(Receipt.of(id).at(hoursAgo(6)).buy("SHOE", 1, "100.00")); // 100
    post(Receipt.of(id).at(hoursAgo(5)).buy("SHOE", 1, "300.00")); // 300
    assertThat(balance(id)).isEqualTo(400);
    post(Receipt.of(id).at(hoursAgo(4)).returns("SHOE", 1, "300.00"));
    assertThat(balance(id)).isEqualTo(100); // the 300 of the later purchase
    post(Receipt.of(id).at(hoursAgo(3)).returns("SHOE", 1, "100.00"));
    assertThat(balance(id)).isZero();
    assertLedgerConsistent(id);
  }

  @Test
  void returnWithNoMatchingPurchaseTakesNothing() {
    String id = member();
    post(Receipt.of(id).at(hoursAgo(4)).buy("HAT", 1, "200.00"));
    Receipt orphan = Receipt.of(id).at(hoursAgo(3)).returns("SCARF", 1, "150.00");
    post(orphan);
    assertThat(balance(id)).isEqualTo(200);
    assertThat(receiptRow(orphan)).containsEntry("status", "Processed").containsEntry("points", 0L);
    assertThat(movements(id)).containsExactly("Purchase 200");
    assertLedgerConsistent(id);
  }

  @Test
  void returningMoreUnitsThanWereBoughtTakesBackOnlyWhatWasBought() {
    String id = member();
    post(Receipt.of(id).at(hoursAgo(4)).buy("SOCK", 2, "100.00").buy("CAP", 1, "50.00"));
    assertThat(balance(id)).isEqualTo(150);
    post(Receipt.of(id).at(hoursAgo(3)).returns("SOCK", 3, "150.00"));
    assertThat(balance(id)).isEqualTo(50);
    assertLedgerConsistent(id);
  }

  @Test
  void returnOfPointsAlreadyConvertedGoesNegativeUnderAllowAndStopsAtZeroUnderClamp() {
    String allowed = member();
    post(Receipt.of(allowed).at(hoursAgo(4)).buy("TV", 1, "600.00"));
    assertThat(balance(allowed)).isEqualTo(100);
    assertThat(vouchers(allowed).size()).isEqualTo(1);
    post(Receipt.of(allowed).at(hoursAgo(3)).returns("TV", 1, "600.00"));
    assertThat(balance(allowed)).isEqualTo(-500);
    assertThat(vouchers(allowed).size()).isEqualTo(1);
    assertLedgerConsistent(allowed);

    ObjectNode clamp = defaultProgram();
    clamp.put("negativeBalance", "CLAMP");
    putProgram(clamp);
    String clamped = member();
    post(Receipt.of(clamped).at(hoursAgo(4)).buy("TV", 1, "600.00"));
    assertThat(balance(clamped)).isEqualTo(100);
    post(Receipt.of(clamped).at(hoursAgo(3)).returns("TV", 1, "600.00"));
    assertThat(balance(clamped)).isZero();
    assertThat(movements(clamped))
        .containsExactly("Purchase 600", "BonusCheck -500", "Return -100");
    assertThat(vouchers(clamped).size()).isEqualTo(1);
    assertLedgerConsistent(clamped);
  }

  // ---------------------------------------------------------------------------------------------
  // Vouchers
  // ---------------------------------------------------------------------------------------------

  @Test
  void stepsConvertAsSoonAsAReceiptBringsTheBalanceToAStep() {
    String id = member();
    post(Receipt.of(id).buy("A", 1, "499.99")); // 499
    assertThat(balance(id)).isEqualTo(499);
    assertThat(vouchers(id).size()).isZero();
    post(Receipt.of(id).buy("B", 1, "1.00")); // 500 -> one voucher
    assertThat(balance(id)).isZero();
    assertThat(vouchers(id).size()).isEqualTo(1);
    assertLedgerConsistent(id);

    String big = member();
    post(Receipt.of(big).buy("C", 1, "1250.00"));
    assertThat(balance(big)).isEqualTo(250);
    JsonNode checks = vouchers(big);
    assertThat(checks.size()).isEqualTo(2);
    for (JsonNode check : checks) {
      assertDefaultVoucher(check);
    }
    assertThat(movements(big))
        .containsExactly("Purchase 1250", "BonusCheck -500", "BonusCheck -500");
    assertLedgerConsistent(big);
    // Numbered in the order issued, and announced as stored, to the microsecond.
    List<String> stored =
        jdbc.sql(
                "select id, check_number, value, expires_on from vouchers where contact_id = ?"
                    + " order by check_number::bigint")
            .param(UUID.fromString(big))
            .query(
                (rs, n) ->
                    String.join(
                        " ",
                        rs.getString(1),
                        rs.getString(2),
                        rs.getBigDecimal(3).toPlainString(),
                        rs.getTimestamp(4).toInstant().toString()))
            .list();
    assertThat(stored).hasSize(2);
    assertThat(
            jdbc.sql(
                    "select concat_ws(' ', data->>'voucherId', data->>'checkNumber',"
                        + " data->>'value', data->>'expiresOn') from webhook_events"
                        + " where contact_id = ? and type = 'voucher.created' order by seq")
                .param(UUID.fromString(big))
                .query(String.class)
                .list())
        .containsExactlyElementsOf(stored);
  }

  @Test
  void wholeBalanceConvertsEverythingOnceTheMinimumIsReached() {
    ObjectNode program = defaultProgram();
    ObjectNode v = (ObjectNode) program.get("vouchers");
    v.put("model", "WHOLE_BALANCE");
    v.putNull("pointsPerStep");
    v.putNull("valuePerStep");
    v.put("minimumPoints", 300);
    v.put("valuePerPoint", new BigDecimal("0.1"));
    putProgram(program);
    String id = member();
    post(Receipt.of(id).buy("A", 1, "250.00"));
    assertThat(balance(id)).isEqualTo(250);
    assertThat(vouchers(id).size()).isZero();
    post(Receipt.of(id).buy("B", 1, "101.00")); // 351 >= 300 -> one voucher of 35.10
    assertThat(balance(id)).isZero();
    JsonNode checks = vouchers(id);
    assertThat(checks.size()).isEqualTo(1);
    JsonNode check = checks.path(0);
    assertThat(check.path("bonusPoints").asLong()).isEqualTo(351);
    assertThat(check.path("value").path("amount").decimalValue()).isEqualByComparingTo("35.10");
    assertThat(check.path("value").path("currency").asString()).isEqualTo("SEK");
    assertLedgerConsistent(id);
  }

  @Test
  void voucherShowsItsValueInEveryConfiguredCurrencyButTheGroupOne() {
    ObjectNode program = defaultProgram();
    ObjectNode rates = (ObjectNode) program.get("exchangeRates");
    rates.put("DKK", new BigDecimal("1.5"));
    rates.put("SEK", BigDecimal.ONE);
    putProgram(program);
    String id = member();
    post(Receipt.of(id).buy("A", 1, "500.00"));
    JsonNode check = vouchers(id).path(0);
    // 50 SEK: / 1.5 = 33.33 DKK, / 11.2 = 4.46 EUR, / 1.0 = 50.00 NOK; no SEK entry
    assertThat(localValues(check))
        .containsExactly(
            Map.entry("DKK", new BigDecimal("33.33")),
            Map.entry("EUR", new BigDecimal("4.46")),
            Map.entry("NOK", new BigDecimal("50.00")));
    assertThat(localValues(overview(id).path("bonusChecks").path(0))).isEqualTo(localValues(check));
    assertLedgerConsistent(id);
  }

  @Test
  void voucherUsedOnAReceiptIsRedeemedAndReactivatedWhenThatReceiptIsReturnedInFull() {
    String id = member();
    post(Receipt.of(id).at(hoursAgo(6)).buy("FIRST", 1, "600.00"));
    JsonNode voucher = vouchers(id).path(0);
    String checkNumber = voucher.path("checkNumber").asString();
    String voucherId = voucher.path("id").asString();

    post(
        Receipt.of(id)
            .at(hoursAgo(5))
            .buy("SHIRT", 1, "200.00")
            .buy("TIE", 1, "100.00")
            .using(checkNumber));
    JsonNode used = voucherById(id, voucherId);
    assertThat(used.path("redeemed").asBoolean()).isTrue();
    assertThat(used.path("redeemedOn").isNull()).isFalse();
    assertThat(count(id, "available")).isZero();
    assertThat(overview(id).path("bonusChecks").size()).isZero();
    Api.Response again =
        api.post("/api/v2/contacts/" + id + "/bonuschecks/" + voucherId + "/redeem", null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.errorCode()).isEqualTo("BonusCheckAlreadyRedeemed");
    assertThat(balance(id)).isEqualTo(400); // 100 + 300

    post(Receipt.of(id).at(hoursAgo(4)).returns("SHIRT", 1, "200.00"));
    assertThat(voucherById(id, voucherId).path("redeemed").asBoolean())
        .as("a partly returned receipt keeps its voucher used")
        .isTrue();
    post(Receipt.of(id).at(hoursAgo(3)).returns("TIE", 1, "100.00"));
    JsonNode reactivated = voucherById(id, voucherId);
    assertThat(reactivated.path("redeemed").asBoolean()).isFalse();
    assertThat(reactivated.path("redeemedOn").isNull()).isTrue();
    assertThat(reactivated.path("reactivations").asInt()).isEqualTo(1);
    assertThat(overview(id).path("bonusChecks").size()).isEqualTo(1);
    assertThat(balance(id)).isEqualTo(100);
    assertLedgerConsistent(id);
  }

  @Test
  void voucherPastItsDateIsMarkedExpiredAndCannotBeRedeemed() {
    String id = member();
    post(Receipt.of(id).buy("A", 1, "500.00"));
    String voucherId = vouchers(id).path(0).path("id").asString();
    // Let validDays (90) pass: the voucher was issued 91 days ago.
    jdbc.sql(
            "update vouchers set created_at = created_at - interval '91 days',"
                + " expires_on = expires_on - interval '91 days' where id = ?::uuid")
        .param(voucherId)
        .update();

    assertThat(jobs.expireVouchers(Instant.now())).isGreaterThanOrEqualTo(1);
    Instant expiredAt = voucherExpiredAt(voucherId);
    assertThat(expiredAt).isNotNull();
    JsonNode check = voucherById(id, voucherId);
    assertThat(check.path("expired").asBoolean()).isTrue();
    assertThat(check.path("redeemed").asBoolean()).isFalse();
    assertThat(count(id, "available")).isZero();
    assertThat(overview(id).path("bonusChecks").size()).isZero();

    Api.Response redeem =
        api.post("/api/v2/contacts/" + id + "/bonuschecks/" + voucherId + "/redeem", null);
    assertThat(redeem.status()).as(redeem.toString()).isEqualTo(409);
    assertThat(redeem.errorCode()).isEqualTo("BonusCheckExpired");

    jobs.expireVouchers(Instant.now());
    assertThat(voucherExpiredAt(voucherId)).as("a second run changes nothing").isEqualTo(expiredAt);
    assertLedgerConsistent(id);
  }

  // ---------------------------------------------------------------------------------------------
  // Pending points
  // ---------------------------------------------------------------------------------------------

  @Test
  void pendingPointsAreNotConvertedUntilTheyBecomeUsable() {
    ObjectNode program = defaultProgram();
    program.put("pendingDays", 14);
    putProgram(program);
    String id = member();
    post(Receipt.of(id).at(hoursAgo(2)).buy("A", 1, "600.00"));

    JsonNode points = overview(id).path("bonusPoints");
    assertThat(points.path("balance").asLong()).isZero();
    assertThat(points.path("pendingPoints").asLong()).isEqualTo(600);
    JsonNode account = account(id);
    assertThat(account.path("balance").asLong()).isZero();
    assertThat(account.path("pendingPoints").asLong()).isEqualTo(600);
    JsonNode pendingRows =
        api.get(
                "/api/v2/point-accounts/transactions?contactId="
                    + id
                    + "&definitionId=1&filter=Pending")
            .json();
    assertThat(pendingRows.path("totalCount").asLong()).isEqualTo(1);
    assertThat(pendingRows.path("items").path(0).path("amount").asLong()).isEqualTo(600);
    assertThat(vouchers(id).size()).isZero();
    assertLedgerConsistent(id);

    // Another job run before the 14 days changes nothing.
    jobs.activatePending(Instant.now().plus(Duration.ofDays(1)));
    assertThat(vouchers(id).size()).isZero();
    assertThat(total(id)).isEqualTo(600);

    assertThat(jobs.activatePending(Instant.now().plus(Duration.ofDays(15))))
        .isGreaterThanOrEqualTo(1);
    JsonNode checks = vouchers(id);
    assertThat(checks.size()).isEqualTo(1);
    assertThat(checks.path(0).path("bonusPoints").asLong()).isEqualTo(500);
    assertThat(total(id)).isEqualTo(100);
    assertThat(movements(id)).containsExactly("Purchase 600", "BonusCheck -500");
    assertThat(
            jdbc.sql("select activated from point_lots where contact_id = ?::uuid")
                .param(id)
                .query(Boolean.class)
                .list())
        .containsExactly(true);
    // A second run has no second effect.
    jobs.activatePending(Instant.now().plus(Duration.ofDays(15)));
    assertThat(vouchers(id).size()).isEqualTo(1);
    assertThat(total(id)).isEqualTo(100);
    assertLedgerConsistent(id);
  }

  @Test
  void returnOfPendingPointsTakesThemFromThePendingPoints() {
    ObjectNode program = defaultProgram();
    program.put("pendingDays", 14);
    putProgram(program);
    String id = member();
    post(Receipt.of(id).at(hoursAgo(3)).buy("A", 2, "600.00")); // 600 pending
    post(Receipt.of(id).at(hoursAgo(2)).returns("A", 1, "300.00")); // takes 300 back
    assertThat(total(id)).isEqualTo(300);
    JsonNode points = overview(id).path("bonusPoints");
    assertThat(points.path("pendingPoints").asLong()).isEqualTo(300);
    assertThat(points.path("balance").asLong()).isZero();
    JsonNode account = account(id);
    assertThat(account.path("pendingPoints").asLong()).isEqualTo(300);
    assertThat(account.path("balance").asLong()).isZero();
    assertLedgerConsistent(id);
  }

  // ---------------------------------------------------------------------------------------------
  // Expiry
  // ---------------------------------------------------------------------------------------------

  @Test
  void rollingLotsExpireWithADueDateMovementAndASecondRunDoesNothing() {
    String id = member();
    OffsetDateTime bought = hoursAgo(3);
    post(Receipt.of(id).at(bought).buy("A", 1, "300.00"));
    assertThat(instant(overview(id).path("bonusPoints").path("nextExpiry")))
        .isEqualTo(Instant.parse(expiryOf(bought, 24)));

    Instant before = Instant.parse(expiryOf(bought, 24)).minusSeconds(60);
    jobs.expirePoints(before);
    assertThat(balance(id)).as("not yet due").isEqualTo(300);

    Instant later = Instant.now().atZone(ZONE).plusMonths(25).toInstant();
    expireUntil(later, id, 0);
    // (The DueDate movement is dated at the job's moment, 25 months ahead, so a read now would
    // count it as pending; the ledger's total is what the job leaves behind.)
    assertThat(total(id)).isZero();
    assertThat(overview(id).path("bonusPoints").path("nextExpiry").isNull()).isTrue();
    assertThat(movements(id)).containsExactly("Purchase 300", "DueDate -300");
    JsonNode legacy = api.get("/api/v2/contacts/" + id + "/bonuspointtransactions").json();
    assertThat(legacy.path("items").path(0).path("type").asString()).isEqualTo("DueDate");

    jobs.expirePoints(later);
    assertThat(movements(id)).containsExactly("Purchase 300", "DueDate -300");
    assertLedgerConsistent(id);
  }

  @Test
  void spendingTakesTheLotThatExpiresFirst() {
    String id = member();
    OffsetDateTime recent = hoursAgo(2);
    OffsetDateTime old =
        ZonedDateTime.now(ZONE).minusMonths(20).truncatedTo(ChronoUnit.SECONDS).toOffsetDateTime();
    // The recent lot arrives first; the old one (expiring in about 4 months) second.
    post(Receipt.of(id).at(recent).buy("NEW", 1, "300.00"));
    post(Receipt.of(id).at(old).buy("OLD", 1, "300.00"));
    // 600 -> one voucher of 500: 300 from the old lot, 200 from the recent one.
    assertThat(balance(id)).isEqualTo(100);
    assertThat(lots(id))
        .containsExactly(
            Map.entry(Instant.parse(expiryOf(old, 24)), 0L),
            Map.entry(Instant.parse(expiryOf(recent, 24)), 100L));
    assertThat(instant(overview(id).path("bonusPoints").path("nextExpiry")))
        .isEqualTo(Instant.parse(expiryOf(recent, 24)));

    // When the old lot's date passes nothing of this member's expires: it was spent.
    jobs.expirePoints(Instant.parse(expiryOf(old, 24)).plus(Duration.ofDays(1)));
    assertThat(balance(id)).isEqualTo(100);
    assertThat(movements(id)).containsExactly("Purchase 300", "Purchase 300", "BonusCheck -500");

    expireUntil(Instant.parse(expiryOf(recent, 24)).plus(Duration.ofDays(1)), id, 0);
    assertThat(movements(id))
        .containsExactly("Purchase 300", "Purchase 300", "BonusCheck -500", "DueDate -100");
    assertLedgerConsistent(id);
  }

  @Test
  void inactivityExpiresTheWholeBalanceOfAQuietMemberOnly() {
    ObjectNode program = defaultProgram();
    ((ObjectNode) program.get("expiry")).put("model", "INACTIVITY_MONTHS").put("months", 6);
    putProgram(program);
    String quiet = member();
    String active = member();
    post(
        Receipt.of(quiet)
            .at(
                ZonedDateTime.now(ZONE)
                    .minusMonths(8)
                    .truncatedTo(ChronoUnit.SECONDS)
                    .toOffsetDateTime())
            .buy("A", 1, "300.00"));
    post(
        Receipt.of(quiet)
            .at(
                ZonedDateTime.now(ZONE)
                    .minusMonths(7)
                    .truncatedTo(ChronoUnit.SECONDS)
                    .toOffsetDateTime())
            .buy("B", 1, "120.00"));
    post(Receipt.of(active).at(hoursAgo(2)).buy("A", 1, "300.00"));
    assertThat(balance(quiet)).isEqualTo(420);
    assertThat(overview(quiet).path("bonusPoints").path("nextExpiry").isNull()).isTrue();

    expireUntil(Instant.now(), quiet, 0);
    assertThat(balance(quiet)).isZero();
    assertThat(movements(quiet)).containsExactly("Purchase 300", "Purchase 120", "DueDate -420");
    assertThat(balance(active)).isEqualTo(300);
    assertThat(movements(active)).containsExactly("Purchase 300");

    jobs.expirePoints(Instant.now());
    assertThat(movements(quiet)).containsExactly("Purchase 300", "Purchase 120", "DueDate -420");
    assertThat(balance(active)).isEqualTo(300);
    assertLedgerConsistent(quiet);
    assertLedgerConsistent(active);
  }

  @Test
  void neverKeepsPointsForever() {
    ObjectNode program = defaultProgram();
    ObjectNode expiry = (ObjectNode) program.get("expiry");
    expiry.put("model", "NEVER");
    expiry.putNull("months");
    putProgram(program);
    String id = member();
    post(Receipt.of(id).buy("A", 1, "300.00"));
    assertThat(overview(id).path("bonusPoints").path("nextExpiry").isNull()).isTrue();
    jobs.expirePoints(Instant.now().atZone(ZONE).plusYears(50).toInstant());
    assertThat(balance(id)).isEqualTo(300);
    assertThat(movements(id)).containsExactly("Purchase 300");
    assertLedgerConsistent(id);
  }

  @Test
  void expiryAfterANegativeBalanceWasEarnedBackTakesNoMoreThanTheMemberHolds() {
    String id = member();
    post(Receipt.of(id).at(hoursAgo(5)).buy("TV", 1, "600.00")); // 600 -> voucher, 100 left
    post(Receipt.of(id).at(hoursAgo(4)).returns("TV", 1, "600.00")); // -600 -> -500 (ALLOW)
    assertThat(balance(id)).isEqualTo(-500);
    post(Receipt.of(id).at(hoursAgo(3)).buy("RADIO", 1, "800.00")); // +800 -> 300
    assertThat(balance(id)).isEqualTo(300);

    // Expected: only the 300 the member holds expire, leaving 0 (actual: 800 expire -> -500).
    expireUntil(Instant.now().atZone(ZONE).plusMonths(25).toInstant(), id, 0);
    assertLedgerConsistent(id);
  }

  // ---------------------------------------------------------------------------------------------
  // Levels
  // ---------------------------------------------------------------------------------------------

  @Test
  void memberReachesSilverAtOneThousandPointsAndFallsBackToBronzeWhenItLapses() {
    String id = member();
    OffsetDateTime first = hoursAgo(4);
    post(Receipt.of(id).at(first).buy("A", 1, "300.00"));
    JsonNode bronze = overview(id).path("level");
    assertThat(bronze.path("id").asString()).isEqualTo("bronze");
    assertThat(bronze.path("name").asString()).isEqualTo("Bronze");
    assertThat(bronze.path("value").asLong()).isEqualTo(300);
    assertThat(bronze.path("nextLevelId").asString()).isEqualTo("silver");
    assertThat(bronze.path("remainingToNextLevel").asLong()).isEqualTo(700);
    assertThat(bronze.path("expires").isNull()).isTrue();

    post(Receipt.of(id).at(hoursAgo(3)).buy("B", 1, "699.99")); // 999.99 SEK but 300 + 699
    assertThat(overview(id).path("level").path("remainingToNextLevel").asLong()).isEqualTo(1);
    assertThat(overview(id).path("level").path("id").asString()).isEqualTo("bronze");
    OffsetDateTime third = hoursAgo(2);
    post(Receipt.of(id).at(third).buy("C", 1, "1.00"));
    JsonNode silver = overview(id).path("level");
    assertThat(silver.path("id").asString()).isEqualTo("silver");
    assertThat(silver.path("value").asLong()).isEqualTo(1000);
    assertThat(silver.path("remainingToNextLevel").asLong()).isZero();
    assertThat(silver.path("nextLevelId").isNull()).isTrue();
    // Without the first receipt only 700 remain in the window: silver lapses 12 months after it.
    assertThat(instant(silver.path("expires"))).isEqualTo(Instant.parse(expiryOf(first, 12)));
    assertThat(vouchers(id).size()).isEqualTo(2); // and the 1000 points became two vouchers

    Instant beforeLapse = Instant.parse(expiryOf(first, 12)).minusSeconds(60);
    jobs.recomputeLapsedLevels(beforeLapse);
    assertThat(overview(id).path("level").path("id").asString()).isEqualTo("silver");

    jobs.recomputeLapsedLevels(Instant.parse(expiryOf(third, 12)).plus(Duration.ofDays(1)));
    JsonNode lapsed = overview(id).path("level");
    assertThat(lapsed.path("id").asString()).isEqualTo("bronze");
    assertThat(lapsed.path("value").asLong()).isZero();
    assertThat(lapsed.path("remainingToNextLevel").asLong()).isEqualTo(1000);
    assertThat(lapsed.path("nextLevelId").asString()).isEqualTo("silver");
    assertThat(lapsed.path("expires").isNull()).isTrue();
    assertLedgerConsistent(id);
  }

  @Test
  void levelLapsesToBronzeWhenItsEarliestContributionLeavesTheWindow() {
    String id = member();
    OffsetDateTime first = hoursAgo(4);
    post(Receipt.of(id).at(first).buy("A", 1, "800.00"));
    post(Receipt.of(id).at(hoursAgo(3)).buy("B", 1, "400.00"));
    assertThat(overview(id).path("level").path("id").asString()).isEqualTo("silver");
    assertThat(overview(id).path("level").path("value").asLong()).isEqualTo(1200);

    jobs.recomputeLapsedLevels(Instant.parse(expiryOf(first, 12)).plusSeconds(1));
    JsonNode lapsed = overview(id).path("level");
    assertThat(lapsed.path("id").asString()).isEqualTo("bronze");
    assertThat(lapsed.path("value").asLong()).isEqualTo(400);
    assertThat(lapsed.path("remainingToNextLevel").asLong()).isEqualTo(600);
    assertLedgerConsistent(id);
  }

  @Test
  void amountSpentBasisCountsTheGroupCurrencyAmountNotThePoints() {
    ObjectNode program = defaultProgram();
    program.put("pointsPerGroupCurrencyUnit", new BigDecimal("0.5"));
    ((ObjectNode) program.get("levels")).put("basis", "AMOUNT_SPENT");
    putProgram(program);
    String id = member();
    post(Receipt.of(id).at(hoursAgo(3)).buy("A", 1, "600.00")); // 300 points, 600 SEK
    JsonNode level = overview(id).path("level");
    assertThat(level.path("id").asString()).isEqualTo("bronze");
    assertThat(level.path("value").asLong()).isEqualTo(600);
    assertThat(level.path("remainingToNextLevel").asLong()).isEqualTo(400);
    post(Receipt.of(id).at(hoursAgo(2)).currency("EUR").buy("B", 1, "50.00")); // 560 SEK, 280 p
    level = overview(id).path("level");
    assertThat(level.path("id").asString()).isEqualTo("silver");
    assertThat(level.path("value").asLong()).isEqualTo(1160);
    assertThat(balance(id)).isEqualTo(80); // 300 + 280 = 580 -> one voucher, 80 left
    assertLedgerConsistent(id);
  }

  // ---------------------------------------------------------------------------------------------
  // Programme changes
  // ---------------------------------------------------------------------------------------------

  @Test
  void programmeChangeAppliesToReceiptsProcessedAfterIt() {
    String id = member();
    post(Receipt.of(id).at(hoursAgo(4)).buy("A", 1, "100.00"));
    assertThat(balance(id)).isEqualTo(100);
    ObjectNode doubled = defaultProgram();
    doubled.put("pointsPerGroupCurrencyUnit", 2);
    putProgram(doubled);
    assertThat(api.get(PROGRAM).json().path("pointsPerGroupCurrencyUnit").decimalValue())
        .isEqualByComparingTo("2");
    post(Receipt.of(id).at(hoursAgo(3)).buy("B", 1, "100.00"));
    assertThat(balance(id)).isEqualTo(300);
    assertThat(movements(id)).containsExactly("Purchase 100", "Purchase 200");
    assertLedgerConsistent(id);
  }

  // ---------------------------------------------------------------------------------------------
  // Invariant and helpers
  // ---------------------------------------------------------------------------------------------

  /**
   * The ledger's invariants for one member: the account total is the sum of the movements; lots are
   * never negative and never hold less than the total; they hold exactly the total unless the
   * running balance once went below zero (a spending then exceeded the lots); the API shows the
   * same total as balance plus pending points.
   */
  private void assertLedgerConsistent(String contactId) {
    UUID id = UUID.fromString(contactId);
    long total =
        jdbc.sql("select coalesce((select total from point_accounts where contact_id = ?), 0)")
            .param(id)
            .query(Long.class)
            .single();
    List<Long> amounts =
        jdbc.sql("select amount from point_movements where contact_id = ? order by id")
            .param(id)
            .query((rs, n) -> rs.getLong(1))
            .list();
    long sum = 0;
    long earned = 0;
    boolean wentNegative = false;
    for (long amount : amounts) {
      sum += amount;
      earned += Math.max(0, amount);
      wentNegative |= sum < 0;
    }
    assertThat(total).as("point_accounts.total equals the sum of the movements").isEqualTo(sum);
    long lots =
        jdbc.sql("select coalesce(sum(remaining), 0) from point_lots where contact_id = ?")
            .param(id)
            .query(Long.class)
            .single();
    long smallestLot =
        jdbc.sql("select coalesce(min(remaining), 0) from point_lots where contact_id = ?")
            .param(id)
            .query(Long.class)
            .single();
    assertThat(smallestLot).as("no lot is negative").isGreaterThanOrEqualTo(0);
    assertThat(lots).as("lots never hold more than was earned").isLessThanOrEqualTo(earned);
    assertThat(lots).as("lots hold at least the total").isGreaterThanOrEqualTo(total);
    if (!wentNegative) {
      assertThat(lots).as("lots hold exactly the total").isEqualTo(total);
    }
    JsonNode account = account(contactId);
    assertThat(account.path("balance").asLong() + account.path("pendingPoints").asLong())
        .as("point-accounts balance + pendingPoints")
        .isEqualTo(total);
    JsonNode points = overview(contactId).path("bonusPoints");
    assertThat(points.path("balance").asLong() + points.path("pendingPoints").asLong())
        .as("contactoverview balance + pendingPoints")
        .isEqualTo(total);
  }

  /** Runs point expiry at {@code at} until the member's total is {@code expected} (batches). */
  private void expireUntil(Instant at, String contactId, long expected) {
    for (int i = 0; i < 10 && total(contactId) != expected; i++) {
      jobs.expirePoints(at);
    }
    assertThat(total(contactId)).isEqualTo(expected);
  }

  private ObjectNode defaultProgram() {
    return (ObjectNode) Api.parse(api.get(PROGRAM).text());
  }

  private void putProgram(ObjectNode program) {
    Api.Response r = api.put(PROGRAM, program);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  private String member() {
    Api.Response created =
        api.post("/api/v2/contacts", Map.of("email", Api.uniqueEmail(), "firstName", "Test"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().path("id").asString();
  }

  private void post(Receipt receipt) {
    Api.Response r = api.post("/api/v2/receipts", receipt.json());
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
  }

  private JsonNode overview(String id) {
    Api.Response r = api.get("/api/v2/contactoverview?contactId=" + id);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  private long balance(String id) {
    return overview(id).path("bonusPoints").path("balance").asLong();
  }

  private JsonNode account(String id) {
    Api.Response r = api.get("/api/v2/point-accounts?contactId=" + id);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().path("items").path(0);
  }

  /** totalCount of bonuschecks/available or bonuschecks/redeemed. */
  private long count(String id, String which) {
    Api.Response r = api.get("/api/v2/contacts/" + id + "/bonuschecks/" + which);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().path("totalCount").asLong();
  }

  private JsonNode vouchers(String id) {
    Api.Response r = api.get("/api/v2/contacts/" + id + "/bonuschecks");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().path("items");
  }

  private JsonNode voucherById(String contactId, String voucherId) {
    for (JsonNode v : vouchers(contactId)) {
      if (v.path("id").asString().equals(voucherId)) {
        return v;
      }
    }
    throw new AssertionError("no voucher " + voucherId);
  }

  private @Nullable Instant voucherExpiredAt(String voucherId) {
    return jdbc.sql("select expired_at from vouchers where id = ?::uuid")
        .param(voucherId)
        .query((rs, n) -> rs.getTimestamp(1) == null ? null : rs.getTimestamp(1).toInstant())
        .single();
  }

  private long total(String id) {
    return jdbc.sql(
            "select coalesce((select total from point_accounts where contact_id = ?::uuid), 0)")
        .param(id)
        .query(Long.class)
        .single();
  }

  /** The member's movements, oldest first, as "Type amount". */
  private List<String> movements(String id) {
    return jdbc.sql(
            "select type, amount from point_movements where contact_id = ?::uuid order by id")
        .param(id)
        .query((rs, n) -> rs.getString(1) + " " + rs.getLong(2))
        .list();
  }

  /** The member's lots, earliest expiry first: expiry to remaining. */
  private List<Map.Entry<Instant, Long>> lots(String id) {
    return jdbc.sql(
            "select expires_at, remaining from point_lots where contact_id = ?::uuid"
                + " order by expires_at")
        .param(id)
        .query((rs, n) -> Map.entry(rs.getTimestamp(1).toInstant(), rs.getLong(2)))
        .list();
  }

  private Map<String, @Nullable Object> receiptRow(Receipt receipt) {
    return jdbc.sql("select status, contact_id, points from receipts where unique_receipt_id = ?")
        .param(receipt.uniqueReceiptId)
        .query(
            (rs, n) -> {
              Map<String, @Nullable Object> row = new LinkedHashMap<>();
              row.put("status", rs.getString(1));
              UUID contact = rs.getObject(2, UUID.class);
              row.put("contact", contact == null ? null : contact.toString());
              row.put("points", rs.getLong(3));
              return row;
            })
        .single();
  }

  private static List<String> checkNumbers(JsonNode checks) {
    List<String> numbers = new ArrayList<>();
    checks.forEach(c -> numbers.add(c.path("checkNumber").asString()));
    return numbers;
  }

  private static List<Map.Entry<String, BigDecimal>> localValues(JsonNode check) {
    List<Map.Entry<String, BigDecimal>> values = new ArrayList<>();
    check
        .path("localValues")
        .forEach(
            v ->
                values.add(
                    Map.entry(
                        v.path("currency").asString(),
                        v.path("amount").decimalValue().setScale(2, RoundingMode.UNNECESSARY))));
    return values;
  }

  private static Instant instant(JsonNode wireTime) {
    assertThat(wireTime.isString()).as("a time: %s", wireTime).isTrue();
    return OffsetDateTime.parse(wireTime.asString()).toInstant();
  }

  /** When something dated {@code at} lapses {@code months} later, in the server's zone. */
  private static String expiryOf(OffsetDateTime at, int months) {
    return at.toInstant().atZone(ZONE).plusMonths(months).toInstant().toString();
  }

  private static OffsetDateTime hoursAgo(long hours) {
    return OffsetDateTime.now(ZONE).minusHours(hours).truncatedTo(ChronoUnit.SECONDS);
  }

  private static String digits(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(ThreadLocalRandom.current().nextInt(10));
    }
    return s.toString();
  }

  /** A receipt as POST /api/v2/receipts takes it, with every required field. */
  private static final class Receipt {
    final String matchKeyType;
    final String matchKey;
    final String uniqueReceiptId = "it-" + UUID.randomUUID();
    OffsetDateTime createdDate = hoursAgo(3);
    String currency = "SEK";
    @Nullable String rate;
    final List<Map<String, Object>> items = new ArrayList<>();
    final List<String> usedChecks = new ArrayList<>();
    BigDecimal total = BigDecimal.ZERO;

    private Receipt(String matchKeyType, String matchKey) {
      this.matchKeyType = matchKeyType;
      this.matchKey = matchKey;
    }

    static Receipt of(String contactId) {
      return new Receipt("contactId", contactId);
    }

    static Receipt of(String matchKeyType, String matchKey) {
      return new Receipt(matchKeyType, matchKey);
    }

    Receipt at(OffsetDateTime when) {
      createdDate = when;
      return this;
    }

    Receipt currency(String code) {
      currency = code;
      return this;
    }

    Receipt rate(String exchangeRateToGroupCurrency) {
      rate = exchangeRateToGroupCurrency;
      return this;
    }

    Receipt buy(String sku, int quantity, String price) {
      return line("PURCHASE", sku, quantity, price, null);
    }

    Receipt buyWithoutBonus(String sku, int quantity, String price) {
      return line("PURCHASE", sku, quantity, price, false);
    }

    Receipt returns(String sku, int quantity, String price) {
      return line("RETURN", sku, -quantity, price, null);
    }

    Receipt adjustment(String sku, String price) {
      return line("ADJUSTMENT", sku, 1, price, null);
    }

    Receipt using(String checkNumber) {
      usedChecks.add(checkNumber);
      return this;
    }

    private Receipt line(
        String type, String sku, int quantity, String price, @Nullable Boolean awardsBonus) {
      BigDecimal gross = new BigDecimal(price);
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("type", type);
      item.put("sku", sku);
      item.put("quantity", quantity);
      item.put("grossPaidPrice", gross);
      item.put(
          "taxAmount", gross.multiply(new BigDecimal("0.2")).setScale(2, RoundingMode.HALF_UP));
      item.put("taxPercent", 25);
      item.put("articleNumber", "art-" + sku);
      item.put("articleName", "Article " + sku);
      if (awardsBonus != null) {
        item.put("awardsBonus", awardsBonus);
      }
      items.add(item);
      total = type.equals("RETURN") ? total.subtract(gross) : total.add(gross);
      return this;
    }

    Map<String, Object> json() {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("contact", Map.of("matchKey", matchKey, "matchKeyType", matchKeyType));
      r.put("uniqueReceiptId", uniqueReceiptId);
      r.put("receiptNumber", "R-" + uniqueReceiptId.substring(3, 11));
      r.put("createdDate", createdDate.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      r.put("storeExternalId", "it-store-1");
      r.put("currency", currency);
      if (rate != null) {
        r.put("exchangeRateToGroupCurrency", new BigDecimal(rate));
      }
      r.put("totalGrossPrice", total);
      r.put("paymentMethods", List.of(Map.of("type", "card", "value", total)));
      r.put("items", items);
      if (!usedChecks.isEmpty()) {
        r.put("usedBonusChecks", usedChecks.stream().map(c -> Map.of("checkNumber", c)).toList());
      }
      return r;
    }
  }
}

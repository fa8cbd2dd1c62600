package org.stamkund.server.loyalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stamkund.server.loyalty.LoyaltyFixtures.balance;
import static org.stamkund.server.loyalty.LoyaltyFixtures.member;
import static org.stamkund.server.loyalty.LoyaltyFixtures.receipt;
import static org.stamkund.server.loyalty.LoyaltyFixtures.send;
import static org.stamkund.server.loyalty.LoyaltyFixtures.unique;
import static org.stamkund.server.loyalty.LoyaltyFixtures.vouchers;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import org.stamkund.server.loyalty.LoyaltyFixtures.Contact;
import org.stamkund.server.loyalty.LoyaltyFixtures.Receipt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The loyalty endpoints over HTTP against PostgreSQL: stores (§2.9), the programme, receipts (§2.3,
 * §3.2), bonus checks (§2.6), points (§2.7), member status (§2.8) and purchase history.
 */
class LoyaltyEndpointsIntegrationTests extends IntegrationTest {

  private static final String PROGRAM = "/admin/loyalty/program";

  @Autowired JdbcClient jdbc;

  @BeforeEach
  void defaultProgramme() {
    LoyaltyFixtures.restoreDefaults(api);
  }

  @AfterEach
  void restoreProgramme() {
    LoyaltyFixtures.restoreDefaults(api);
  }

  // ---------------------------------------------------------------- stores (§2.9, §3.8)

  @Test
  void storeIsCreatedListedFetchedAndUpdatedLeavingAbsentFieldsUntouched() {
    String externalId = unique("it-store");
    Api.Response created =
        api.post(
            "/api/v2/stores",
            Map.of(
                "externalId",
                externalId,
                "name",
                "Lund centrum",
                "type",
                "RETAIL",
                "city",
                "Lund",
                "timeZone",
                "Europe/Stockholm"));
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    assertThat(created.json().path("externalId").asString()).isEqualTo(externalId);
    assertThat(created.json().path("name").asString()).isEqualTo("Lund centrum");
    assertThat(created.json().path("type").asString()).isEqualTo("RETAIL");
    assertThat(created.json().path("active").asBoolean()).isTrue();
    assertThat(created.json().path("city").asString()).isEqualTo("Lund");

    assertThat(store(api.get("/api/v2/stores"), externalId)).isNotNull();
    Api.Response one = api.get("/api/v2/stores/" + externalId);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().path("timeZone").asString()).isEqualTo("Europe/Stockholm");

    Api.Response updated =
        api.post("/api/v2/stores/" + externalId, Map.of("street", "Stortorget 1"));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    JsonNode store = api.get("/api/v2/stores/" + externalId).json();
    assertThat(store.path("street").asString()).isEqualTo("Stortorget 1");
    assertThat(store.path("name").asString()).isEqualTo("Lund centrum");
    assertThat(store.path("type").asString()).isEqualTo("RETAIL");
    assertThat(store.path("city").asString()).isEqualTo("Lund");
    assertThat(store.path("timeZone").asString()).isEqualTo("Europe/Stockholm");
    assertThat(store.path("active").asBoolean()).isTrue();

    api.post("/api/v2/stores/" + externalId, Map.of("name", "Lund C"));
    store = api.get("/api/v2/stores/" + externalId).json();
    assertThat(store.path("name").asString()).isEqualTo("Lund C");
    assertThat(store.path("street").asString()).isEqualTo("Stortorget 1");
    assertThat(store.path("city").asString()).isEqualTo("Lund");
  }

  @Test
  void storeWithoutNameOrExternalIdIsRefusedNamingTheField() {
    assertError(
        api.post("/api/v2/stores", Map.of("name", "Nameless")), 400, "MissingField", "externalId");
    assertError(
        api.post("/api/v2/stores", Map.of("externalId", unique("it-store"))),
        400,
        "MissingField",
        "name");
    assertError(
        api.post("/api/v2/stores", Map.of("externalId", unique("it-store"), "name", " ")),
        400,
        "MissingField",
        "name");
  }

  @Test
  void secondStoreWithTheSameExternalIdIsAConflict() {
    String externalId = unique("it-store");
    assertThat(
            api.post("/api/v2/stores", Map.of("externalId", externalId, "name", "First")).status())
        .isEqualTo(200);
    Api.Response second =
        api.post("/api/v2/stores", Map.of("externalId", externalId, "name", "Second"));
    assertThat(second.status()).as(second.toString()).isEqualTo(409);
    assertThat(second.errorCode()).isEqualTo("StoreAlreadyExists");
    assertThat(api.get("/api/v2/stores/" + externalId).json().path("name").asString())
        .isEqualTo("First");
  }

  @Test
  void inactiveStoreIsHiddenUnlessIncludeInactiveIsTrue() {
    String externalId = unique("it-store");
    Api.Response created =
        api.post(
            "/api/v2/stores", Map.of("externalId", externalId, "name", "Closed", "active", false));
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    assertThat(created.json().path("active").asBoolean()).isFalse();

    assertThat(store(api.get("/api/v2/stores"), externalId)).isNull();
    assertThat(store(api.get("/api/v2/stores?includeInactive=false"), externalId)).isNull();
    JsonNode listed =
        Objects.requireNonNull(store(api.get("/api/v2/stores?includeInactive=true"), externalId));
    assertThat(listed.path("active").asBoolean()).isFalse();

    assertError(api.get("/api/v2/stores/" + externalId), 404, "StoreNotFound", null);
    assertThat(api.get("/api/v2/stores/" + externalId + "?includeInactive=true").status())
        .isEqualTo(200);

    api.post("/api/v2/stores/" + externalId, Map.of("active", true));
    assertThat(store(api.get("/api/v2/stores"), externalId)).isNotNull();
  }

  @Test
  void unknownStoreIsNotFound() {
    assertError(api.get("/api/v2/stores/" + unique("nope")), 404, "StoreNotFound", null);
    assertError(
        api.post("/api/v2/stores/" + unique("nope"), Map.of("name", "x")),
        404,
        "StoreNotFound",
        null);
  }

  @Test
  void receiptNamingAnUnknownStoreCreatesThatStore() {
    Contact member = member(api);
    String externalId = unique("it-auto-store");
    assertThat(api.get("/api/v2/stores/" + externalId).status()).isEqualTo(404);
    send(api, receipt(member.email()).purchase("S1", "10").set("storeExternalId", externalId));
    Api.Response store = api.get("/api/v2/stores/" + externalId);
    assertThat(store.status()).as(store.toString()).isEqualTo(200);
    assertThat(store.json().path("externalId").asString()).isEqualTo(externalId);
    assertThat(store.json().path("active").asBoolean()).isTrue();
  }

  // ---------------------------------------------------------------- the programme

  @Test
  void programmeIsReadWithEveryPart() {
    Api.Response program = api.get(PROGRAM);
    assertThat(program.status()).isEqualTo(200);
    JsonNode p = program.json();
    assertThat(p.path("groupCurrency").asString()).isEqualTo("SEK");
    assertThat(p.path("exchangeRates").path("EUR").decimalValue()).isEqualByComparingTo("11.2");
    assertThat(p.path("exchangeRates").path("NOK").decimalValue()).isEqualByComparingTo("1");
    assertThat(p.path("pointsPerGroupCurrencyUnit").decimalValue()).isEqualByComparingTo("1");
    assertThat(p.path("pendingDays").asInt()).isZero();
    assertThat(p.path("expiry").path("model").asString()).isEqualTo("ROLLING_MONTHS");
    assertThat(p.path("expiry").path("months").asInt()).isEqualTo(24);
    assertThat(p.path("levels").path("basis").asString()).isEqualTo("POINTS_EARNED");
    assertThat(p.path("levels").path("tiers").get(0).path("threshold").asLong()).isZero();
    assertThat(p.path("levels").path("tiers").get(1).path("id").asString()).isEqualTo("silver");
    assertThat(p.path("vouchers").path("model").asString()).isEqualTo("STEPS");
    assertThat(p.path("vouchers").path("pointsPerStep").asLong()).isEqualTo(500);
    assertThat(p.path("vouchers").path("valuePerStep").decimalValue()).isEqualByComparingTo("50");
    assertThat(p.path("vouchers").path("maxReactivations").asInt()).isEqualTo(3);
    assertThat(p.path("negativeBalance").asString()).isEqualTo("ALLOW");
  }

  @Test
  void programmeWithAnInvalidPartIsRefusedNamingTheFieldAndNotStored() {
    JsonNode before = api.get(PROGRAM).json();
    refuseProgram(p -> p.put("groupCurrency", "kronor"), "InvalidCurrency", "groupCurrency");
    refuseProgram(
        p -> ((ObjectNode) p.path("exchangeRates")).put("EUR", new BigDecimal("-1")),
        "InvalidExchangeRate",
        "exchangeRates.EUR");
    refuseProgram(
        p -> {
          ArrayNode tiers = (ArrayNode) p.path("levels").path("tiers");
          tiers.addObject().put("id", "gold").put("name", "Gold").put("threshold", 500);
        },
        "InvalidValue",
        "levels.tiers[2].threshold");
    refuseProgram(
        p -> ((ObjectNode) p.path("levels").path("tiers").get(1)).put("threshold", 0),
        "InvalidValue",
        "levels.tiers[1].threshold");
    refuseProgram(
        p -> ((ObjectNode) p.path("levels").path("tiers").get(0)).put("threshold", 100),
        "InvalidValue",
        "levels.tiers[0].threshold");
    refuseProgram(
        p -> ((ObjectNode) p.path("vouchers")).remove("pointsPerStep"),
        "InvalidValue",
        "vouchers.pointsPerStep");
    refuseProgram(
        p -> ((ObjectNode) p.path("expiry")).put("model", "WEEKLY"),
        "InvalidValue",
        "expiry.model");
    refuseProgram(
        p -> {
          ObjectNode expiry = (ObjectNode) p.path("expiry");
          expiry.put("model", "CALENDAR_YEAR");
          expiry.remove("years");
          expiry.remove("months");
        },
        "InvalidValue",
        "expiry.years");
    assertThat(api.get(PROGRAM).json()).isEqualTo(before);
  }

  @Test
  void engageOnlyKeyIsForbiddenTheProgramme() {
    Api.Response created =
        api.post("/admin/api-keys", Map.of("name", unique("it-pos"), "scopes", List.of("engage")));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    Api pos = api.withKey(created.json().path("key").asString());
    Api.Response read = pos.get(PROGRAM);
    assertThat(read.status()).isEqualTo(403);
    assertThat(read.errorCode()).isEqualTo("Forbidden");
    Api.Response write = pos.put(PROGRAM, LoyaltyFixtures.defaults());
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.errorCode()).isEqualTo("Forbidden");
    // the same key may still send receipts
    Contact member = member(api);
    assertThat(
            pos.post("/api/v2/receipts", receipt(member.email()).purchase("K", "5").body())
                .status())
        .isEqualTo(202);
  }

  @Test
  void programmeChangeAppliesToReceiptsProcessedAfterIt() {
    Contact member = member(api);
    send(api, receipt(member.email()).purchase("P1", "100"));
    ObjectNode doubled = program();
    doubled.put("pointsPerGroupCurrencyUnit", 2);
    Api.Response put = api.put(PROGRAM, doubled);
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    assertThat(put.json().path("pointsPerGroupCurrencyUnit").decimalValue())
        .isEqualByComparingTo("2");
    assertThat(api.get(PROGRAM).json().path("pointsPerGroupCurrencyUnit").decimalValue())
        .isEqualByComparingTo("2");
    send(api, receipt(member.email()).purchase("P2", "100"));
    assertThat(balance(api, member.id())).isEqualTo(100 + 200);
  }

  // ---------------------------------------------------------------- receipts (§3.2)

  @Test
  void receiptIsAnswered202WithAnEmptyBodyAfterItsPointsAreCommitted() {
    Contact member = member(api);
    Receipt receipt = receipt(member.email()).purchase("R1", "100.60").purchase("R2", "22.85");
    Api.Response answer = api.post("/api/v2/receipts", receipt.body());
    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    assertThat(answer.text()).isEmpty();
    // 123.45 SEK rounds down once per receipt
    assertThat(balance(api, member.id())).isEqualTo(123);
    Map<String, @Nullable Object> row =
        jdbc.sql(
                "select status, points, contact_id::text as contact from receipts"
                    + " where unique_receipt_id = ?")
            .param(receipt.uniqueReceiptId())
            .query()
            .singleRow();
    assertThat(row.get("status")).isEqualTo("Processed");
    assertThat(((Number) Objects.requireNonNull(row.get("points"))).longValue()).isEqualTo(123);
    assertThat(row.get("contact")).isEqualTo(member.id());
  }

  @Test
  void numbersAsStringsAndEnumValuesInAnyCaseAreAccepted() {
    Contact member = member(api);
    Receipt receipt =
        receipt(member.email().toUpperCase(java.util.Locale.ROOT))
            .purchase("S1", "250")
            .set("contact.matchKeyType", "EMAIL")
            .set("currency", "sek")
            .set("totalGrossPrice", "250.00")
            .set("items[0].type", "purchase")
            .set("items[0].quantity", "1")
            .set("items[0].grossPaidPrice", "250.00")
            .set("items[0].taxAmount", "50.00")
            .set("items[0].taxPercent", "25");
    Api.Response answer = api.post("/api/v2/receipts", receipt.body());
    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    assertThat(balance(api, member.id())).isEqualTo(250);
  }

  @Test
  void receiptInAnotherCurrencyEarnsAtTheProgrammeRate() {
    Contact member = member(api);
    send(api, receipt(member.email()).purchase("E1", "10.00").set("currency", "EUR"));
    assertThat(balance(api, member.id())).isEqualTo(112);
  }

  @Test
  void sameUniqueReceiptIdAgainHasNoSecondEffect() {
    Contact member = member(api);
    Receipt receipt = receipt(member.email()).purchase("D1", "80");
    send(api, receipt);
    send(api, receipt);
    assertThat(balance(api, member.id())).isEqualTo(80);
    assertThat(receiptRows(receipt)).isEqualTo(1);
  }

  @Test
  void everyMissingRequiredFieldIsNamedWith422AndNothingIsWritten() {
    Contact member = member(api);
    List<String> required =
        List.of(
            "contact.matchKey",
            "contact.matchKeyType",
            "uniqueReceiptId",
            "receiptNumber",
            "createdDate",
            "storeExternalId",
            "currency",
            "totalGrossPrice",
            "paymentMethods",
            "items",
            "items[0].sku",
            "items[0].quantity",
            "items[0].grossPaidPrice",
            "items[0].taxAmount",
            "items[0].taxPercent",
            "items[0].articleNumber",
            "items[0].articleName",
            "items[0].type",
            "contact");
    for (String field : required) {
      Receipt receipt = receipt(member.email()).purchase("M1", "600").without(field);
      Api.Response refused = api.post("/api/v2/receipts", receipt.body());
      assertError(refused, 422, "MissingField", field);
      assertThat(receiptRows(receipt)).as(field).isZero();
    }
    assertThat(balance(api, member.id())).isZero();
    assertThat(vouchers(api, member.id(), "").path("totalCount").asLong()).isZero();
  }

  @Test
  void valuesOfTheWrongTypeAreNamedWith422AndNothingIsWritten() {
    Contact member = member(api);
    Map<String, Object> objectInsteadOfText = Map.of("a", 1);
    List<Case> cases =
        List.of(
            new Case(
                r -> r.set("items[0].quantity", "abc"), "InvalidFieldType", "items[0].quantity"),
            new Case(r -> r.set("items", "abc"), null, "items"),
            new Case(r -> r.set("items", List.of()), "MissingField", "items"),
            new Case(r -> r.set("items[0]", "abc"), "InvalidFieldType", "items[0]"),
            new Case(r -> r.set("totalGrossPrice", "much"), "InvalidFieldType", "totalGrossPrice"),
            new Case(r -> r.set("paymentMethods", "card"), null, "paymentMethods"),
            new Case(r -> r.set("contact", "someone"), null, "contact"),
            new Case(
                r -> r.set("storeExternalId", objectInsteadOfText),
                "InvalidFieldType",
                "storeExternalId"),
            new Case(r -> r.set("receiptNumber", "R-\u0007-1"), "InvalidValue", "receiptNumber"),
            new Case(r -> r.set("items[0].sku", "SKU\t2"), "InvalidValue", "items[0].sku"),
            new Case(
                r -> r.set("storeExternalId", "s".repeat(501)), "InvalidValue", "storeExternalId"),
            new Case(r -> r.set("createdDate", "yesterday"), "InvalidDate", "createdDate"),
            new Case(r -> r.set("currency", "kronor"), "InvalidCurrency", "currency"),
            new Case(r -> r.set("items[0].type", "GIFT"), "InvalidItemType", "items[0].type"),
            new Case(
                r -> r.set("items[0].awardsBonus", "maybe"),
                "InvalidFieldType",
                "items[0].awardsBonus"));
    for (Case c : cases) {
      Receipt receipt = receipt(member.email()).purchase("W1", "600");
      c.change().accept(receipt);
      Api.Response refused = api.post("/api/v2/receipts", receipt.body());
      assertError(refused, 422, c.errorCode(), c.field());
      assertThat(receiptRows(receipt)).as(c.field()).isZero();
    }
    assertThat(balance(api, member.id())).isZero();
  }

  @Test
  void unknownMatchKeyTypeIsRefused() {
    Contact member = member(api);
    Receipt receipt =
        receipt(member.email()).purchase("K1", "10").set("contact.matchKeyType", "shoeSize");
    assertError(
        api.post("/api/v2/receipts", receipt.body()),
        422,
        "InvalidMatchKeyType",
        "contact.matchKeyType");
    assertThat(receiptRows(receipt)).isZero();
  }

  @Test
  void returnWithAPositiveQuantityIsRefused() {
    Contact member = member(api);
    Receipt receipt = receipt(member.email()).returned("Q1", 1, "10").set("items[0].quantity", 1);
    assertError(
        api.post("/api/v2/receipts", receipt.body()), 422, "InvalidQuantity", "items[0].quantity");
    Receipt negativePurchase =
        receipt(member.email()).purchase("Q2", "10").set("items[0].quantity", -1);
    assertError(
        api.post("/api/v2/receipts", negativePurchase.body()),
        422,
        "InvalidQuantity",
        "items[0].quantity");
    assertThat(receiptRows(receipt) + receiptRows(negativePurchase)).isZero();
  }

  @Test
  void malformedJsonIs400AndEmptyBodyIs400() {
    String uniqueId = unique("it-malformed");
    Api.Response malformed =
        api.post("/api/v2/receipts", "{\"uniqueReceiptId\": \"" + uniqueId + "\", \"items\": [");
    assertError(malformed, 400, "InvalidJson", "body");
    assertThat(
            jdbc.sql("select count(*) from receipts where unique_receipt_id = ?")
                .param(uniqueId)
                .query(Long.class)
                .single())
        .isZero();
    Api.Response array = api.post("/api/v2/receipts", "[]");
    assertThat(array.status()).isEqualTo(400);
    Api.Response empty = api.send("POST", "/api/v2/receipts", null, Map.of());
    assertThat(empty.status()).isEqualTo(400);
  }

  @Test
  void receiptInACurrencyWithoutARateIsRefusedAndWritesNothingNotEvenItsStore() {
    Contact member = member(api);
    String store = unique("it-store-xyz");
    Receipt receipt =
        receipt(member.email())
            .purchase("X1", "10")
            .set("currency", "XYZ")
            .set("storeExternalId", store);
    assertError(api.post("/api/v2/receipts", receipt.body()), 422, "UnknownCurrency", "currency");
    assertThat(receiptRows(receipt)).isZero();
    assertThat(api.get("/api/v2/stores/" + store + "?includeInactive=true").status())
        .isEqualTo(404);
    // with its own rate it is taken
    send(api, receipt.set("exchangeRateToGroupCurrency", "2.5"));
    assertThat(balance(api, member.id())).isEqualTo(25);
  }

  @Test
  void receiptWithAnUnknownKeyIsKeptAndAttachedWhenTheContactIsCreated() {
    String email = Api.uniqueEmail();
    Receipt early = receipt(email).purchase("U1", "150");
    send(api, early);
    assertThat(
            jdbc.sql("select status from receipts where unique_receipt_id = ?")
                .param(early.uniqueReceiptId())
                .query(String.class)
                .single())
        .isEqualTo("Unmatched");
    Api.Response created = api.post("/api/v2/contacts", Map.of("email", email));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().path("id").asString();
    assertThat(balance(api, id)).isEqualTo(150);
    assertThat(
            api.get("/api/v2/contacts/" + id + "/transactions").json().path("totalCount").asLong())
        .isEqualTo(1);
  }

  @Test
  void returnTakesBackExactlyWhatTheReturnedLineEarned() {
    Contact member = member(api);
    send(api, receipt(member.email()).purchase("RET-A", "300.50").purchase("RET-B", "100.70"));
    assertThat(balance(api, member.id())).isEqualTo(401);
    send(api, receipt(member.email()).returned("RET-A", 1, "300.50"));
    long afterReturn = balance(api, member.id());
    send(api, receipt(member.email()).returned("NEVER-BOUGHT", 1, "80"));
    assertThat(balance(api, member.id())).isEqualTo(afterReturn);
    JsonNode ledger = api.get("/api/v2/contacts/" + member.id() + "/bonuspointtransactions").json();
    assertThat(ledger.path("items").get(0).path("type").asString()).isEqualTo("Return");
    // 401.20 SEK earns 401, allocated by largest remainder: RET-A 300, RET-B 101
    assertThat(afterReturn).isEqualTo(101);
    assertThat(ledger.path("items").get(0).path("amount").asLong()).isEqualTo(-300);
  }

  @Test
  void voucherUsedOnAReceiptIsRedeemedAndReactivatedWhenThatReceiptIsReturnedInFull() {
    Contact member = member(api);
    send(api, receipt(member.email()).purchase("USE-0", "500"));
    JsonNode voucher = vouchers(api, member.id(), "available").path("items").get(0);
    Receipt using =
        receipt(member.email())
            .purchase("USE-1", "100")
            .set(
                "usedBonusChecks",
                List.of(Map.of("checkNumber", voucher.path("checkNumber").asString())));
    send(api, using);
    assertThat(vouchers(api, member.id(), "available").path("totalCount").asLong()).isZero();
    assertThat(vouchers(api, member.id(), "redeemed").path("totalCount").asLong()).isEqualTo(1);
    assertThat(balance(api, member.id())).isEqualTo(100);

    send(api, receipt(member.email()).returned("USE-1", 1, "100"));
    JsonNode available = vouchers(api, member.id(), "available");
    assertThat(available.path("totalCount").asLong()).isEqualTo(1);
    assertThat(available.path("items").get(0).path("id").asString())
        .isEqualTo(voucher.path("id").asString());
    assertThat(balance(api, member.id())).isZero();
  }

  // ---------------------------------------------------------------- bonus checks (§2.6)

  @Test
  void receiptReachingAStepIssuesAVoucherListedAsAllAndAvailable() {
    Contact member = member(api);
    send(api, receipt(member.email()).purchase("B1", "500"));
    JsonNode all = vouchers(api, member.id(), "");
    assertThat(all.path("totalCount").asLong()).isEqualTo(1);
    assertThat(all.path("offset").asInt()).isZero();
    assertThat(all.path("count").asInt()).isEqualTo(100);
    JsonNode voucher = all.path("items").get(0);
    assertThat(voucher.path("id").asString()).matches("[0-9a-f-]{36}");
    assertThat(voucher.path("checkNumber").asString()).isNotBlank();
    assertThat(voucher.path("name").asString()).isEqualTo("Bonus check");
    assertThat(voucher.path("value").path("currency").asString()).isEqualTo("SEK");
    assertThat(voucher.path("value").path("amount").decimalValue()).isEqualByComparingTo("50");
    assertThat(voucher.path("bonusPoints").asLong()).isEqualTo(500);
    assertThat(voucher.path("redeemed").asBoolean()).isFalse();
    assertThat(voucher.path("expiresOn").asString()).isNotBlank();
    Map<String, BigDecimal> local = new LinkedHashMap<>();
    voucher
        .path("localValues")
        .forEach(v -> local.put(v.path("currency").asString(), v.path("amount").decimalValue()));
    assertThat(local).containsOnlyKeys("EUR", "NOK");
    assertThat(local.get("EUR")).isEqualByComparingTo("4.46");
    assertThat(local.get("NOK")).isEqualByComparingTo("50.00");

    assertThat(vouchers(api, member.id(), "available").path("totalCount").asLong()).isEqualTo(1);
    JsonNode redeemed = vouchers(api, member.id(), "redeemed");
    assertThat(redeemed.path("totalCount").asLong()).isZero();
    assertThat(redeemed.path("items").size()).isZero();
    assertThat(balance(api, member.id())).isZero();
  }

  @Test
  void voucherListsArePagedAndCountOutside1To500IsRefused() {
    Contact member = member(api);
    send(api, receipt(member.email()).purchase("B2", "1500"));
    JsonNode page =
        api.get("/api/v2/contacts/" + member.id() + "/bonuschecks?offset=1&count=1").json();
    assertThat(page.path("totalCount").asLong()).isEqualTo(3);
    assertThat(page.path("offset").asInt()).isEqualTo(1);
    assertThat(page.path("count").asInt()).isEqualTo(1);
    assertThat(page.path("items").size()).isEqualTo(1);
    for (String list : List.of("", "/available", "/redeemed")) {
      String path = "/api/v2/contacts/" + member.id() + "/bonuschecks" + list;
      assertError(api.get(path + "?count=0"), 400, "InvalidCount", "count");
      assertError(api.get(path + "?count=501"), 400, "InvalidCount", "count");
      assertError(api.get(path + "?offset=-1"), 400, "InvalidOffset", "offset");
      assertThat(api.get(path + "?count=500").status()).isEqualTo(200);
    }
    assertError(
        api.get("/api/v2/contacts/" + UUID.randomUUID() + "/bonuschecks"),
        404,
        "ContactNotFound",
        null);
  }

  @Test
  void voucherIsRedeemedOnceAndThenConflicts() {
    Contact member = member(api);
    String voucher = voucherOf(member);
    Api.Response redeemed =
        api.post("/api/v2/contacts/" + member.id() + "/bonuschecks/" + voucher + "/redeem", null);
    assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(200);
    assertThat(redeemed.json().path("id").asString()).isEqualTo(voucher);
    assertThat(redeemed.json().path("redeemed").asBoolean()).isTrue();
    assertThat(redeemed.json().path("redeemedOn").asString()).isNotBlank();

    Api.Response again =
        api.post("/api/v2/contacts/" + member.id() + "/bonuschecks/" + voucher + "/redeem", null);
    assertError(again, 409, "BonusCheckAlreadyRedeemed", null);

    assertThat(vouchers(api, member.id(), "available").path("totalCount").asLong()).isZero();
    JsonNode used = vouchers(api, member.id(), "redeemed");
    assertThat(used.path("totalCount").asLong()).isEqualTo(1);
    assertThat(used.path("items").get(0).path("id").asString()).isEqualTo(voucher);
    assertThat(vouchers(api, member.id(), "").path("totalCount").asLong()).isEqualTo(1);
  }

  @Test
  void redeemingAnUnknownVoucherAnUnknownContactOrAnotherContactsVoucherIsNotFound() {
    Contact member = member(api);
    Contact other = member(api);
    String voucher = voucherOf(member);
    assertError(
        api.post(
            "/api/v2/contacts/" + member.id() + "/bonuschecks/" + UUID.randomUUID() + "/redeem",
            null),
        404,
        "BonusCheckNotFound",
        null);
    assertError(
        api.post("/api/v2/contacts/" + member.id() + "/bonuschecks/not-a-guid/redeem", null),
        404,
        "BonusCheckNotFound",
        null);
    assertError(
        api.post(
            "/api/v2/contacts/" + UUID.randomUUID() + "/bonuschecks/" + voucher + "/redeem", null),
        404,
        "ContactNotFound",
        null);
    assertError(
        api.post("/api/v2/contacts/" + other.id() + "/bonuschecks/" + voucher + "/redeem", null),
        404,
        "BonusCheckNotFound",
        null);
    assertThat(vouchers(api, member.id(), "available").path("totalCount").asLong()).isEqualTo(1);
  }

  @Test
  void redeemedVoucherIsReactivatedUpToTheProgrammeLimit() {
    Contact member = member(api);
    String voucher = voucherOf(member);
    String reactivate = "/api/v2/promotions/reward-vouchers/" + voucher + "/reactivate";
    String redeem = "/api/v2/contacts/" + member.id() + "/bonuschecks/" + voucher + "/redeem";

    assertError(api.post(reactivate, null), 409, "RewardVoucherAlreadyActivated", null);
    for (int i = 1; i <= 3; i++) {
      assertThat(api.post(redeem, null).status()).isEqualTo(200);
      Api.Response reactivated = api.post(reactivate, null);
      assertThat(reactivated.status()).as(reactivated.toString()).isEqualTo(200);
      assertThat(reactivated.json().isString()).as(reactivated.text()).isTrue();
      assertThat(reactivated.json().asString()).isEqualTo(voucher);
      JsonNode available = vouchers(api, member.id(), "available");
      assertThat(available.path("totalCount").asLong()).isEqualTo(1);
      assertThat(available.path("items").get(0).path("reactivations").asInt()).isEqualTo(i);
    }
    assertThat(api.post(redeem, null).status()).isEqualTo(200);
    assertError(api.post(reactivate, null), 409, "RewardVoucherReactivationLimitReached", null);
    assertThat(vouchers(api, member.id(), "redeemed").path("totalCount").asLong()).isEqualTo(1);
  }

  @Test
  void reactivatingAMalformedOrUnknownVoucherIsRefused() {
    assertError(
        api.post("/api/v2/promotions/reward-vouchers/not-a-guid/reactivate", null),
        400,
        "InvalidRewardVoucherId",
        "id");
    assertError(
        api.post("/api/v2/promotions/reward-vouchers/" + UUID.randomUUID() + "/reactivate", null),
        404,
        "RewardVoucherNotFound",
        null);
  }

  @Test
  void expiredVoucherCannotBeRedeemedOrReactivated() {
    Contact member = member(api);
    String voucher = voucherOf(member);
    expire(voucher);
    assertError(
        api.post("/api/v2/contacts/" + member.id() + "/bonuschecks/" + voucher + "/redeem", null),
        409,
        "BonusCheckExpired",
        null);
    assertThat(vouchers(api, member.id(), "available").path("totalCount").asLong()).isZero();
    JsonNode all = vouchers(api, member.id(), "");
    assertThat(all.path("items").get(0).path("expired").asBoolean()).isTrue();

    Contact other = member(api);
    String used = voucherOf(other);
    assertThat(
            api.post("/api/v2/contacts/" + other.id() + "/bonuschecks/" + used + "/redeem", null)
                .status())
        .isEqualTo(200);
    expire(used);
    assertError(
        api.post("/api/v2/promotions/reward-vouchers/" + used + "/reactivate", null),
        409,
        "RewardVoucherExpired",
        null);
  }

  // ---------------------------------------------------------------- points (§2.7, §3.5)

  @Test
  void bonusPointTransactionsListTheLedgerNewestFirst() {
    Contact member = member(api);
    Receipt receipt = receipt(member.email()).purchase("L1", "600");
    send(api, receipt);
    api.post(
        "/api/v2/contacts/" + member.id() + "/rewardpointtransaction",
        Map.of("points", 7, "description", "goodwill"));
    JsonNode page = api.get("/api/v2/contacts/" + member.id() + "/bonuspointtransactions").json();
    assertThat(page.path("totalCount").asLong()).isEqualTo(3);
    assertThat(page.path("offset").asInt()).isZero();
    assertThat(page.path("count").asInt()).isEqualTo(100);
    JsonNode items = page.path("items");
    assertThat(items.get(0).path("type").asString()).isEqualTo("Adjustment");
    assertThat(items.get(0).path("amount").asLong()).isEqualTo(7);
    assertThat(items.get(0).path("description").asString()).isEqualTo("goodwill");
    assertThat(items.get(1).path("type").asString()).isEqualTo("BonusCheck");
    assertThat(items.get(1).path("amount").asLong()).isEqualTo(-500);
    assertThat(items.get(2).path("type").asString()).isEqualTo("Purchase");
    assertThat(items.get(2).path("amount").asLong()).isEqualTo(600);
    assertThat(items.get(2).path("description").asString()).contains(receipt.receiptNumber());
    assertThat(items.get(2).path("transactionDateTime").asString()).isNotBlank();

    JsonNode second =
        api.get("/api/v2/contacts/" + member.id() + "/bonuspointtransactions?offset=2&count=1")
            .json();
    assertThat(second.path("items").size()).isEqualTo(1);
    assertThat(second.path("items").get(0).path("type").asString()).isEqualTo("Purchase");
    assertError(
        api.get("/api/v2/contacts/" + member.id() + "/bonuspointtransactions?count=501"),
        400,
        "InvalidCount",
        "count");
    assertError(
        api.get("/api/v2/contacts/" + UUID.randomUUID() + "/bonuspointtransactions"),
        404,
        "ContactNotFound",
        null);
  }

  @Test
  void rewardPointTransactionAdjustsPointsUpAndDown() {
    Contact member = member(api);
    String path = "/api/v2/contacts/" + member.id() + "/rewardpointtransaction";
    Api.Response up = api.post(path, Map.of("points", 300, "description", "welcome"));
    assertThat(up.status()).as(up.toString()).isEqualTo(200);
    assertThat(up.json().path("contactId").asString()).isEqualTo(member.id());
    assertThat(up.json().path("totalRewardPoints").asLong()).isEqualTo(300);
    Api.Response down = api.post(path, Map.of("points", -120, "description", "correction"));
    assertThat(down.status()).as(down.toString()).isEqualTo(200);
    assertThat(down.json().path("totalRewardPoints").asLong()).isEqualTo(180);
    assertThat(balance(api, member.id())).isEqualTo(180);

    assertError(api.post(path, Map.of("points", 0)), 400, "InvalidPoints", "points");
    assertError(api.post(path, Map.of("description", "none")), 400, "InvalidPoints", "points");
    assertError(
        api.post(
            "/api/v2/contacts/" + UUID.randomUUID() + "/rewardpointtransaction",
            Map.of("points", 5)),
        404,
        "ContactNotFound",
        null);
    assertThat(balance(api, member.id())).isEqualTo(180);
  }

  @Test
  void pointAccountsShowOneAccountPerDefinition() {
    Contact member = member(api);
    send(api, receipt(member.email()).purchase("A1", "321"));
    Api.Response accounts = api.get("/api/v2/point-accounts?contactId=" + member.id());
    assertThat(accounts.status()).isEqualTo(200);
    assertThat(accounts.json().path("totalCount").asLong()).isEqualTo(1);
    JsonNode account = accounts.json().path("items").get(0);
    assertThat(account.path("contactId").asString()).isEqualTo(member.id());
    assertThat(account.path("definitionId").asLong()).isEqualTo(1);
    assertThat(account.path("balance").asLong()).isEqualTo(321);
    assertThat(account.path("pendingPoints").asLong()).isZero();
    assertThat(account.path("balanceExpires").asString()).isNotBlank();
    long accountId = account.path("id").asLong();

    Api.Response one = api.get("/api/v2/point-accounts/" + accountId);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().path("contactId").asString()).isEqualTo(member.id());
    assertThat(one.json().path("balance").asLong()).isEqualTo(321);
    assertError(api.get("/api/v2/point-accounts/999999999999"), 404, "PointAccountNotFound", null);
    assertError(api.get("/api/v2/point-accounts/abc"), 400, "InvalidId", "id");

    Api.Response definitions = api.get("/api/v2/point-accounts/definitions");
    assertThat(definitions.status()).isEqualTo(200);
    assertThat(definitions.json().isArray()).isTrue();
    assertThat(definitions.json().size()).isEqualTo(1);
    assertThat(definitions.json().get(0).path("id").asLong()).isEqualTo(1);
    Api.Response definition = api.get("/api/v2/point-accounts/definitions/1");
    assertThat(definition.status()).isEqualTo(200);
    assertThat(definition.json().path("name").asString()).isNotBlank();
    assertError(
        api.get("/api/v2/point-accounts/definitions/2"), 404, "PointDefinitionNotFound", null);

    assertError(api.get("/api/v2/point-accounts"), 400, "MissingParameter", "contactId");
    assertError(
        api.get("/api/v2/point-accounts?contactId=" + UUID.randomUUID()),
        404,
        "ContactNotFound",
        null);
  }

  @Test
  void accountTransactionsAreListedByAccountOrContactWithTheirFilter() {
    Contact member = member(api);
    send(api, receipt(member.email()).purchase("T1", "100"));
    String future =
        OffsetDateTime.now(ZoneOffset.ofHours(1))
            .plusDays(10)
            .truncatedTo(ChronoUnit.SECONDS)
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    Api.Response posted =
        api.post(
            "/api/v2/point-accounts/transactions",
            List.of(
                Map.of(
                    "contactId",
                    member.id(),
                    "amount",
                    40,
                    "definitionId",
                    1,
                    "source",
                    "it",
                    "description",
                    "later",
                    "validFrom",
                    future)));
    assertThat(posted.status()).as(posted.toString()).isEqualTo(202);
    JsonNode account =
        api.get("/api/v2/point-accounts?contactId=" + member.id()).json().path("items").get(0);
    assertThat(account.path("balance").asLong()).isEqualTo(100);
    assertThat(account.path("pendingPoints").asLong()).isEqualTo(40);
    long accountId = account.path("id").asLong();

    String byAccount = "/api/v2/point-accounts/transactions?accountId=" + accountId;
    String byContact =
        "/api/v2/point-accounts/transactions?contactId=" + member.id() + "&definitionId=1";
    for (String base : List.of(byAccount, byContact)) {
      JsonNode all = api.get(base).json();
      assertThat(all.path("totalCount").asLong()).as(base).isEqualTo(2);
      assertThat(api.get(base + "&filter=All").json().path("totalCount").asLong()).isEqualTo(2);
      JsonNode active = api.get(base + "&filter=Active").json();
      assertThat(active.path("totalCount").asLong()).isEqualTo(1);
      assertThat(active.path("items").get(0).path("amount").asLong()).isEqualTo(100);
      assertThat(active.path("items").get(0).path("type").asString()).isEqualTo("Purchase");
      JsonNode pending = api.get(base + "&filter=pending").json();
      assertThat(pending.path("totalCount").asLong()).isEqualTo(1);
      assertThat(pending.path("items").get(0).path("amount").asLong()).isEqualTo(40);
      assertThat(pending.path("items").get(0).path("source").asString()).isEqualTo("it");
      assertError(api.get(base + "&filter=Soon"), 400, "InvalidFilter", "filter");
    }
    assertError(
        api.get("/api/v2/point-accounts/transactions?contactId=" + member.id() + "&definitionId=2"),
        404,
        "PointDefinitionNotFound",
        null);
    assertError(
        api.get("/api/v2/point-accounts/transactions"), 400, "MissingParameter", "accountId");

    JsonNode first = api.get(byAccount).json().path("items").get(0);
    Api.Response one = api.get("/api/v2/point-accounts/transactions/" + first.path("id").asLong());
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().path("id").asLong()).isEqualTo(first.path("id").asLong());
    assertThat(one.json().path("accountId").asLong()).isEqualTo(accountId);
    assertThat(one.json().path("amount").asLong()).isEqualTo(first.path("amount").asLong());
    assertError(
        api.get("/api/v2/point-accounts/transactions/999999999999"),
        404,
        "PointTransactionNotFound",
        null);
  }

  @Test
  void postedTransactionsApplyTheGoodRowsAndListTheBadOnes() {
    Contact member = member(api);
    String unknown = UUID.randomUUID().toString();
    List<Map<String, Object>> rows =
        List.of(
            row(member.id(), 40, 1, "welcome"),
            row(unknown, 10, 1, "nobody"),
            row(member.id(), 10, 2, "other definition"),
            row(member.id(), 10, 1, ""),
            row("not-a-guid", 10, 1, "malformed"),
            row(member.id(), 0, 1, "zero"),
            row(member.id(), -15, 1, "taken"));
    Api.Response answer = api.post("/api/v2/point-accounts/transactions", rows);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    JsonNode body = answer.json();
    assertThat(body.path("notAccepted").size()).isEqualTo(5);
    assertThat(body.path("missingContactIds").size()).isEqualTo(1);
    assertThat(body.path("missingContactIds").get(0).asString()).isEqualTo(unknown);
    assertThat(body.path("missingDefinitionIds").size()).isEqualTo(1);
    assertThat(body.path("missingDefinitionIds").get(0).asLong()).isEqualTo(2);
    assertThat(body.path("errorMessages").size()).isEqualTo(3);
    assertThat(balance(api, member.id())).isEqualTo(25);
  }

  @Test
  void idempotencyKeyAppliesARepeatOnceAndAnswersTheSame() {
    Contact member = member(api);
    String key = unique("it-idem");
    List<Map<String, Object>> rows =
        List.of(row(member.id(), 40, 1, "once"), row(UUID.randomUUID().toString(), 5, 1, "x"));
    Map<String, String> header = Map.of("Idempotency-Key", key);
    Api.Response first = api.post("/api/v2/point-accounts/transactions", rows, header);
    Api.Response second = api.post("/api/v2/point-accounts/transactions", rows, header);
    assertThat(first.status()).as(first.toString()).isEqualTo(202);
    assertThat(second.status()).as(second.toString()).isEqualTo(202);
    assertThat(second.json()).isEqualTo(first.json());
    assertThat(first.json().path("missingContactIds").size()).isEqualTo(1);
    assertThat(balance(api, member.id())).isEqualTo(40);

    Api.Response reused =
        api.post(
            "/api/v2/point-accounts/transactions",
            List.of(row(member.id(), 41, 1, "different")),
            header);
    assertError(reused, 422, "IdempotencyKeyReused", "Idempotency-Key");
    assertThat(balance(api, member.id())).isEqualTo(40);

    // without a key the same rows apply again
    api.post("/api/v2/point-accounts/transactions", rows);
    assertThat(balance(api, member.id())).isEqualTo(80);
  }

  @Test
  void moreThan1000TransactionsOrNoneAreRefused() {
    Contact member = member(api);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      rows.add(row(member.id(), 1, 1, "row " + i));
    }
    assertError(
        api.post("/api/v2/point-accounts/transactions", rows), 400, "TooManyTransactions", "body");
    assertError(api.post("/api/v2/point-accounts/transactions", List.of()), 400, "NoData", "body");
    assertThat(balance(api, member.id())).isZero();
  }

  // ---------------------------------------------------------------- member status (§2.8)

  @Test
  void memberStatusIsGreenForAMemberYellowForAContactAndRedForNobody() {
    Contact member = member(api);
    send(api, receipt(member.email()).purchase("G1", "120"));
    Api.Response green = memberStatus("email:" + member.email());
    assertThat(green.status()).as(green.toString()).isEqualTo(200);
    assertThat(green.json().path("statusColor").asString()).isEqualTo("green");
    JsonNode data = green.json().path("data");
    assertThat(data.path("contactId").asString()).isEqualTo(member.id());
    assertThat(data.path("memberNumber").asString()).matches("\\d+");
    assertThat(data.path("points").asLong()).isEqualTo(120);
    assertThat(data.path("level").asString()).isEqualTo("Bronze");
    String memberNumber = data.path("memberNumber").asString();
    assertThat(
            memberStatus("memberNumber:" + memberNumber)
                .json()
                .path("data")
                .path("contactId")
                .asString())
        .isEqualTo(member.id());

    Contact contact = LoyaltyFixtures.contact(api, "Contact");
    Api.Response yellow = memberStatus("email:" + contact.email());
    assertThat(yellow.status()).isEqualTo(200);
    assertThat(yellow.json().path("statusColor").asString()).isEqualTo("yellow");
    assertThat(yellow.json().path("data").path("contactId").asString()).isEqualTo(contact.id());

    Api.Response red = memberStatus("email:" + Api.uniqueEmail());
    assertThat(red.status()).isEqualTo(200);
    assertThat(red.json().path("statusColor").asString()).isEqualTo("red");

    assertError(memberStatus("nocolon"), 400, "InvalidSearchQuery", "query");
    assertError(memberStatus("shoeSize:42"), 400, "InvalidSearchQuery", "query");
    assertError(api.get("/api/v2/memberstatus"), 400, "InvalidSearchQuery", "query");
  }

  // ---------------------------------------------------------------- purchase history (§2.3)

  @Test
  void purchaseHistoryListsReceiptsNewestFirstWithLinesAndSumsThem() {
    Contact member = member(api);
    Receipt older = receipt(member.email()).purchase("H1", "100").set("createdDate", pastDate(3));
    Receipt newer =
        receipt(member.email())
            .purchase("H2", "200")
            .purchase("H3", "100")
            .set("createdDate", pastDate(1));
    send(api, newer);
    send(api, older);

    Api.Response history = api.get("/api/v2/contacts/" + member.id() + "/transactions");
    assertThat(history.status()).as(history.toString()).isEqualTo(200);
    JsonNode page = history.json();
    assertThat(page.path("totalCount").asLong()).isEqualTo(2);
    JsonNode first = page.path("items").get(0);
    assertThat(first.path("transactionNumber").asString()).isEqualTo(newer.receiptNumber());
    assertThat(first.path("externalId").asString()).isEqualTo(newer.uniqueReceiptId());
    assertThat(first.path("netPriceSum").decimalValue()).isEqualByComparingTo("300");
    assertThat(first.path("localCurrency").asString()).isEqualTo("SEK");
    assertThat(first.path("groupCurrency").asString()).isEqualTo("SEK");
    assertThat(first.path("storeName").asString()).isNotBlank();
    assertThat(first.path("numberOfItems").asInt()).isEqualTo(2);
    assertThat(first.path("lineItems").size()).isEqualTo(2);
    assertThat(first.path("lineItems").get(0).path("sku").asString()).isEqualTo("H2");
    assertThat(first.path("lineItems").get(0).path("points").asLong()).isEqualTo(200);
    JsonNode second = page.path("items").get(1);
    assertThat(second.path("transactionNumber").asString()).isEqualTo(older.receiptNumber());
    assertThat(second.path("lineItems").size()).isEqualTo(1);

    JsonNode paged =
        api.get("/api/v2/contacts/" + member.id() + "/transactions?offset=1&count=1").json();
    assertThat(paged.path("items").size()).isEqualTo(1);
    assertThat(paged.path("items").get(0).path("transactionNumber").asString())
        .isEqualTo(older.receiptNumber());
    assertError(
        api.get("/api/v2/contacts/" + member.id() + "/transactions?count=0"),
        400,
        "InvalidCount",
        "count");

    Api.Response summary = api.get("/api/v2/contacts/" + member.id() + "/purchasehistorysummary");
    assertThat(summary.status()).as(summary.toString()).isEqualTo(200);
    for (String period : List.of("allTime", "last12Months", "last24Months")) {
      JsonNode kpis = summary.json().path(period);
      assertThat(kpis.path("totalAmount").decimalValue()).as(period).isEqualByComparingTo("400");
      assertThat(kpis.path("numberOfPurchases").asLong()).as(period).isEqualTo(2);
      assertThat(kpis.path("numberOfArticles").decimalValue()).as(period).isEqualByComparingTo("3");
      assertThat(kpis.path("averageReceiptAmount").decimalValue())
          .as(period)
          .isEqualByComparingTo("200");
    }
    assertThat(summary.json().path("latestReceiptDate").asString()).isNotBlank();
    assertThat(summary.json().path("currency").asString()).isEqualTo("SEK");
    assertError(
        api.get("/api/v2/contacts/" + UUID.randomUUID() + "/purchasehistorysummary"),
        404,
        "ContactNotFound",
        null);
  }

  @Test
  void legacyTransactionImportEarnsPointsLikeAReceiptAndOnlyOnce() {
    Contact member = member(api);
    String externalId = unique("it-legacy");
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("articleNr", "LEG-1");
    line.put("quantity", 1);
    line.put("price", 321);
    line.put("type", "PURCHASE");
    Map<String, Object> old = new LinkedHashMap<>();
    old.put("externalId", externalId);
    old.put("invoiceNumber", "INV-" + externalId.substring(10, 18));
    old.put("customerKey", member.email());
    old.put("customerKeyType", "email");
    old.put("invoiceCreatedDate", pastDate(1));
    old.put("storeNumber", LoyaltyFixtures.STORE);
    old.put("currency", "SEK");
    old.put("lines", List.of(line));
    Map<String, Object> body = Map.of("receipts", List.of(old));

    Api.Response imported = api.post("/api/v2/transactions", body);
    assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
    assertThat(balance(api, member.id())).isEqualTo(321);
    JsonNode history = api.get("/api/v2/contacts/" + member.id() + "/transactions").json();
    assertThat(history.path("totalCount").asLong()).isEqualTo(1);
    assertThat(history.path("items").get(0).path("externalId").asString()).isEqualTo(externalId);
    assertThat(history.path("items").get(0).path("lineItems").get(0).path("sku").asString())
        .isEqualTo("LEG-1");

    assertThat(api.post("/api/v2/transactions", body).status()).isEqualTo(200);
    assertThat(balance(api, member.id())).isEqualTo(321);

    assertError(
        api.post("/api/v2/transactions", Map.of("receipts", List.of())), 400, "NoData", "receipts");
  }

  // ---------------------------------------------------------------- helpers

  private record Case(Consumer<Receipt> change, @Nullable String errorCode, String field) {}

  private void refuseProgram(Consumer<ObjectNode> change, String errorCode, String field) {
    ObjectNode program = program();
    change.accept(program);
    Api.Response refused = api.put(PROGRAM, program);
    assertError(refused, 422, errorCode, field);
    List<String> fields = new ArrayList<>();
    refused
        .json()
        .path("messageDetails")
        .path("errors")
        .forEach(e -> fields.add(e.path("field").asString()));
    assertThat(fields).as(refused.toString()).contains(field);
  }

  private ObjectNode program() {
    return (ObjectNode) api.get(PROGRAM).json();
  }

  private String voucherOf(Contact member) {
    send(api, receipt(member.email()).purchase("V-" + member.id().substring(0, 6), "500"));
    JsonNode available = vouchers(api, member.id(), "available");
    assertThat(available.path("totalCount").asLong()).isEqualTo(1);
    return available.path("items").get(0).path("id").asString();
  }

  private void expire(String voucher) {
    jdbc.sql("update vouchers set expires_on = now() - interval '1 day' where id = ?::uuid")
        .param(voucher)
        .update();
  }

  private long receiptRows(Receipt receipt) {
    return jdbc.sql(
            "select count(*) from receipts where unique_receipt_id = ? or receipt_number = ?")
        .params(receipt.uniqueReceiptId(), receipt.receiptNumber())
        .query(Long.class)
        .single();
  }

  private Api.Response memberStatus(String query) {
    return api.get(
        "/api/v2/memberstatus?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
  }

  private static Map<String, Object> row(
      String contactId, long amount, long definitionId, String description) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("contactId", contactId);
    row.put("amount", amount);
    row.put("definitionId", definitionId);
    row.put(
        "timeStamp", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
    row.put("source", "it");
    row.put("description", description);
    return row;
  }

  private static String pastDate(int hours) {
    return OffsetDateTime.now(ZoneOffset.ofHours(2))
        .minusHours(hours)
        .truncatedTo(ChronoUnit.SECONDS)
        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  private static @Nullable JsonNode store(Api.Response list, String externalId) {
    assertThat(list.status()).as(list.toString()).isEqualTo(200);
    assertThat(list.json().isArray()).isTrue();
    for (JsonNode store : list.json()) {
      if (store.path("externalId").asString().equals(externalId)) {
        return store;
      }
    }
    return null;
  }

  static void assertError(
      Api.Response response, int status, @Nullable String errorCode, @Nullable String field) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.json().path("statusCode").asInt())
        .as(response.toString())
        .isEqualTo(status);
    if (errorCode != null) {
      assertThat(response.errorCode()).as(response.toString()).isEqualTo(errorCode);
    } else {
      assertThat(response.errorCode()).as(response.toString()).isNotBlank();
    }
    if (field != null) {
      assertThat(response.json().path("messageDetails").path("field").asString())
          .as(response.toString())
          .isEqualTo(field);
    }
  }
}

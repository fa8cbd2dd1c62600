package org.stamkund.connector.oms;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stamkund.connector.Json;
import org.stamkund.connector.Receipt;
import org.stamkund.connector.StamkundClient;
import org.stamkund.connector.StamkundConnector;
import org.stamkund.connector.StubEngine;
import org.stamkund.connector.TestData;
import tools.jackson.databind.JsonNode;

class OmsSyncTests {

  @TempDir Path dir;
  private final StubEngine engine;
  private @Nullable StamkundConnector connector;

  OmsSyncTests() throws Exception {
    engine = new StubEngine();
  }

  @AfterEach
  void stop() {
    close();
    engine.close();
  }

  private void close() {
    StamkundConnector c = connector;
    if (c != null) {
      c.close();
    }
    connector = null;
  }

  private OmsSync sync(OmsOptions options) {
    StamkundConnector c =
        StamkundConnector.builder()
            .client(StamkundClient.builder().baseUrl(engine.url()).apiKey("k").build())
            .directory(dir)
            .replica(false)
            .build();
    connector = c;
    return new OmsSync(c, options);
  }

  private static OmsCustomer customer(boolean member, List<ExternalId> ids) {
    return new OmsCustomer(
        "cust-1",
        "SWE",
        member,
        "Anna",
        "Svensson",
        "anna@example.com",
        "+46701234567",
        ids,
        Map.of("newsletter", true, "sms", false, "profiling", true));
  }

  @Test
  void aNewPrivateCustomerIsLookedUpByKeyThenCreatedAsAContactWithThePrefixedExternalId() {
    engine.on("POST /api/v2/contacts", 201, TestData.contactJson("c-1", "Contact", "a", "b"));
    OmsSync sync = sync(OmsOptions.defaults().withConnectorPrefix("BikeShop"));
    CustomerSyncResult r = sync.exportCustomer(customer(false, List.of()));
    assertThat(r.action()).isEqualTo(CustomerSyncResult.Action.CREATED);
    assertThat(r.externalId()).isEqualTo(new ExternalId("VoyadoContactId", "BikeShop_c-1"));
    assertThat(r.operations())
        .containsExactly(
            "GET /contacts/{contactType}/bykey/{keyValue}",
            "GET /contacts/{contactType}/bykey/{keyValue}",
            "POST /contacts");
    assertThat(engine.seen("GET", "/api/v2/contacts/").getFirst().target())
        .isEqualTo("/api/v2/contacts/Contact/bykey/anna%40example.com");
    JsonNode body = Json.parse(engine.seen("POST", "/api/v2/contacts").getFirst().body());
    assertThat(body.path("contactType").asString()).isEqualTo("Contact");
    assertThat(engine.seen("POST", "/api/v2/contacts").getFirst().header("source"))
        .isEqualTo("OMS");
  }

  @Test
  void aCustomerWhoJoinedTheClubIsPromotedThenUpdated() {
    engine.on("GET /api/v2/contacts/c-1", 200, TestData.contactJson("c-1", "Contact", "a", "b"));
    engine.on("POST /api/v2/contacts/c-1", 200, TestData.contactJson("c-1", "Member", "a", "b"));
    OmsSync sync = sync(OmsOptions.defaults());
    CustomerSyncResult r =
        sync.exportCustomer(customer(true, List.of(new ExternalId("VoyadoContactId", "c-1"))));
    assertThat(r.action()).isEqualTo(CustomerSyncResult.Action.UPDATED);
    assertThat(r.operations())
        .containsExactly(
            "GET /contacts/{id}", "POST /contacts/{id}/promoteToMember", "POST /contacts/{id}");
  }

  @Test
  void aMemberWhoLeftTheClubChangesTypeToContact() {
    engine.on("GET /api/v2/contacts/c-1", 200, TestData.contactJson("c-1", "Member", "a", "b"));
    engine.on("POST /api/v2/contacts/c-1", 200, TestData.contactJson("c-1", "Contact", "a", "b"));
    OmsSync sync = sync(OmsOptions.defaults());
    CustomerSyncResult r =
        sync.exportCustomer(customer(false, List.of(new ExternalId("VoyadoContactId", "c-1"))));
    assertThat(r.operations())
        .containsExactly(
            "GET /contacts/{id}", "POST /contacts/{id}/updateContactType", "POST /contacts/{id}");
    assertThat(engine.seen("POST", "/api/v2/contacts/c-1/updateContactType").getFirst().target())
        .endsWith("?contactTypeId=Contact");
  }

  @Test
  void exportMembersOnlySkipsPrivateCustomers() {
    OmsSync sync = sync(OmsOptions.defaults().withMapping(ContactTypeMapping.EXPORT_MEMBERS_ONLY));
    assertThat(sync.exportCustomer(customer(false, List.of())).action())
        .isEqualTo(CustomerSyncResult.Action.SKIPPED);
    assertThat(engine.seen()).isEmpty();
  }

  @Test
  void exportAllAsMemberCreatesMembers() {
    engine.on("POST /api/v2/contacts", 201, TestData.contactJson("c-1", "Member", "a", "b"));
    OmsSync sync =
        sync(OmsOptions.defaults().withMapping(ContactTypeMapping.EXPORT_ALL_CUSTOMERS_AS_MEMBER));
    sync.exportCustomer(customer(false, List.of()));
    assertThat(
            Json.parse(engine.seen("POST", "/api/v2/contacts").getFirst().body())
                .path("contactType")
                .asString())
        .isEqualTo("Member");
  }

  @Test
  void consentsAreMappedOrIgnored() {
    OmsSync mapped =
        sync(
            OmsOptions.defaults()
                .withConsentMapping(
                    Map.of("newsletter", "acceptsEmail", "profiling", "consent-7")));
    JsonNode a = mapped.attributes(customer(true, List.of()));
    assertThat(a.path("preferences").path("acceptsEmail").asBoolean()).isTrue();
    assertThat(a.path("preferences").has("acceptsSms")).as("unmapped").isFalse();
    assertThat(a.path("consents").get(0).path("id").asString()).isEqualTo("consent-7");
    close();
    OmsSync ignoring =
        sync(
            OmsOptions.defaults()
                .withIgnoreConsents(true)
                .withConsentMapping(Map.of("newsletter", "acceptsEmail")));
    JsonNode b = ignoring.attributes(customer(true, List.of()));
    assertThat(b.has("preferences")).isFalse();
    assertThat(b.has("consents")).isFalse();
  }

  @Test
  void uniqueIdentifierPhoneLooksUpByMobilePhone() {
    engine.on("GET /api/v2/contacts/id", 404, "{\"errorCode\":\"ContactNotFound\"}");
    engine.on("POST /api/v2/contacts", 201, TestData.contactJson("c-1", "Member", "a", "b"));
    OmsSync sync = sync(OmsOptions.defaults().withUniqueIdentifier(UniqueIdentifier.PHONE));
    CustomerSyncResult r = sync.exportCustomer(customer(true, List.of()));
    assertThat(r.operations()).containsExactly("GET /contacts/id?mobilePhone=", "POST /contacts");
    assertThat(engine.seen("GET", "/api/v2/contacts/id").getFirst().target())
        .contains("mobilePhone=%2B46701234567");
  }

  @Test
  void deleteIsPropagatedOnlyWithSyncDelete() {
    engine.on("DELETE /api/v2/contacts/c-1", 200, "");
    List<ExternalId> ids = List.of(new ExternalId("VoyadoContactId", "c-1"));
    OmsSync off = sync(OmsOptions.defaults());
    assertThat(off.deleteCustomer(customer(true, ids)).action())
        .isEqualTo(CustomerSyncResult.Action.SKIPPED);
    close();
    OmsSync on = sync(OmsOptions.defaults().withSyncDelete(true));
    assertThat(on.deleteCustomer(customer(true, ids)).action())
        .isEqualTo(CustomerSyncResult.Action.DELETED);
    assertThat(engine.seen("DELETE", "/api/v2/contacts/c-1")).hasSize(1);
  }

  @Test
  void storeMappingPrefersTheMarketSpecificPrefixedId() {
    OmsSync sync = sync(OmsOptions.defaults().withConnectorPrefix("BikeShop"));
    List<ExternalId> ids =
        List.of(
            new ExternalId("BikeShop_VoyadoExternalStoreId_NOR", "1100"),
            new ExternalId("BikeShop_VoyadoExternalStoreId_SWE", "1200"),
            new ExternalId("BikeShop_VoyadoExternalStoreId", "1000"),
            new ExternalId("VoyadoExternalStoreId_SWE", "9999"));
    assertThat(sync.storeExternalId("oms-7", ids, "SWE")).isEqualTo("1200");
    assertThat(sync.storeExternalId("oms-7", ids, "NOR")).isEqualTo("1100");
    assertThat(sync.storeExternalId("oms-7", ids, "FIN")).isEqualTo("1000");
    assertThat(sync.storeExternalId("oms-7", List.of(), "SWE"))
        .as("by default the order's store id")
        .isEqualTo("oms-7");
  }

  @Test
  void orderAndReturnReceiptsLeaveOutExcludedLines() {
    OmsSync sync = sync(OmsOptions.defaults());
    OmsOrder.Line bike =
        new OmsOrder.Line(
            "l-1", "bike", "Bike", 1, new BigDecimal("1000.00"), new BigDecimal("25"), Map.of());
    OmsOrder.Line giftCard =
        new OmsOrder.Line(
            "l-2",
            "gift",
            "Gift card",
            1,
            new BigDecimal("500.00"),
            BigDecimal.ZERO,
            Map.of("ExcludeFromVoyadoReceipts", "true"));
    OmsOrder order =
        new OmsOrder(
            "O-1",
            "SWE",
            "oms-7",
            List.of(),
            "SEK",
            OffsetDateTime.parse("2026-03-01T10:00:00+01:00"),
            List.of(bike, giftCard),
            Map.of("card", new BigDecimal("1000.00")),
            List.of(),
            List.of());
    Receipt r = sync.orderReceipt(order);
    assertThat(r.items()).extracting(Receipt.Item::sku).containsExactly("bike");
    assertThat(r.totalGrossPrice()).isEqualByComparingTo("1000.00");
    assertThat(r.items().getFirst().taxAmount()).isEqualByComparingTo("200.00");
    Receipt ret =
        sync.returnReceipt(
            order, "1", List.of(bike, giftCard), OffsetDateTime.parse("2026-03-05T10:00:00+01:00"));
    assertThat(ret.uniqueReceiptId()).isEqualTo("O-1-R-1");
    assertThat(ret.items()).hasSize(1);
    assertThat(ret.items().getFirst().type()).isEqualTo("RETURN");
    assertThat(ret.items().getFirst().quantity()).isEqualByComparingTo("-1");
    assertThat(ret.totalGrossPrice()).isEqualByComparingTo("-1000.00");
  }

  @Test
  void aReactivationOnCreditIsBufferedWhileTheEngineIsAwayAndSentLater() {
    java.util.concurrent.atomic.AtomicBoolean away =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    engine.on(
        "POST /api/v2/promotions/reward-vouchers/v-1/reactivate",
        s -> away.get() ? StubEngine.Answer.json(503, "") : StubEngine.Answer.json(200, "\"v-1\""));
    OmsSync sync = sync(OmsOptions.defaults());
    assertThat(sync.reactivateVoucherOnCredit("v-1")).as("buffered").isFalse();
    StamkundConnector c = java.util.Objects.requireNonNull(connector);
    assertThat(c.status().outbox().depthByKind()).containsEntry("other", 1L);
    away.set(false);
    assertThat(c.replayNow()).isEqualTo(1);
    assertThat(sync.reactivateVoucherOnCredit("v-1")).as("sent at once").isTrue();
  }

  @Test
  void promotionsAreCheckedBeforeCaptureAndRedeemedAfter() {
    engine.on("GET /api/v2/promotions/codes/p-ok/check", 200, "{\"id\":\"p-ok\",\"usable\":true}");
    engine.on(
        "GET /api/v2/promotions/codes/p-used/check",
        200,
        "{\"id\":\"p-used\",\"usable\":false,\"errorCode\":\"PromotionAlreadyRedeemed\"}");
    engine.on("POST /api/v2/promotions/codes/p-ok/redeem", 200, "{}");
    OmsSync sync = sync(OmsOptions.defaults());
    PromotionCheck check = sync.checkPromotionsBeforeCapture("c-1", List.of("p-ok", "p-used"));
    assertThat(check.allUsable()).isFalse();
    assertThat(check.items().get(1).errorCode()).isEqualTo("PromotionAlreadyRedeemed");
    assertThat(sync.redeemPromotionsAfterCapture(List.of("p-ok"))).isEqualTo(1);
    assertThat(engine.seen("POST", "/api/v2/promotions/codes/p-ok/redeem").getFirst().body())
        .contains("\"redemptionChannel\":\"ECOM\"");
  }
}

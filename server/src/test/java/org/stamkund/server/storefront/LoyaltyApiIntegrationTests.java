package org.stamkund.server.storefront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stamkund.server.storefront.StorefrontFixtures.assign;
import static org.stamkund.server.storefront.StorefrontFixtures.channel;
import static org.stamkund.server.storefront.StorefrontFixtures.key;
import static org.stamkund.server.storefront.StorefrontFixtures.member;
import static org.stamkund.server.storefront.StorefrontFixtures.promotion;
import static org.stamkund.server.storefront.StorefrontFixtures.purchase;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * The headless Loyalty API, {@code POST /api/v1/contact-details}, against the seed's example field
 * by field: lookups, the document's shape, vouchers in the shop's currencies, promotions against
 * the shop's discount codes, and the errors.
 */
class LoyaltyApiIntegrationTests extends IntegrationTest {

  private static final String PATH = "/api/v1/contact-details";

  /** A member like the seed's John Doe, with points, one voucher and one promotion. */
  private record Member(String id, String shopifyId, String email, String code, String instance) {}

  private Member johnDoe() {
    String shopifyId =
        Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000L, 9_999_999_999_999L));
    String email = Api.uniqueEmail();
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("firstName", "John");
    attributes.put("lastName", "Doe");
    attributes.put("street", "Street 1");
    attributes.put("city", "Stockholm");
    attributes.put("zipCode", "123 45");
    attributes.put("countryCode", "SE");
    attributes.put("email", email);
    attributes.put("externalId", shopifyId);
    String id = member(api, attributes);
    purchase(api, email, "633.00");
    String code = StorefrontFixtures.unique("RSX");
    String promotion =
        promotion(
            api,
            "20% off next order (Online discount)",
            List.of(channel("POS", "PERCENT", "20"), channel("ECOM", "EXTERNALOFFER", code)));
    String instance = assign(api, id, promotion);
    return new Member(id, shopifyId, email, code, instance);
  }

  /** A shop with these currencies and codes; the secret of a loyalty key bound to it. */
  private String shop(List<String> currencies, List<String> codes) {
    String id = StorefrontFixtures.unique("shop");
    Api.Response put =
        api.put("/admin/shops/" + id, Map.of("currencies", currencies, "discountCodes", codes));
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    return key(api, "loyalty", id);
  }

  /** Posts as the seed's clients do: the key as {@code Authorization: Bearer}. */
  private Api.Response details(String secret, Map<String, Object> body) {
    return api.withKey(null).post(PATH, body, Map.of("Authorization", "Bearer " + secret));
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.propertyNames().forEach(names::add);
    return names;
  }

  @Test
  void contactDetailsHaveTheSeedsShapeFieldByField() {
    Member m = johnDoe();
    String shop = shop(List.of("EUR", "NOK"), List.of(m.code()));
    Api.Response r = details(shop, Map.of("shopify_customer_id", m.shopifyId()));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(names(r.json())).containsExactly("contact");
    JsonNode c = r.json().path("contact");
    assertThat(names(c))
        .containsExactly(
            "shopifyCustomerId",
            "voyadoContactId",
            "attributes",
            "bonusPoints",
            "memberLevel",
            "activeLoyaltyVouchers",
            "syncFailedActiveLoyaltyVouchers",
            "activePromotions",
            "syncFailedActivePromotions");
    assertThat(c.path("shopifyCustomerId").isNumber()).isTrue();
    assertThat(c.path("shopifyCustomerId").asLong()).isEqualTo(Long.parseLong(m.shopifyId()));
    assertThat(c.path("voyadoContactId").asString()).isEqualTo(m.id());
    assertThat(c.path("bonusPoints").asLong()).isEqualTo(133);

    JsonNode a = c.path("attributes");
    assertThat(names(a))
        .containsExactly(
            "firstName",
            "lastName",
            "street",
            "careOf",
            "city",
            "zipCode",
            "countryCode",
            "country",
            "email",
            "mobilePhone",
            "age",
            "birthDay",
            "externalId",
            "socialSecurityNumber",
            "gender",
            "rfm",
            "discoveryKey",
            "memberNumber",
            "language",
            "lang",
            "annualBirthDay",
            "isRegistrationCompleted",
            "registrationDate",
            "bonusPoints",
            "secrecyMarked",
            "currentStore");
    assertThat(a.path("firstName").asString()).isEqualTo("John");
    assertThat(a.path("lastName").asString()).isEqualTo("Doe");
    assertThat(a.path("street").asString()).isEqualTo("Street 1");
    assertThat(a.path("careOf").isNull()).isTrue();
    assertThat(a.path("city").asString()).isEqualTo("Stockholm");
    assertThat(a.path("zipCode").asString()).isEqualTo("123 45");
    assertThat(a.path("countryCode").asString()).isEqualTo("SE");
    assertThat(a.path("country").asString()).isEqualTo("Sweden");
    assertThat(a.path("email").asString()).isEqualTo(m.email());
    assertThat(a.path("externalId").asString()).isEqualTo(m.shopifyId());
    assertThat(a.path("memberNumber").asString()).matches("[0-9]+");
    assertThat(a.path("isRegistrationCompleted").asBoolean()).isFalse();
    assertThat(a.path("registrationDate").asString())
        .matches("\\d{4}-\\d\\d-\\d\\dT.*[+-]\\d\\d:\\d\\d");
    assertThat(a.path("bonusPoints").asLong()).isEqualTo(133);
    assertThat(a.path("secrecyMarked").asBoolean()).isFalse();
    assertThat(a.path("currentStore").isNull()).isTrue();

    JsonNode level = c.path("memberLevel");
    assertThat(names(level))
        .containsExactly(
            "expires", "levelName", "remainingToUpgrade", "basedOnRewardPoints", "levelId");
    assertThat(level.path("levelName").asString()).isEqualTo("Bronze");
    assertThat(level.path("levelId").asString()).isEqualTo("bronze");
    assertThat(level.path("basedOnRewardPoints").asLong()).isEqualTo(633);
    assertThat(level.path("remainingToUpgrade").asLong()).isEqualTo(367);

    assertThat(c.path("activeLoyaltyVouchers").size()).isEqualTo(1);
    JsonNode v = c.path("activeLoyaltyVouchers").get(0);
    assertThat(names(v))
        .containsExactly(
            "expiresOn",
            "id",
            "checkNumber",
            "name",
            "value",
            "localValues",
            "bonusPoints",
            "redeemed",
            "redeemedOn");
    assertThat(v.path("value").path("currency").asString()).isEqualTo("SEK");
    assertThat(v.path("value").path("amount").decimalValue()).isEqualByComparingTo("50");
    assertThat(names(v.path("localValues").get(0))).containsExactly("currency", "amount");
    assertThat(v.path("localValues").findValuesAsString("currency")).containsExactly("EUR", "NOK");
    assertThat(v.path("localValues").get(0).path("amount").decimalValue())
        .isEqualByComparingTo("4.46");
    assertThat(v.path("localValues").get(1).path("amount").decimalValue())
        .isEqualByComparingTo("50");
    assertThat(v.path("bonusPoints").asLong()).isEqualTo(500);
    assertThat(v.path("redeemed").asBoolean()).isFalse();
    assertThat(v.path("redeemedOn").isNull()).isTrue();
    assertThat(c.path("syncFailedActiveLoyaltyVouchers").size()).isZero();

    assertThat(c.path("activePromotions").size()).isEqualTo(1);
    JsonNode p = c.path("activePromotions").get(0);
    assertThat(names(p))
        .containsExactly(
            "id",
            "promotionId",
            "externalId",
            "type",
            "name",
            "expiresOn",
            "heading",
            "description",
            "redeemed",
            "redeemedOn",
            "imageUrl",
            "link",
            "redemptionChannels");
    assertThat(p.path("id").asString()).isEqualTo(m.instance());
    assertThat(p.path("type").asString()).isEqualTo("Multichannel");
    assertThat(p.path("name").asString()).isEqualTo("20% off next order (Online discount)");
    assertThat(p.path("redeemed").asBoolean()).isFalse();
    JsonNode pos = p.path("redemptionChannels").get(0);
    assertThat(names(pos)).containsExactly("type", "valueType", "value", "instruction");
    assertThat(pos.path("type").asString()).isEqualTo("POS");
    assertThat(pos.path("valueType").asString()).isEqualTo("PERCENT");
    assertThat(pos.path("value").isString()).isTrue();
    assertThat(pos.path("value").asString()).isEqualTo("20");
    JsonNode ecom = p.path("redemptionChannels").get(1);
    assertThat(ecom.path("valueType").asString()).isEqualTo("EXTERNALOFFER");
    assertThat(ecom.path("value").asString()).isEqualTo(m.code());
    assertThat(c.path("syncFailedActivePromotions").size()).isZero();
  }

  @Test
  void aVoucherThatCannotBePricedInAShopCurrencyIsListedAsCurrencyMissing() {
    Member m = johnDoe();
    String shop = shop(List.of("EUR", "GBP"), List.of(m.code()));
    JsonNode c = details(shop, Map.of("voyado_contact_id", m.id())).json().path("contact");
    assertThat(c.path("activeLoyaltyVouchers").size()).isZero();
    JsonNode failed = c.path("syncFailedActiveLoyaltyVouchers").get(0);
    assertThat(failed.path("error").asString()).isEqualTo("CurrencyMissing");
    assertThat(failed.path("errorCode").asInt()).isEqualTo(409);
    assertThat(failed.path("errorDescription").asString())
        .isEqualTo(
            "Missing currency 'GBP' for voucher '"
                + failed.path("checkNumber").asString()
                + "'. Contact ID: "
                + m.id()
                + ".");
    assertThat(failed.path("localValues").findValuesAsString("currency")).containsExactly("EUR");
    assertThat(names(failed))
        .endsWith("redeemed", "redeemedOn", "error", "errorCode", "errorDescription");
  }

  @Test
  void anOnlinePromotionWhoseCodeTheShopLacksIsListedAsDiscountCodeNotFound() {
    Member m = johnDoe();
    String shop = shop(List.of("EUR"), List.of("SOME-OTHER-CODE"));
    JsonNode c = details(shop, Map.of("email", m.email())).json().path("contact");
    assertThat(c.path("activePromotions").size()).isZero();
    JsonNode failed = c.path("syncFailedActivePromotions").get(0);
    assertThat(failed.path("error").asString()).isEqualTo("DiscountCodeNotFoundInShopify");
    assertThat(failed.path("errorCode").asInt()).isEqualTo(409);
    assertThat(failed.path("errorDescription").asString())
        .isEqualTo(
            "Voyado contact ID: "
                + m.id()
                + ". Discount code '"
                + m.code()
                + "' is not found in Shopify.");
    assertThat(failed.path("redemptionChannels").size()).isEqualTo(2);
  }

  @Test
  void theThreeLookupsFindTheSameContact() {
    Member m = johnDoe();
    String shop = shop(List.of(), List.of(m.code()));
    for (Map<String, Object> body :
        List.<Map<String, Object>>of(
            Map.of("shopify_customer_id", m.shopifyId()),
            Map.of("shopify_customer_id", Long.parseLong(m.shopifyId())),
            Map.of("voyado_contact_id", m.id()),
            Map.of("email", m.email().toUpperCase(java.util.Locale.ROOT)))) {
      Api.Response r = details(shop, body);
      assertThat(r.status()).as(body + " " + r).isEqualTo(200);
      assertThat(r.json().path("contact").path("voyadoContactId").asString()).isEqualTo(m.id());
    }
  }

  @Test
  void errorsAreClearAndInTheEnvelope() {
    String shop = shop(List.of("EUR"), List.of());
    Api.Response none = details(shop, Map.of());
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.errorCode()).isEqualTo("MissingLookupParameter");
    assertThat(none.json().path("messageDetails").path("field").asString())
        .isEqualTo("shopify_customer_id");
    Api.Response noBody =
        api.withKey(null).post(PATH, null, Map.of("Authorization", "Bearer " + shop));
    assertThat(noBody.status()).isEqualTo(400);
    Api.Response badId = details(shop, Map.of("voyado_contact_id", "nope"));
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.errorCode()).isEqualTo("InvalidContactId");
    Api.Response badEmail = details(shop, Map.of("email", "nope"));
    assertThat(badEmail.status()).isEqualTo(400);
    assertThat(badEmail.errorCode()).isEqualTo("InvalidEmailAddress");
    Api.Response wrongType = details(shop, Map.of("email", List.of("x")));
    assertThat(wrongType.status()).isEqualTo(400);
    Api.Response unknown = details(shop, Map.of("voyado_contact_id", UUID.randomUUID().toString()));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo("ContactNotFound");
    assertThat(details(shop, Map.of("email", Api.uniqueEmail())).status()).isEqualTo(404);
    assertThat(api.withKey(null).post(PATH, Map.of("email", Api.uniqueEmail())).status())
        .isEqualTo(401);
    String storefrontKey = key(api, "storefront", null);
    assertThat(details(storefrontKey, Map.of("email", Api.uniqueEmail())).status()).isEqualTo(403);
    String unconfigured = key(api, "loyalty", "shop-nowhere-" + UUID.randomUUID());
    Api.Response notConfigured = details(unconfigured, Map.of("email", Api.uniqueEmail()));
    assertThat(notConfigured.status()).isEqualTo(403);
    assertThat(notConfigured.errorCode()).isEqualTo("ShopNotConfigured");
  }

  @Test
  void shopConfigurationIsValidated() {
    String id = StorefrontFixtures.unique("shop");
    Api.Response badCurrency = api.put("/admin/shops/" + id, Map.of("currencies", List.of("kr")));
    assertThat(badCurrency.status()).isEqualTo(400);
    assertThat(badCurrency.errorCode()).isEqualTo("InvalidCurrencies");
    Api.Response badCodes = api.put("/admin/shops/" + id, Map.of("discountCodes", "ABC"));
    assertThat(badCodes.status()).isEqualTo(400);
    assertThat(badCodes.errorCode()).isEqualTo("InvalidDiscountCodes");
    assertThat(api.get("/admin/shops/" + id).status()).isEqualTo(404);
    Api.Response ok =
        api.put(
            "/admin/shops/" + id,
            Map.of("currencies", List.of("sek", "EUR"), "discountCodes", List.of("A1")));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().path("currencies").toString()).isEqualTo("[\"SEK\",\"EUR\"]");
  }
}

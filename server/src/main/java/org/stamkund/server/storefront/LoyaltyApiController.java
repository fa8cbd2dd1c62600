package org.stamkund.server.storefront;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.engine.promotions.RedemptionChannelType;
import org.stamkund.engine.promotions.ValueType;
import org.stamkund.server.apikeys.ApiKeyBinding;
import org.stamkund.server.contacts.ContactDirectory;
import org.stamkund.server.loyalty.MemberLoyalty;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.JsonBodies;
import org.stamkund.server.platform.StamkundProperties;
import org.stamkund.server.platform.WireTime;
import org.stamkund.server.promotions.ContactPromotions;
import tools.jackson.databind.JsonNode;

/**
 * The headless Loyalty API: {@code POST /api/v1/contact-details} with a loyalty key, answering a
 * member's contact, points, level, vouchers in the shop's currencies and promotions with the shop's
 * discount codes, plus what could not be synchronised and why.
 */
@RestController
class LoyaltyApiController {

  private final ContactDirectory contacts;
  private final MemberLoyalty loyalty;
  private final ContactPromotions promotions;
  private final LoyaltyShops shops;
  private final JdbcClient jdbc;
  private final ZoneId zone;

  LoyaltyApiController(
      ContactDirectory contacts,
      MemberLoyalty loyalty,
      ContactPromotions promotions,
      LoyaltyShops shops,
      JdbcClient jdbc,
      StamkundProperties properties) {
    this.contacts = contacts;
    this.loyalty = loyalty;
    this.promotions = promotions;
    this.shops = shops;
    this.jdbc = jdbc;
    this.zone = properties.timeZone();
  }

  @PostMapping("/api/v1/contact-details")
  @Tag(name = "Loyalty API")
  @Operation(
      summary = "A member's loyalty details for a headless shop",
      description =
          "Body: one of shopify_customer_id (the contact's externalId), voyado_contact_id or"
              + " email. Vouchers are priced in the shop's currencies and promotions checked"
              + " against its discount codes; what fails is listed in syncFailedActive….")
  Map<String, Object> contactDetails(
      @RequestBody(required = false) @Nullable JsonNode body, HttpServletRequest request) {
    String binding = ApiKeyBinding.of(request);
    Optional<LoyaltyShops.Shop> shop = shops.find(binding == null ? LoyaltyShops.DEFAULT : binding);
    if (binding != null && shop.isEmpty()) {
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          "ShopNotConfigured",
          "the key is bound to shop '" + binding + "', which is not configured");
    }
    UUID id = resolve(body == null || body.isNull() ? null : JsonBodies.object(body));
    Map<String, Object> view =
        contacts
            .view(id)
            .orElseThrow(() -> ApiException.notFound("ContactNotFound", "no contact matches"));
    Map<String, @Nullable Object> attributes = section(view, "attributes");
    Map<String, @Nullable Object> meta = section(view, "meta");
    long points = loyalty.balance(id);

    Map<String, @Nullable Object> contact = new LinkedHashMap<>();
    contact.put("shopifyCustomerId", shopifyId(attributes.get("externalId")));
    contact.put("voyadoContactId", id.toString());
    contact.put("attributes", attributes(id, attributes, meta, points));
    contact.put("bonusPoints", points);
    contact.put("memberLevel", level(id));
    List<Map<String, @Nullable Object>> vouchers = new ArrayList<>();
    List<Map<String, @Nullable Object>> failedVouchers = new ArrayList<>();
    vouchers(id, shop, vouchers, failedVouchers);
    contact.put("activeLoyaltyVouchers", vouchers);
    contact.put("syncFailedActiveLoyaltyVouchers", failedVouchers);
    List<Map<String, @Nullable Object>> active = new ArrayList<>();
    List<Map<String, @Nullable Object>> failedPromotions = new ArrayList<>();
    promotions(id, shop, active, failedPromotions);
    contact.put("activePromotions", active);
    contact.put("syncFailedActivePromotions", failedPromotions);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("contact", contact);
    return answer;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, @Nullable Object> section(Map<String, Object> view, String name) {
    return view.get(name) instanceof Map<?, ?> m ? (Map<String, @Nullable Object>) m : Map.of();
  }

  /** The contact a body names: shopify_customer_id, else voyado_contact_id, else email. */
  private UUID resolve(@Nullable JsonNode body) {
    String shopifyId = body == null ? null : text(body, "shopify_customer_id");
    String contactId = body == null ? null : text(body, "voyado_contact_id");
    String email = body == null ? null : text(body, "email");
    List<UUID> ids;
    if (shopifyId != null) {
      ids = contacts.membersByKey("externalId", shopifyId, "shopify_customer_id");
    } else if (contactId != null) {
      try {
        ids = List.of(UUID.fromString(contactId));
      } catch (IllegalArgumentException e) {
        throw ApiException.badField(
            "InvalidContactId", "voyado_contact_id", "not a contact id (a GUID)");
      }
      if (contacts.find(ids.getFirst()).isEmpty()) {
        ids = List.of();
      }
    } else if (email != null) {
      ids = contacts.membersByKey("email", email, "email");
    } else {
      throw ApiException.badField(
          "MissingLookupParameter",
          "shopify_customer_id",
          "give one of shopify_customer_id, voyado_contact_id or email");
    }
    if (ids.isEmpty()) {
      throw ApiException.notFound("ContactNotFound", "no contact matches");
    }
    if (ids.size() > 1) {
      throw new ApiException(
          HttpStatus.CONFLICT,
          "MultipleMatches",
          "more than one contact matches",
          Map.of("multipleMatchesFound", ids.stream().map(UUID::toString).toList()));
    }
    return ids.getFirst();
  }

  private static @Nullable String text(JsonNode body, String field) {
    JsonNode node = body.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (node.isNumber() && node.canConvertToExactIntegral()) {
      return node.bigIntegerValue().toString();
    }
    if (!node.isString()) {
      throw ApiException.badField("InvalidLookupParameter", field, "a string");
    }
    String value = node.stringValue().strip();
    return value.isEmpty() ? null : value;
  }

  /** Shopify's numeric customer id as a number, as the seed shows it; other ids as text. */
  private static @Nullable Object shopifyId(@Nullable Object externalId) {
    if (externalId == null) {
      return null;
    }
    String text = externalId.toString();
    return text.matches("^[1-9][0-9]{0,17}$") ? (Object) Long.parseLong(text) : text;
  }

  private Map<String, @Nullable Object> attributes(
      UUID id, Map<String, @Nullable Object> a, Map<String, @Nullable Object> meta, long points) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    for (String name :
        List.of("firstName", "lastName", "street", "careOf", "city", "zipCode", "countryCode")) {
      m.put(name, a.get(name));
    }
    Object country = a.get("country");
    Object countryCode = a.get("countryCode");
    if (country == null && countryCode != null) {
      country = Locale.of("", countryCode.toString()).getDisplayCountry(Locale.ENGLISH);
    }
    m.put("country", country);
    for (String name :
        List.of(
            "email",
            "mobilePhone",
            "age",
            "birthDay",
            "externalId",
            "socialSecurityNumber",
            "gender")) {
      m.put(name, a.get(name));
    }
    m.put("rfm", a.get("rfm"));
    m.put("discoveryKey", a.get("discoveryKey"));
    m.put("memberNumber", a.get("memberNumber"));
    m.put("language", a.get("language"));
    m.put("lang", a.get("lang"));
    m.put("annualBirthDay", a.get("annualBirthDay"));
    m.put("isRegistrationCompleted", hasStorefrontAccount(id));
    m.put("registrationDate", meta.get("createdOn"));
    m.put("bonusPoints", points);
    m.put("secrecyMarked", Boolean.TRUE.equals(a.get("secrecyMarked")));
    m.put("currentStore", store(a.get("store")));
    return m;
  }

  // Reads the storefront's own table: a member has completed registration once any storefront
  // account exists for it.
  private boolean hasStorefrontAccount(UUID id) {
    return jdbc.sql("select exists (select 1 from storefront_accounts where contact_id = ?)")
        .param(id)
        .query(Boolean.class)
        .single();
  }

  // Reads the loyalty module's stores table for the name: a store is keyed by its external id,
  // which therefore also serves as its id here.
  private @Nullable Map<String, @Nullable Object> store(@Nullable Object externalId) {
    if (externalId == null || externalId.toString().isBlank()) {
      return null;
    }
    String name =
        jdbc.sql("select name from stores where external_id = ?")
            .param(externalId.toString())
            .query(String.class)
            .optional()
            .orElse(null);
    Map<String, @Nullable Object> store = new LinkedHashMap<>();
    store.put("id", externalId.toString());
    store.put("name", name);
    store.put("externalId", externalId.toString());
    return store;
  }

  private Map<String, @Nullable Object> level(UUID id) {
    MemberLoyalty.Level level = loyalty.level(id);
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("expires", level.expires() == null ? null : WireTime.format(level.expires(), zone));
    m.put("levelName", level.name());
    m.put("remainingToUpgrade", level.remainingToNext());
    m.put("basedOnRewardPoints", level.value());
    m.put("levelId", level.id());
    return m;
  }

  private void vouchers(
      UUID id,
      Optional<LoyaltyShops.Shop> shop,
      List<Map<String, @Nullable Object>> active,
      List<Map<String, @Nullable Object>> failed) {
    for (MemberLoyalty.Voucher v : loyalty.availableVouchers(id)) {
      List<Map<String, Object>> localValues = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      if (shop.isEmpty()) {
        v.localValues().forEach((c, amount) -> localValues.add(money(c, amount)));
      } else {
        for (String currency : shop.get().currencies()) {
          if (currency.equalsIgnoreCase(v.currency())) {
            continue;
          }
          BigDecimal amount =
              v.localValues().entrySet().stream()
                  .filter(e -> e.getKey().equalsIgnoreCase(currency))
                  .map(Map.Entry::getValue)
                  .findFirst()
                  .orElse(null);
          if (amount == null) {
            missing.add(currency);
          } else {
            localValues.add(money(currency, amount));
          }
        }
      }
      Map<String, @Nullable Object> m = new LinkedHashMap<>();
      m.put("expiresOn", WireTime.format(v.expiresOn(), zone));
      m.put("id", v.id().toString());
      m.put("checkNumber", v.checkNumber());
      m.put("name", v.name());
      m.put("value", money(v.currency(), v.value()));
      m.put("localValues", localValues);
      m.put("bonusPoints", v.points());
      m.put("redeemed", v.redeemed());
      m.put("redeemedOn", v.redeemedOn() == null ? null : WireTime.format(v.redeemedOn(), zone));
      if (missing.isEmpty()) {
        active.add(m);
      } else {
        m.put("error", "CurrencyMissing");
        m.put("errorCode", 409);
        m.put(
            "errorDescription",
            "Missing currency '"
                + missing.getFirst()
                + "' for voucher '"
                + v.checkNumber()
                + "'. Contact ID: "
                + id
                + ".");
        failed.add(m);
      }
    }
  }

  private void promotions(
      UUID id,
      Optional<LoyaltyShops.Shop> shop,
      List<Map<String, @Nullable Object>> active,
      List<Map<String, @Nullable Object>> failed) {
    for (ContactPromotions.Instance p : promotions.available(id)) {
      Map<String, @Nullable Object> m = new LinkedHashMap<>();
      m.put("id", p.id().toString());
      m.put("promotionId", p.promotionId().toString());
      m.put("externalId", p.externalId());
      m.put("type", "Multichannel");
      m.put("name", p.name());
      m.put("expiresOn", p.expiresOn() == null ? null : WireTime.format(p.expiresOn(), zone));
      m.put("heading", p.heading());
      m.put("description", p.description());
      m.put("redeemed", p.redeemed());
      m.put("redeemedOn", p.redeemedOn() == null ? null : WireTime.format(p.redeemedOn(), zone));
      m.put("imageUrl", null);
      m.put("link", p.link());
      String missingCode = null;
      List<Map<String, @Nullable Object>> channels = new ArrayList<>();
      for (ContactPromotions.Channel c : p.channels()) {
        Map<String, @Nullable Object> channel = new LinkedHashMap<>();
        channel.put("type", c.type().name());
        channel.put("valueType", c.valueType().name());
        channel.put("value", c.value());
        channel.put("instruction", c.instruction());
        channels.add(channel);
        if (shop.isPresent()
            && missingCode == null
            && c.type() == RedemptionChannelType.ECOM
            && c.valueType() == ValueType.EXTERNALOFFER
            && c.value() != null
            && !shop.get().discountCodes().contains(c.value())) {
          missingCode = c.value();
        }
      }
      m.put("redemptionChannels", channels);
      if (missingCode == null) {
        active.add(m);
      } else {
        m.put("error", "DiscountCodeNotFoundInShopify");
        m.put("errorCode", 409);
        m.put(
            "errorDescription",
            "Voyado contact ID: "
                + id
                + ". Discount code '"
                + missingCode
                + "' is not found in Shopify.");
        failed.add(m);
      }
    }
  }

  private static Map<String, Object> money(String currency, BigDecimal amount) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("currency", currency);
    m.put("amount", new BigDecimal(amount.stripTrailingZeros().toPlainString()));
    return m;
  }
}

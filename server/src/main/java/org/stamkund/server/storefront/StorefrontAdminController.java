package org.stamkund.server.storefront;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.JsonBodies;
import tools.jackson.databind.JsonNode;

/**
 * {@code /admin/storefronts} (lookup key, countries, required fields; campaign tokens) and {@code
 * /admin/shops} (currencies and discount codes of the Loyalty API).
 */
@RestController
class StorefrontAdminController {

  private static final String ID = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

  private final StorefrontCatalog storefronts;
  private final LoyaltyShops shops;
  private final StorefrontManagement management;
  private final StampCards stampCards;

  StorefrontAdminController(
      StorefrontCatalog storefronts,
      LoyaltyShops shops,
      StorefrontManagement management,
      StampCards stampCards) {
    this.storefronts = storefronts;
    this.shops = shops;
    this.management = management;
    this.stampCards = stampCards;
  }

  @PostMapping("/admin/stamp-cards")
  @Tag(name = "Admin: stamp cards")
  @Operation(
      summary = "Define a stamp card",
      description =
          "{\"name\": \"Coffee card\", \"slots\": 10, \"skus\": [\"coffee\"],"
              + " \"articleGroups\": [\"hot-drinks\"], \"promotionId\": …, \"active\": true}:"
              + " each purchased piece of a listed sku or article group fills a slot, a returned"
              + " one empties a slot, and a full card assigns the promotion and starts anew.")
  ResponseEntity<Map<String, Object>> createStampCard(
      @RequestBody(required = false) @Nullable JsonNode body) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(StampCards.view(stampCards.create(stampCard(body))));
  }

  @PutMapping("/admin/stamp-cards/{id}")
  @Tag(name = "Admin: stamp cards")
  @Operation(summary = "Replace a stamp card's definition; members keep their stamps")
  Map<String, Object> replaceStampCard(
      @PathVariable UUID id, @RequestBody(required = false) @Nullable JsonNode body) {
    return StampCards.view(
        stampCards
            .replace(id, stampCard(body))
            .orElseThrow(() -> ApiException.notFound("StampCardNotFound", "no stamp card " + id)));
  }

  @GetMapping("/admin/stamp-cards")
  @Tag(name = "Admin: stamp cards")
  @Operation(summary = "List stamp cards")
  List<Map<String, Object>> listStampCards() {
    return stampCards.list(false).stream().map(StampCards::view).toList();
  }

  @GetMapping("/admin/stamp-cards/{id}")
  @Tag(name = "Admin: stamp cards")
  @Operation(summary = "Get a stamp card")
  Map<String, Object> getStampCard(@PathVariable UUID id) {
    return StampCards.view(
        stampCards
            .find(id)
            .orElseThrow(() -> ApiException.notFound("StampCardNotFound", "no stamp card " + id)));
  }

  private StampCards.Card stampCard(@Nullable JsonNode body) {
    JsonNode object = JsonBodies.object(body);
    JsonNode name = object.path("name");
    if (!name.isString() || name.stringValue().isBlank() || name.stringValue().length() > 200) {
      throw ApiException.badField("InvalidName", "name", "a name of 1-200 characters");
    }
    JsonNode slots = object.path("slots");
    if (!slots.canConvertToExactIntegral() || slots.asInt() < 1 || slots.asInt() > 100) {
      throw ApiException.badField("InvalidSlots", "slots", "a whole number 1-100");
    }
    List<String> skus = strings(object, "skus", "InvalidSkus").stream().map(String::strip).toList();
    List<String> groups =
        strings(object, "articleGroups", "InvalidArticleGroups").stream()
            .map(String::strip)
            .toList();
    if (skus.isEmpty() && groups.isEmpty()) {
      throw ApiException.badField(
          "InvalidSkus", "skus", "give at least one sku or article group that fills a slot");
    }
    JsonNode promotion = object.path("promotionId");
    UUID promotionId;
    try {
      promotionId = UUID.fromString(promotion.asString(""));
    } catch (IllegalArgumentException e) {
      throw ApiException.badField("InvalidPromotionId", "promotionId", "a promotion's id (GUID)");
    }
    if (!stampCards.promotionExists(promotionId)) {
      throw ApiException.badField("PromotionNotFound", "promotionId", "no such promotion");
    }
    JsonNode active = object.path("active");
    if (!active.isMissingNode() && !active.isNull() && !active.isBoolean()) {
      throw ApiException.badField("InvalidActive", "active", "true or false");
    }
    return new StampCards.Card(
        UUID.randomUUID(),
        name.stringValue().strip(),
        slots.asInt(),
        skus,
        groups,
        promotionId,
        !active.isBoolean() || active.booleanValue(),
        java.time.Instant.EPOCH);
  }

  @PutMapping("/admin/storefronts/{id}")
  @Tag(name = "Admin: storefronts")
  @Operation(
      summary = "Create or replace a storefront",
      description =
          "{\"lookupKey\": \"email\"|\"phone\"|\"pid\", \"countries\": [\"SE\"],"
              + " \"requiredFields\": [\"firstName\"]}; no countries accepts every country. Bind a"
              + " storefront key to it with PUT /admin/api-keys/{id}/binding.")
  Map<String, Object> putStorefront(
      @PathVariable String id, @RequestBody(required = false) @Nullable JsonNode body) {
    JsonNode object = JsonBodies.object(body);
    JsonNode lookup = object.path("lookupKey");
    if (!lookup.isString()) {
      throw ApiException.badField("InvalidLookupKey", "lookupKey", "email, phone or pid");
    }
    StorefrontCatalog.LookupKey key =
        StorefrontCatalog.LookupKey.parse(lookup.stringValue())
            .orElseThrow(
                () ->
                    ApiException.badField("InvalidLookupKey", "lookupKey", "email, phone or pid"));
    List<String> countries = new ArrayList<>();
    for (String c : strings(object, "countries", "InvalidCountries")) {
      String code = c.strip().toUpperCase(Locale.ROOT);
      if (!code.matches("^[A-Z]{2}$")) {
        throw ApiException.badField(
            "InvalidCountries", "countries", "ISO 3166 two-letter codes, got '" + c + "'");
      }
      if (!countries.contains(code)) {
        countries.add(code);
      }
    }
    List<String> required = new ArrayList<>();
    for (String f : strings(object, "requiredFields", "InvalidRequiredFields")) {
      String field =
          StorefrontCatalog.FIELDS.stream()
              .filter(known -> known.equalsIgnoreCase(f.strip()))
              .findFirst()
              .orElseThrow(
                  () ->
                      ApiException.badField(
                          "InvalidRequiredFields",
                          "requiredFields",
                          "one of " + String.join(", ", StorefrontCatalog.FIELDS)));
      if (!required.contains(field)) {
        required.add(field);
      }
    }
    return view(
        storefronts.save(new StorefrontCatalog.Storefront(id(id), key, countries, required)));
  }

  @GetMapping("/admin/storefronts")
  @Tag(name = "Admin: storefronts")
  @Operation(summary = "List storefronts")
  List<Map<String, Object>> listStorefronts() {
    return storefronts.list().stream().map(StorefrontAdminController::view).toList();
  }

  @GetMapping("/admin/storefronts/{id}")
  @Tag(name = "Admin: storefronts")
  @Operation(summary = "Get a storefront")
  Map<String, Object> getStorefront(@PathVariable String id) {
    return view(
        storefronts
            .find(id)
            .orElseThrow(() -> ApiException.notFound("StorefrontNotFound", "no storefront " + id)));
  }

  /** Request for a campaign link's token. */
  record CampaignTokenRequest(@Nullable String contactId, @Nullable Integer validDays) {}

  @PostMapping("/admin/storefronts/campaign-tokens")
  @Tag(name = "Admin: storefronts")
  @Operation(
      summary = "Make a campaign link's activation token for a contact",
      description =
          "{\"contactId\": …, \"validDays\": 30}; the storefront passes it to"
              + " activateExternalCustomerByToken.")
  ResponseEntity<Map<String, Object>> campaignToken(
      @RequestBody(required = false) @Nullable CampaignTokenRequest request) {
    if (request == null || request.contactId() == null) {
      throw ApiException.badField("InvalidContactId", "contactId", "required");
    }
    UUID contactId;
    try {
      contactId = UUID.fromString(request.contactId().strip());
    } catch (IllegalArgumentException e) {
      throw ApiException.badField("InvalidContactId", "contactId", "not a contact id (a GUID)");
    }
    StorefrontManagement.IssuedToken token =
        management.campaignToken(contactId, request.validDays());
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(Map.of("token", token.value(), "expiresOn", token.expiresAt()));
  }

  @PutMapping("/admin/shops/{id}")
  @Tag(name = "Admin: shops")
  @Operation(
      summary = "Create or replace a Loyalty API shop",
      description =
          "{\"currencies\": [\"SEK\", \"EUR\"], \"discountCodes\": [\"RSX78CVHCX6X\"]}. Bind a"
              + " loyalty key to it with PUT /admin/api-keys/{id}/binding.")
  Map<String, Object> putShop(
      @PathVariable String id, @RequestBody(required = false) @Nullable JsonNode body) {
    JsonNode object = JsonBodies.object(body);
    List<String> currencies = new ArrayList<>();
    for (String c : strings(object, "currencies", "InvalidCurrencies")) {
      String code = c.strip().toUpperCase(Locale.ROOT);
      if (!code.matches("^[A-Z]{3}$")) {
        throw ApiException.badField(
            "InvalidCurrencies", "currencies", "ISO 4217 three-letter codes, got '" + c + "'");
      }
      if (!currencies.contains(code)) {
        currencies.add(code);
      }
    }
    List<String> codes = new ArrayList<>();
    for (String c : strings(object, "discountCodes", "InvalidDiscountCodes")) {
      String code = c.strip();
      if (code.isEmpty() || code.length() > 255 || code.chars().anyMatch(ch -> ch < 0x20)) {
        throw ApiException.badField(
            "InvalidDiscountCodes", "discountCodes", "codes of 1-255 printable characters");
      }
      if (!codes.contains(code)) {
        codes.add(code);
      }
    }
    return view(shops.save(new LoyaltyShops.Shop(id(id), currencies, codes)));
  }

  @GetMapping("/admin/shops/{id}")
  @Tag(name = "Admin: shops")
  @Operation(summary = "Get a Loyalty API shop")
  Map<String, Object> getShop(@PathVariable String id) {
    return view(
        shops.find(id).orElseThrow(() -> ApiException.notFound("ShopNotFound", "no shop " + id)));
  }

  private static String id(String raw) {
    if (!raw.matches(ID)) {
      throw ApiException.badField(
          "InvalidId", "id", "1-64 letters, digits, '.', '_' or '-', starting alphanumeric");
    }
    return raw;
  }

  private static List<String> strings(JsonNode object, String field, String code) {
    JsonNode node = object.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray() || node.size() > 1000) {
      throw ApiException.badField(code, field, "an array of at most 1000 strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isString()) {
        throw ApiException.badField(code, field, "an array of strings");
      }
      values.add(item.stringValue());
    }
    return values;
  }

  private static Map<String, Object> view(StorefrontCatalog.Storefront s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("lookupKey", s.lookupKey().wireName());
    m.put("countries", s.countries());
    m.put("requiredFields", s.requiredFields());
    return m;
  }

  private static Map<String, Object> view(LoyaltyShops.Shop s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("currencies", s.currencies());
    m.put("discountCodes", s.discountCodes());
    return m;
  }
}

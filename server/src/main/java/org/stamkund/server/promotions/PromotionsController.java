package org.stamkund.server.promotions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.engine.promotions.RedemptionChannelType;
import org.stamkund.engine.promotions.Usability;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.StamkundProperties;
import tools.jackson.databind.JsonNode;

/** Engage's promotion endpoints (reference §2.5, §3.4); see docs/promotions.md. */
@RestController
@Tag(name = "Promotions")
class PromotionsController {

  private static final int MAX_KEY = 200;

  private final PromotionCatalog catalog;
  private final PromotionManagement management;
  private final StamkundProperties properties;
  private final Clock clock;

  PromotionsController(
      PromotionCatalog catalog,
      PromotionManagement management,
      StamkundProperties properties,
      Clock clock) {
    this.catalog = catalog;
    this.management = management;
    this.properties = properties;
    this.clock = clock;
  }

  @PostMapping("/api/v2/promotions/multichannels")
  @Operation(
      summary = "Create a multichannel promotion (always Draft)",
      description = "201 with the definition. 422 naming each bad field; 409 DuplicateExternalId.")
  ResponseEntity<Map<String, @Nullable Object>> create(
      @RequestBody(required = false) @Nullable JsonNode body) {
    return ResponseEntity.status(HttpStatus.CREATED).body(definition(catalog.create(body)));
  }

  @GetMapping("/api/v2/promotions/multichannels/{id}")
  @Operation(summary = "A promotion definition by id", description = "404 PromotionNotFound.")
  Map<String, @Nullable Object> get(@PathVariable String id) {
    return definition(catalog.require(PromotionCatalog.parseId(id, "id")));
  }

  @GetMapping("/api/v2/promotions/multichannels")
  @Operation(summary = "A promotion definition by externalId")
  Map<String, @Nullable Object> getByExternalId(@RequestParam String externalId) {
    return definition(catalog.requireByExternalId(externalId));
  }

  @PutMapping("/api/v2/promotions/multichannels/{id}")
  @Operation(
      summary = "Replace a Draft promotion",
      description =
          "Absent fields keep their value, null clears. 409 PromotionNotDraft once activated.")
  Map<String, @Nullable Object> replace(
      @PathVariable String id, @RequestBody(required = false) @Nullable JsonNode body) {
    return definition(catalog.replace(PromotionCatalog.parseId(id, "id"), body));
  }

  @DeleteMapping("/api/v2/promotions/multichannels/{id}")
  @Operation(
      summary = "Delete a promotion no contact holds",
      description = "409 PromotionAssigned once assigned.")
  Map<String, Object> delete(@PathVariable String id) {
    catalog.delete(PromotionCatalog.parseId(id, "id"));
    return Map.of("statusCode", "OK");
  }

  @DeleteMapping("/api/v2/promotions/multichannels")
  @Operation(summary = "Delete a promotion no contact holds, by externalId")
  Map<String, Object> deleteByExternalId(@RequestParam String externalId) {
    catalog.delete(catalog.requireByExternalId(externalId).id());
    return Map.of("statusCode", "OK");
  }

  @GetMapping("/api/v2/promotions/multichannels/{id}/validity")
  @Operation(summary = "A promotion's validity")
  Map<String, @Nullable Object> validity(@PathVariable String id) {
    return PromotionViews.validity(
        catalog.require(PromotionCatalog.parseId(id, "id")).validity(), properties.timeZone());
  }

  @GetMapping("/api/v2/promotions/multichannels/validity")
  @Operation(summary = "A promotion's validity, by externalId")
  Map<String, @Nullable Object> validityByExternalId(@RequestParam String externalId) {
    return PromotionViews.validity(
        catalog.requireByExternalId(externalId).validity(), properties.timeZone());
  }

  @PutMapping("/api/v2/promotions/multichannels/{id}/validity")
  @Operation(
      summary = "Change a Draft promotion's validity",
      description = "Answers the definition. 409 PromotionNotDraft once activated.")
  Map<String, @Nullable Object> setValidity(
      @PathVariable String id, @RequestBody(required = false) @Nullable JsonNode body) {
    return definition(catalog.setValidity(PromotionCatalog.parseId(id, "id"), body));
  }

  @GetMapping("/api/v2/contacts/{contactId}/promotions")
  @Operation(
      summary = "A contact's promotions usable now",
      description =
          "Not redeemed, not expired, promotion Active; only those offering redemptionChannelType"
              + " (POS, ECOM, OTHER) when given. A plain array.")
  List<Map<String, @Nullable Object>> contactPromotions(
      @PathVariable String contactId,
      @RequestParam(required = false) @Nullable String redemptionChannelType) {
    UUID contact = management.requireContact(contactId, "contactId");
    RedemptionChannelType channel =
        redemptionChannelType == null || redemptionChannelType.isBlank()
            ? null
            : channel(redemptionChannelType, "redemptionChannelType");
    return management.available(contact, channel).stream()
        .map(h -> PromotionViews.instance(h, properties.timeZone()))
        .toList();
  }

  @PostMapping("/api/v2/contacts/{contactId}/promotions/{promotionId}/assign")
  @Operation(
      summary = "Assign a promotion to a contact",
      description =
          "Answers the contact's instance; assigning again answers the same instance. 404"
              + " ContactNotFound, PromotionNotFound; 409 PromotionNotActive (Draft),"
              + " PromotionExpired (Ended).")
  Map<String, @Nullable Object> assign(
      @PathVariable String contactId, @PathVariable String promotionId) {
    UUID contact = management.requireContact(contactId, "contactId");
    UUID promotion = PromotionCatalog.parseId(promotionId, "promotionId");
    return PromotionViews.instance(
        management.assign(contact, promotion).held(), properties.timeZone());
  }

  @PostMapping("/api/v2/contacts/{contactId}/promotions/{promotionId}/redeem")
  @Operation(
      summary = "Redeem a contact's promotion on a channel",
      description =
          "promotionId is the instance id or the definition id. Body {\"redemptionChannel\":"
              + " \"POS\"}. Codes as for /promotions/codes/{id}/redeem.")
  Map<String, @Nullable Object> redeemForContact(
      @PathVariable String contactId,
      @PathVariable String promotionId,
      @RequestBody(required = false) @Nullable JsonNode body,
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key) {
    UUID contact = management.requireContact(contactId, "contactId");
    UUID promotion = PromotionCatalog.parseId(promotionId, "promotionId");
    RedemptionChannelType channel = bodyChannel(body);
    return PromotionViews.instance(
        management.redeemForContact(contact, promotion, channel, blankToNull(key)),
        properties.timeZone());
  }

  @PostMapping("/api/v2/promotions/codes/{id}/redeem")
  @Operation(
      summary = "Redeem a promotion instance by its id",
      description =
          "Body {\"redemptionChannel\": \"ECOM\"}. 400 NotAValidRedemptionChannel,"
              + " InvalidPromotionIdNoData; 404 PromotionNotFound; 409"
              + " PromotionNotValidForRedemptionChannel, PromotionAlreadyRedeemed,"
              + " PromotionExpired, PromotionNotActive. Of racing calls exactly one succeeds; a"
              + " retry with the same Idempotency-Key gets the first answer.")
  Map<String, @Nullable Object> redeem(
      @PathVariable String id,
      @RequestBody(required = false) @Nullable JsonNode body,
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key) {
    UUID instance = instanceId(id);
    RedemptionChannelType channel = bodyChannel(body);
    return PromotionViews.instance(
        management.redeem(instance, channel, blankToNull(key)), properties.timeZone());
  }

  @GetMapping("/api/v2/promotions/codes/{id}/check")
  @Operation(
      summary = "Whether a contact can redeem an instance now on a channel, without redeeming",
      description =
          "200 {id, usable, errorCode, message, promotion}: errorCode is what redeem would answer"
              + " (null when usable). 400 for a bad id, contactId or channel; 404"
              + " PromotionNotFound.")
  Map<String, @Nullable Object> check(
      @PathVariable String id,
      @RequestParam String contactId,
      @RequestParam String redemptionChannelType) {
    UUID instance = instanceId(id);
    UUID contact = management.requireContact(contactId, "contactId");
    RedemptionChannelType channel = channel(redemptionChannelType, "redemptionChannelType");
    PromotionManagement.Check check = management.check(instance, contact, channel);
    boolean usable = check.usability() instanceof Usability.Usable;
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("id", instance.toString());
    m.put("usable", usable);
    m.put("errorCode", usable ? null : PromotionManagement.errorCode(check.usability()));
    m.put("message", PromotionManagement.message(check.usability()));
    // another contact's promotion is not shown
    m.put(
        "promotion",
        check.usability() instanceof Usability.NotAssociatedWithContact
            ? null
            : PromotionViews.instance(check.held(), properties.timeZone()));
    return m;
  }

  private Map<String, @Nullable Object> definition(PromotionDefinition p) {
    return PromotionViews.definition(p, clock.instant(), properties.timeZone());
  }

  private static UUID instanceId(String raw) {
    try {
      return UUID.fromString(raw.strip());
    } catch (IllegalArgumentException e) {
      throw ApiException.badField(
          "InvalidPromotionIdNoData", "id", "not a promotion instance id (a GUID)");
    }
  }

  private static RedemptionChannelType bodyChannel(@Nullable JsonNode body) {
    JsonNode value = body == null ? null : body.get("redemptionChannel");
    if (value == null || !value.isString()) {
      throw ApiException.badField(
          "NotAValidRedemptionChannel",
          "redemptionChannel",
          "send {\"redemptionChannel\": \"POS\" | \"ECOM\" | \"OTHER\"}");
    }
    return channel(value.stringValue(), "redemptionChannel");
  }

  static RedemptionChannelType channel(String raw, String field) {
    return RedemptionChannelType.parse(raw)
        .orElseThrow(
            () ->
                ApiException.badField(
                    "NotAValidRedemptionChannel", field, "one of POS, ECOM, OTHER"));
  }

  private static @Nullable String blankToNull(@Nullable String key) {
    if (key == null || key.isBlank()) {
      return null;
    }
    if (key.length() > MAX_KEY) {
      throw ApiException.badField(
          "InvalidIdempotencyKey", "Idempotency-Key", "at most " + MAX_KEY + " characters");
    }
    return key.strip();
  }
}

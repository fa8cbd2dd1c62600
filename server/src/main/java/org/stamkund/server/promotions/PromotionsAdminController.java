package org.stamkund.server.promotions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.JsonBodies;
import org.stamkund.server.platform.StamkundProperties;
import tools.jackson.databind.JsonNode;

/** Operators' promotion endpoints: activation, bulk assignment, what a contact holds. */
@RestController
@Tag(name = "Admin: promotions")
class PromotionsAdminController {

  private static final int MAX_PAGE = 500;

  private final PromotionCatalog catalog;
  private final PromotionManagement management;
  private final StamkundProperties properties;
  private final PromotionsProperties settings;
  private final Clock clock;

  PromotionsAdminController(
      PromotionCatalog catalog,
      PromotionManagement management,
      StamkundProperties properties,
      PromotionsProperties settings,
      Clock clock) {
    this.catalog = catalog;
    this.management = management;
    this.properties = properties;
    this.settings = settings;
    this.clock = clock;
  }

  @GetMapping("/admin/promotions")
  @Operation(
      summary = "Every promotion definition, newest first",
      description = "Paged: offset (default 0), count (default 100, at most 500).")
  Map<String, Object> list(
      @RequestParam(required = false) @Nullable Integer offset,
      @RequestParam(required = false) @Nullable Integer count) {
    int o = offset == null ? 0 : offset;
    int c = count == null ? 100 : count;
    if (o < 0) {
      throw ApiException.badField("InvalidOffset", "offset", "0 or more");
    }
    if (c < 1 || c > MAX_PAGE) {
      throw ApiException.badField("InvalidCount", "count", "between 1 and " + MAX_PAGE);
    }
    Instant now = clock.instant();
    Map<String, Object> page = new LinkedHashMap<>();
    page.put(
        "items",
        catalog.list(o, c).stream()
            .map(p -> PromotionViews.definition(p, now, properties.timeZone()))
            .toList());
    page.put("totalCount", catalog.count());
    page.put("offset", o);
    page.put("count", c);
    return page;
  }

  @PostMapping("/admin/promotions/{id}/activate")
  @Operation(
      summary = "Activate a Draft promotion",
      description =
          "Scheduled when its start date is ahead, Active otherwise. 409 PromotionNotDraft when"
              + " already activated, PromotionExpired when its end date has passed.")
  Map<String, @Nullable Object> activate(@PathVariable String id) {
    return PromotionViews.definition(
        catalog.activate(PromotionCatalog.parseId(id, "id")),
        clock.instant(),
        properties.timeZone());
  }

  @PostMapping("/admin/promotions/{id}/assignments")
  @Operation(
      summary = "Assign a promotion to many contacts",
      description =
          "Body {\"contactIds\": [...]} (at most stamkund.promotions.max-bulk-contacts) or"
              + " {\"levelId\": \"gold\"} for every member holding that level. One transaction."
              + " Answers {assigned, alreadyAssigned, errors}: contacts that do not exist are"
              + " listed in errors, the others assigned. A malformed id is 422 and assigns"
              + " nothing.")
  Map<String, Object> assignMany(
      @PathVariable String id, @RequestBody(required = false) @Nullable JsonNode body) {
    UUID promotion = PromotionCatalog.parseId(id, "id");
    JsonNode object = JsonBodies.object(body);
    JsonNode contactIds = object.path("contactIds");
    JsonNode levelId = object.path("levelId");
    boolean byContacts = !contactIds.isMissingNode() && !contactIds.isNull();
    boolean byLevel = !levelId.isMissingNode() && !levelId.isNull();
    if (byContacts == byLevel) {
      throw ApiException.badField(
          "InvalidAssignmentTarget", "body", "send either contactIds or levelId");
    }
    PromotionManagement.BulkAssigned result;
    if (byLevel) {
      if (!levelId.isString() || levelId.stringValue().isBlank()) {
        throw ApiException.badField("InvalidLevelId", "levelId", "the id of a level");
      }
      result = management.assignLevel(promotion, levelId.stringValue().strip());
    } else {
      result = management.assignContacts(promotion, contactIds(contactIds));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("promotionId", promotion.toString());
    m.put("assigned", result.assigned());
    m.put("alreadyAssigned", result.alreadyAssigned());
    m.put("errors", result.errors());
    return m;
  }

  @GetMapping("/admin/promotions/assignments")
  @Operation(
      summary = "Every promotion a contact holds, in any state",
      description =
          "With state (Available, Scheduled, Redeemed, Expired), the channel or receipt it was"
              + " redeemed on.")
  List<Map<String, @Nullable Object>> contactAssignments(@RequestParam String contactId) {
    UUID contact = management.requireContact(contactId, "contactId");
    Instant now = clock.instant();
    return management.all(contact).stream()
        .map(h -> PromotionViews.adminInstance(h, now, properties.timeZone()))
        .toList();
  }

  private List<UUID> contactIds(JsonNode node) {
    if (!node.isArray()) {
      throw ApiException.badField("InvalidFieldType", "contactIds", "must be an array of ids");
    }
    if (node.isEmpty()) {
      throw ApiException.badField("MissingField", "contactIds", "at least one contact id");
    }
    if (node.size() > settings.maxBulkContacts()) {
      throw ApiException.badField(
          "TooManyContacts", "contactIds", "at most " + settings.maxBulkContacts() + " ids");
    }
    List<UUID> ids = new ArrayList<>();
    List<Violation> violations = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      try {
        if (!item.isString()) {
          throw new IllegalArgumentException("not text");
        }
        ids.add(UUID.fromString(item.stringValue().strip()));
      } catch (IllegalArgumentException e) {
        violations.add(
            new Violation(
                "contactIds[" + i + "]", "InvalidContactId", "not a contact id (a GUID)"));
      }
    }
    if (!violations.isEmpty()) {
      throw new InvalidInputException(violations);
    }
    return ids;
  }
}

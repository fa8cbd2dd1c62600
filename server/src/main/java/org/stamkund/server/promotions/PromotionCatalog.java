package org.stamkund.server.promotions;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stamkund.engine.promotions.PromotionRules;
import org.stamkund.engine.promotions.Validity;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.IdGenerator;
import org.stamkund.server.platform.StamkundProperties;
import tools.jackson.databind.JsonNode;

/**
 * Promotion definitions: created as Drafts, edited while Draft, activated once, deleted while no
 * contact holds them.
 */
@Service
class PromotionCatalog {

  private final JdbcPromotions promotions;
  private final IdGenerator ids;
  private final StamkundProperties properties;
  private final PromotionsProperties settings;
  private final Clock clock;

  PromotionCatalog(
      JdbcPromotions promotions,
      IdGenerator ids,
      StamkundProperties properties,
      PromotionsProperties settings,
      Clock clock) {
    this.promotions = promotions;
    this.ids = ids;
    this.properties = properties;
    this.settings = settings;
    this.clock = clock;
  }

  /** Creates a Draft. */
  PromotionDefinition create(@Nullable JsonNode body) {
    Instant now = clock.instant();
    PromotionDefinition.Content content =
        PromotionPayload.parse(body, null, properties.timeZone(), settings.defaultCurrency(), now);
    try {
      return promotions.insert(ids.next(), content, now);
    } catch (DuplicateKeyException e) {
      throw duplicateExternalId();
    }
  }

  /** Replaces a Draft's content; absent fields keep their value. */
  @Transactional
  public PromotionDefinition replace(UUID id, @Nullable JsonNode body) {
    lock(id);
    PromotionDefinition current = require(id);
    requireDraft(current);
    JsonNode sentId = body == null ? null : body.get("id");
    if (sentId != null
        && sentId.isString()
        && !sentId.stringValue().strip().equalsIgnoreCase(id.toString())) {
      throw ApiException.badField("IdMismatch", "id", "differs from the id in the path");
    }
    PromotionDefinition.Content content =
        PromotionPayload.parse(
            body,
            current.content(),
            properties.timeZone(),
            settings.defaultCurrency(),
            clock.instant());
    try {
      return promotions
          .replaceDraft(id, content, clock.instant())
          .orElseThrow(() -> notDraft(current));
    } catch (DuplicateKeyException e) {
      throw duplicateExternalId();
    }
  }

  /** Sets a Draft's validity. */
  @Transactional
  public PromotionDefinition setValidity(UUID id, @Nullable JsonNode body) {
    lock(id);
    PromotionDefinition current = require(id);
    requireDraft(current);
    Validity validity = PromotionPayload.parseValidity(body, properties.timeZone());
    PromotionDefinition.Content c = current.content();
    return promotions
        .replaceDraft(
            id,
            new PromotionDefinition.Content(
                c.externalId(), c.name(), validity, c.presentation(), c.channels()),
            clock.instant())
        .orElseThrow(() -> notDraft(current));
  }

  /** Activates a Draft: Scheduled before its start date, Active from it. */
  @Transactional
  public PromotionDefinition activate(UUID id) {
    lock(id);
    PromotionDefinition current = require(id);
    Instant now = clock.instant();
    return switch (PromotionRules.activate(current.activatedAt(), current.validity(), now)) {
      case PromotionRules.Activation.Activated a ->
          promotions.activate(id, now).orElseThrow(() -> notDraft(current));
      case PromotionRules.Activation.NotDraft n -> throw notDraft(current);
      case PromotionRules.Activation.EndDatePassed e ->
          throw ApiException.conflict(
              "PromotionExpired", "the promotion's end date has passed; it cannot be activated");
    };
  }

  /** Deletes a definition no contact holds. */
  @Transactional
  public void delete(UUID id) {
    lock(id);
    try {
      if (!promotions.deleteUnassigned(id)) {
        throw assigned();
      }
    } catch (DataIntegrityViolationException e) {
      // an assignment committed between the check and the delete
      throw assigned();
    }
  }

  PromotionDefinition require(UUID id) {
    return promotions.find(id).orElseThrow(PromotionCatalog::notFound);
  }

  PromotionDefinition requireByExternalId(String externalId) {
    if (externalId.isBlank()) {
      throw ApiException.badField("MissingParameter", "externalId", "is required");
    }
    return promotions.findByExternalId(externalId.strip()).orElseThrow(PromotionCatalog::notFound);
  }

  java.util.List<PromotionDefinition> list(int offset, int count) {
    return promotions.list(offset, count);
  }

  long count() {
    return promotions.count();
  }

  /**
   * Reads a definition id from a path.
   *
   * @throws ApiException 400 InvalidPromotionId when it is not a GUID
   */
  static UUID parseId(String raw, String field) {
    try {
      return UUID.fromString(raw.strip());
    } catch (IllegalArgumentException e) {
      throw ApiException.badField("InvalidPromotionId", field, "not a promotion id (a GUID)");
    }
  }

  static ApiException notFound() {
    return ApiException.notFound("PromotionNotFound", "no such promotion");
  }

  private void lock(UUID id) {
    if (!promotions.lock(id)) {
      throw notFound();
    }
  }

  private void requireDraft(PromotionDefinition current) {
    if (current.activatedAt() != null) {
      throw notDraft(current);
    }
  }

  private ApiException notDraft(PromotionDefinition current) {
    return ApiException.conflict(
        "PromotionNotDraft",
        "the promotion is "
            + current.status(clock.instant()).wireName()
            + "; only a Draft can be changed or activated");
  }

  private static ApiException assigned() {
    return ApiException.conflict(
        "PromotionAssigned", "the promotion is assigned to contacts; it cannot be deleted");
  }

  private static ApiException duplicateExternalId() {
    return new ApiException(
        org.springframework.http.HttpStatus.CONFLICT,
        "DuplicateExternalId",
        "externalId: another promotion has this externalId",
        java.util.Map.of("field", "externalId"));
  }
}

package org.stamkund.server.promotions;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.stamkund.engine.promotions.PromotionAssigned;
import org.stamkund.engine.promotions.PromotionRedeemed;
import org.stamkund.engine.promotions.PromotionRules;
import org.stamkund.engine.promotions.RedemptionChannelType;
import org.stamkund.engine.promotions.Usability;
import org.stamkund.server.contacts.ContactKeys;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.IdGenerator;
import org.stamkund.server.platform.StamkundProperties;

/**
 * Assigning promotions to contacts and redeeming the instances, through the API or on a receipt.
 *
 * <p>Every change publishes its event ({@link PromotionAssigned}, {@link PromotionRedeemed}) as a
 * Spring application event inside the change's own transaction, so an outbox listener can write it
 * in that same transaction.
 */
@Service
public class PromotionManagement {

  private final JdbcPromotions promotions;
  private final JdbcPromotionAssignments assignments;
  private final ContactKeys keys;
  private final JdbcClient jdbc;
  private final IdGenerator ids;
  private final ApplicationEventPublisher events;
  private final StamkundProperties properties;
  private final PromotionsProperties settings;
  private final Clock clock;

  PromotionManagement(
      JdbcPromotions promotions,
      JdbcPromotionAssignments assignments,
      ContactKeys keys,
      JdbcClient jdbc,
      IdGenerator ids,
      ApplicationEventPublisher events,
      StamkundProperties properties,
      PromotionsProperties settings,
      Clock clock) {
    this.promotions = promotions;
    this.assignments = assignments;
    this.keys = keys;
    this.jdbc = jdbc;
    this.ids = ids;
    this.events = events;
    this.properties = properties;
    this.settings = settings;
    this.clock = clock;
  }

  /** An assignment's outcome: the contact's instance, and whether this call created it. */
  record Assigned(JdbcPromotionAssignments.Held held, boolean created) {}

  /** A bulk assignment's outcome; contacts that do not exist are listed, the others assigned. */
  record BulkAssigned(int assigned, int alreadyAssigned, List<Map<String, Object>> errors) {}

  /** A check's outcome: the instance and whether the contact can use it now on the channel. */
  record Check(JdbcPromotionAssignments.Held held, Usability usability) {}

  /**
   * What happened to one promotion named on a receipt.
   *
   * @param code the id or external id as the receipt named it
   * @param instanceId the contact's instance it named; null when it named none
   * @param outcome {@code Redeemed}, {@code AlreadyRedeemedOnThisReceipt}, or the error code the
   *     redeem endpoint would have answered ({@code PromotionAlreadyRedeemed}, {@code
   *     PromotionExpired}, {@code PromotionNotActive}, {@code PromotionNotFound}, {@code
   *     PromotionNotAssociatedWithContact})
   */
  public record ReceiptUse(String code, @Nullable UUID instanceId, String outcome) {

    /** Whether the receipt redeemed the instance (now or in an earlier run of the same receipt). */
    public boolean redeemed() {
      return outcome.equals("Redeemed") || outcome.equals("AlreadyRedeemedOnThisReceipt");
    }
  }

  /**
   * The contact a path or parameter names.
   *
   * @throws ApiException 400 InvalidContactId, 404 ContactNotFound
   */
  UUID requireContact(String raw, String field) {
    String id = keys.normalise("contactId", raw, field);
    return keys.resolve("contactId", id, null)
        .orElseThrow(() -> ApiException.notFound("ContactNotFound", "no contact " + id));
  }

  /**
   * Assigns a promotion to a contact; a contact that holds it already keeps the instance it has.
   *
   * @throws ApiException 404 PromotionNotFound; 409 PromotionNotActive for a Draft,
   *     PromotionExpired for an Ended promotion
   */
  @Transactional
  public Assigned assign(UUID contactId, UUID promotionId) {
    Instant now = clock.instant();
    PromotionDefinition promotion = assignable(promotionId, now);
    List<JdbcPromotionAssignments.Assignment> inserted =
        insert(
            promotion,
            List.of(new JdbcPromotionAssignments.NewAssignment(ids.next(), contactId)),
            now);
    JdbcPromotionAssignments.Held held =
        assignments.findByContact(contactId, promotionId).orElseThrow();
    return new Assigned(held, !inserted.isEmpty());
  }

  /**
   * Assigns a promotion to each of the contacts, all in one transaction; unknown contacts are
   * reported, not assigned.
   */
  @Transactional
  public BulkAssigned assignContacts(UUID promotionId, List<UUID> contactIds) {
    Instant now = clock.instant();
    PromotionDefinition promotion = assignable(promotionId, now);
    List<UUID> distinct = contactIds.stream().distinct().toList();
    Set<UUID> existing =
        new HashSet<>(
            jdbc.sql("select id from contacts where id = any(?)")
                .param(distinct.toArray(UUID[]::new))
                .query(UUID.class)
                .list());
    List<Map<String, Object>> errors = new ArrayList<>();
    List<JdbcPromotionAssignments.NewAssignment> rows = new ArrayList<>();
    for (int i = 0; i < contactIds.size(); i++) {
      UUID id = contactIds.get(i);
      if (!existing.contains(id)) {
        errors.add(
            Map.of(
                "index",
                i,
                "contactId",
                id.toString(),
                "errorCode",
                "ContactNotFound",
                "message",
                "no such contact"));
      }
    }
    for (UUID id : distinct) {
      if (existing.contains(id)) {
        rows.add(new JdbcPromotionAssignments.NewAssignment(ids.next(), id));
      }
    }
    int inserted = insert(promotion, rows, now).size();
    return new BulkAssigned(inserted, rows.size() - inserted, errors);
  }

  /**
   * Assigns a promotion to every member who holds the level (table {@code member_levels}), in one
   * transaction, a page of members at a time.
   */
  @Transactional
  public BulkAssigned assignLevel(UUID promotionId, String levelId) {
    Instant now = clock.instant();
    PromotionDefinition promotion = assignable(promotionId, now);
    int assigned = 0;
    int already = 0;
    UUID after = new UUID(0, 0); // the smallest uuid in PostgreSQL's order
    while (true) {
      List<UUID> page =
          jdbc.sql(
                  """
                  select contact_id from member_levels
                  where tier_id = ? and contact_id > ? order by contact_id limit ?
                  """)
              .params(levelId, after, JdbcPromotionAssignments.INSERT_CHUNK)
              .query((rs, n) -> rs.getObject(1, UUID.class))
              .list();
      if (page.isEmpty()) {
        break;
      }
      List<JdbcPromotionAssignments.NewAssignment> rows =
          page.stream()
              .map(id -> new JdbcPromotionAssignments.NewAssignment(ids.next(), id))
              .toList();
      int inserted = insert(promotion, rows, now).size();
      assigned += inserted;
      already += rows.size() - inserted;
      after = page.getLast();
    }
    return new BulkAssigned(assigned, already, List.of());
  }

  /** The contact's instances usable now, on the channel when given. */
  @Transactional(readOnly = true)
  public List<JdbcPromotionAssignments.Held> available(
      UUID contactId, @Nullable RedemptionChannelType channel) {
    return assignments.available(contactId, channel, clock.instant());
  }

  /** Every instance the contact holds, in any state. */
  @Transactional(readOnly = true)
  public List<JdbcPromotionAssignments.Held> all(UUID contactId) {
    return assignments.all(contactId);
  }

  /**
   * Redeems an instance by its id, on a channel, for whoever holds it.
   *
   * @param idempotencyKey a retry with the same key gets the first call's answer, not 409
   * @throws ApiException 404 PromotionNotFound; 409 PromotionAlreadyRedeemed, PromotionExpired,
   *     PromotionNotActive, PromotionNotValidForRedemptionChannel
   */
  @Transactional
  public JdbcPromotionAssignments.Held redeem(
      UUID instanceId, RedemptionChannelType channel, @Nullable String idempotencyKey) {
    return redeemInstance(instanceId, null, channel, idempotencyKey);
  }

  /**
   * Redeems a contact's promotion on a channel; {@code promotionId} is the instance's id or the
   * definition's.
   *
   * @throws ApiException as {@link #redeem}, and 404 PromotionNotAssociatedWithContact when the
   *     contact holds no such instance
   */
  @Transactional
  public JdbcPromotionAssignments.Held redeemForContact(
      UUID contactId,
      UUID promotionId,
      RedemptionChannelType channel,
      @Nullable String idempotencyKey) {
    UUID instanceId = instanceFor(contactId, promotionId).assignment().id();
    return redeemInstance(instanceId, contactId, channel, idempotencyKey);
  }

  /**
   * Whether the contact can redeem the instance now on the channel, without redeeming it.
   *
   * @throws ApiException 404 PromotionNotFound when no such instance exists
   */
  @Transactional(readOnly = true)
  public Check check(UUID instanceId, UUID contactId, RedemptionChannelType channel) {
    JdbcPromotionAssignments.Held held =
        assignments.find(instanceId).orElseThrow(PromotionCatalog::notFound);
    return new Check(
        held, PromotionRules.usability(instanceOf(held), contactId, channel, clock.instant()));
  }

  /**
   * Redeems the promotions a receipt used ({@code usedPromotions}), inside the caller's
   * transaction, so they are redeemed exactly when the receipt commits. Each code is the contact's
   * instance id, the definition's id, or the definition's {@code externalId}. An instance counts if
   * it was usable when the purchase was made (a buffered receipt may arrive after its end); the
   * channel is not checked. A code that names nothing usable is reported, never thrown: the receipt
   * stands. Running the same receipt again has no further effect.
   *
   * @param contactId the receipt's contact
   * @param promotionCodesOrIds per {@code usedPromotions} entry its {@code couponId}, or its {@code
   *     promotionId} when it has no coupon id
   * @param receiptId the receipt's id, recorded on each redeemed instance
   * @param purchasedAt the receipt's {@code createdDate}
   * @return one outcome per code, in order
   * @throws org.springframework.transaction.IllegalTransactionStateException without a transaction
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public List<ReceiptUse> redeemOnReceipt(
      UUID contactId, List<String> promotionCodesOrIds, UUID receiptId, Instant purchasedAt) {
    Instant now = clock.instant();
    List<ReceiptUse> uses = new ArrayList<>();
    for (String raw : promotionCodesOrIds) {
      String code = raw.strip();
      Optional<JdbcPromotionAssignments.Held> named = heldByCode(contactId, code);
      if (named.isEmpty()) {
        uses.add(new ReceiptUse(code, null, notNamed(contactId, code)));
        continue;
      }
      UUID instanceId = named.get().assignment().id();
      Optional<JdbcPromotionAssignments.Assignment> redeemed =
          assignments.redeem(instanceId, contactId, null, receiptId, null, purchasedAt, now);
      if (redeemed.isPresent()) {
        published(redeemed.get(), null, receiptId);
        uses.add(new ReceiptUse(code, instanceId, "Redeemed"));
        continue;
      }
      JdbcPromotionAssignments.Held current = assignments.find(instanceId).orElseThrow();
      if (receiptId.equals(current.assignment().redeemedReceiptId())) {
        uses.add(new ReceiptUse(code, instanceId, "AlreadyRedeemedOnThisReceipt"));
        continue;
      }
      Usability usability =
          PromotionRules.usability(instanceOf(current), contactId, null, purchasedAt);
      uses.add(new ReceiptUse(code, instanceId, errorCode(usability)));
    }
    return uses;
  }

  private JdbcPromotionAssignments.Held redeemInstance(
      UUID instanceId,
      @Nullable UUID contactId,
      RedemptionChannelType channel,
      @Nullable String key) {
    Instant now = clock.instant();
    Optional<JdbcPromotionAssignments.Assignment> redeemed =
        assignments.redeem(instanceId, contactId, channel, null, key, now, now);
    if (redeemed.isPresent()) {
      published(redeemed.get(), channel, null);
      return assignments.find(instanceId).orElseThrow();
    }
    JdbcPromotionAssignments.Held held =
        assignments.find(instanceId).orElseThrow(PromotionCatalog::notFound);
    JdbcPromotionAssignments.Assignment a = held.assignment();
    if (key != null
        && key.equals(a.redemptionKey())
        && channel == a.redeemedChannel()
        && (contactId == null || contactId.equals(a.contactId()))) {
      // the retry of a redemption that succeeded: the same answer, no second effect
      return held;
    }
    Usability usability =
        PromotionRules.usability(
            instanceOf(held), contactId == null ? a.contactId() : contactId, channel, now);
    throw refusal(usability);
  }

  /** The contact's instance that an instance id or a definition id names. */
  private JdbcPromotionAssignments.Held instanceFor(UUID contactId, UUID id) {
    Optional<JdbcPromotionAssignments.Held> instance = assignments.find(id);
    if (instance.isPresent()) {
      if (!instance.get().assignment().contactId().equals(contactId)) {
        throw notAssociated();
      }
      return instance.get();
    }
    if (promotions.find(id).isEmpty()) {
      throw PromotionCatalog.notFound();
    }
    return assignments.findByContact(contactId, id).orElseThrow(PromotionManagement::notAssociated);
  }

  private Optional<JdbcPromotionAssignments.Held> heldByCode(UUID contactId, String code) {
    UUID id = uuidOrNull(code);
    if (id != null) {
      Optional<JdbcPromotionAssignments.Held> instance = assignments.find(id);
      if (instance.isPresent()) {
        return instance.filter(h -> h.assignment().contactId().equals(contactId));
      }
      return assignments.findByContact(contactId, id);
    }
    return promotions
        .findByExternalId(code)
        .flatMap(p -> assignments.findByContact(contactId, p.id()));
  }

  private String notNamed(UUID contactId, String code) {
    UUID id = uuidOrNull(code);
    boolean exists =
        id != null
            ? assignments.find(id).isPresent() || promotions.find(id).isPresent()
            : promotions.findByExternalId(code).isPresent();
    return exists ? "PromotionNotAssociatedWithContact" : "PromotionNotFound";
  }

  private PromotionDefinition assignable(UUID promotionId, Instant now) {
    PromotionDefinition promotion =
        promotions.find(promotionId).orElseThrow(PromotionCatalog::notFound);
    Usability usability =
        PromotionRules.assignable(promotion.activatedAt(), promotion.validity(), now);
    if (!(usability instanceof Usability.Usable)) {
      throw refusal(usability);
    }
    return promotion;
  }

  private List<JdbcPromotionAssignments.Assignment> insert(
      PromotionDefinition promotion,
      List<JdbcPromotionAssignments.NewAssignment> rows,
      Instant now) {
    List<JdbcPromotionAssignments.Assignment> inserted;
    try {
      inserted =
          assignments.insertMissing(
              promotion.id(),
              rows,
              now,
              promotion.validity().expiresOn(now, properties.timeZone()));
    } catch (DataIntegrityViolationException e) {
      // the definition was deleted meanwhile
      throw PromotionCatalog.notFound();
    }
    for (JdbcPromotionAssignments.Assignment a : inserted) {
      events.publishEvent(
          new PromotionAssigned(
              a.id(), a.promotionId(), a.contactId(), a.assignedAt(), a.expiresOn()));
    }
    return inserted;
  }

  private void published(
      JdbcPromotionAssignments.Assignment a,
      @Nullable RedemptionChannelType channel,
      @Nullable UUID receiptId) {
    events.publishEvent(
        new PromotionRedeemed(
            a.id(),
            a.promotionId(),
            a.contactId(),
            java.util.Objects.requireNonNull(a.redeemedAt()),
            channel,
            receiptId));
  }

  /** The engine's view of a stored instance. */
  static PromotionRules.Instance instanceOf(JdbcPromotionAssignments.Held held) {
    JdbcPromotionAssignments.Assignment a = held.assignment();
    PromotionDefinition p = held.promotion();
    return new PromotionRules.Instance(
        a.contactId(),
        a.expiresOn(),
        a.redeemedAt(),
        p.activatedAt(),
        p.validity(),
        p.channelTypes());
  }

  /** The error code the redeem endpoints answer for a reason an instance is not usable. */
  static String errorCode(Usability usability) {
    return switch (usability) {
      case Usability.Usable u -> "Usable";
      case Usability.NotAssociatedWithContact n -> "PromotionNotAssociatedWithContact";
      case Usability.AlreadyRedeemed r -> "PromotionAlreadyRedeemed";
      case Usability.Expired e -> "PromotionExpired";
      case Usability.NotActive n -> "PromotionNotActive";
      case Usability.NotValidForChannel c -> "PromotionNotValidForRedemptionChannel";
    };
  }

  /** A sentence for an error code's message. */
  static String message(Usability usability) {
    return switch (usability) {
      case Usability.Usable u -> "the promotion can be redeemed";
      case Usability.NotAssociatedWithContact n -> "the promotion is not the contact's";
      case Usability.AlreadyRedeemed r -> "the promotion is already redeemed";
      case Usability.Expired e -> "the promotion has expired";
      case Usability.NotActive n ->
          "the promotion is " + n.status().wireName() + ", not yet active";
      case Usability.NotValidForChannel c -> "the promotion cannot be redeemed on " + c.channel();
    };
  }

  static ApiException refusal(Usability usability) {
    String code = errorCode(usability);
    return switch (usability) {
      case Usability.NotAssociatedWithContact n -> notAssociated();
      case Usability.Usable u ->
          ApiException.conflict(
              "ConcurrentUpdate", "the promotion changed at the same moment; retry");
      default -> ApiException.conflict(code, message(usability));
    };
  }

  private static ApiException notAssociated() {
    return ApiException.notFound(
        "PromotionNotAssociatedWithContact", "the promotion is not the contact's");
  }

  private static @Nullable UUID uuidOrNull(String raw) {
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}

package org.stamkund.server.promotions;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stamkund.engine.promotions.RedemptionChannelType;
import org.stamkund.engine.promotions.ValueType;

/**
 * A contact's promotion instances for other modules (the storefront, the Loyalty API), as plain
 * records; read only.
 */
@Service
public class ContactPromotions {

  private final JdbcPromotionAssignments assignments;
  private final Clock clock;

  ContactPromotions(JdbcPromotionAssignments assignments, Clock clock) {
    this.assignments = assignments;
    this.clock = clock;
  }

  /**
   * One redemption channel of a promotion.
   *
   * @param value the channel's value as the definition holds it (text), null when it has none
   */
  public record Channel(
      RedemptionChannelType type,
      ValueType valueType,
      @Nullable String value,
      @Nullable String currency,
      @Nullable String instruction) {}

  /**
   * An instance a contact holds, with what its definition shows shoppers.
   *
   * @param id the instance
   * @param promotionId the definition
   */
  public record Instance(
      UUID id,
      UUID promotionId,
      @Nullable String externalId,
      String name,
      @Nullable String heading,
      @Nullable String description,
      @Nullable String link,
      @Nullable Instant expiresOn,
      @Nullable Instant redeemedOn,
      List<Channel> channels) {

    public boolean redeemed() {
      return redeemedOn != null;
    }
  }

  /** The instances usable now, oldest assignment first. */
  @Transactional(readOnly = true)
  public List<Instance> available(UUID contactId) {
    return assignments.available(contactId, null, clock.instant()).stream()
        .map(ContactPromotions::of)
        .toList();
  }

  /**
   * The instances usable now and, with {@code includeRedeemed}, the redeemed ones too; expired
   * unredeemed instances are never listed.
   */
  @Transactional(readOnly = true)
  public List<Instance> list(UUID contactId, boolean includeRedeemed) {
    List<Instance> result = new ArrayList<>(available(contactId));
    if (includeRedeemed) {
      assignments.all(contactId).stream()
          .filter(h -> h.assignment().redeemedAt() != null)
          .map(ContactPromotions::of)
          .forEach(result::add);
    }
    return result;
  }

  private static Instance of(JdbcPromotionAssignments.Held held) {
    JdbcPromotionAssignments.Assignment a = held.assignment();
    PromotionDefinition p = held.promotion();
    return new Instance(
        a.id(),
        p.id(),
        p.externalId(),
        p.name(),
        p.presentation().heading(),
        p.presentation().description(),
        p.presentation().link(),
        a.expiresOn(),
        a.redeemedAt(),
        p.channels().stream()
            .map(
                c ->
                    new Channel(
                        c.rule().type(),
                        c.rule().valueType(),
                        c.rule().value(),
                        c.rule().currency(),
                        c.rule().instruction()))
            .toList());
  }
}

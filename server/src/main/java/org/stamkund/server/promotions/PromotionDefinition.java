package org.stamkund.server.promotions;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.stamkund.engine.promotions.PromotionRules;
import org.stamkund.engine.promotions.PromotionStatus;
import org.stamkund.engine.promotions.RedemptionChannel;
import org.stamkund.engine.promotions.RedemptionChannelType;
import org.stamkund.engine.promotions.Validity;

/** A multichannel promotion definition as stored. */
record PromotionDefinition(
    UUID id,
    @Nullable String externalId,
    String name,
    Validity validity,
    Presentation presentation,
    List<Channel> channels,
    @Nullable Instant activatedAt,
    Instant createdAt,
    Instant updatedAt) {

  /** What shoppers are shown. */
  record Presentation(
      @Nullable String heading, @Nullable String description, @Nullable String link) {}

  /** A redemption channel with the values of its amount in other currencies. */
  record Channel(RedemptionChannel rule, List<LocalValue> localValues) {}

  /** An amount in a local currency. */
  record LocalValue(String currency, BigDecimal amount) {}

  /** The editable part of a definition, as a create or replace sends it. */
  record Content(
      @Nullable String externalId,
      String name,
      Validity validity,
      Presentation presentation,
      List<Channel> channels) {}

  PromotionStatus status(Instant now) {
    return PromotionRules.status(activatedAt, validity, now);
  }

  Set<RedemptionChannelType> channelTypes() {
    Set<RedemptionChannelType> types = EnumSet.noneOf(RedemptionChannelType.class);
    channels.forEach(c -> types.add(c.rule().type()));
    return types;
  }

  Content content() {
    return new Content(externalId, name, validity, presentation, channels);
  }
}

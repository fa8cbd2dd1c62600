package org.stamkund.server.promotions;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.stamkund.engine.promotions.AssignedValidity;
import org.stamkund.engine.promotions.PromotionRules;
import org.stamkund.engine.promotions.RedemptionChannel;
import org.stamkund.engine.promotions.Validity;
import org.stamkund.server.platform.WireTime;

/** Promotions in the wire shapes of reference §3.4. */
final class PromotionViews {

  private PromotionViews() {}

  /**
   * A definition ({@code MultichannelPromotionModel}): channel values as the definition holds them,
   * always text.
   */
  static Map<String, @Nullable Object> definition(PromotionDefinition p, Instant now, ZoneId zone) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("id", p.id().toString());
    m.put("externalId", p.externalId());
    m.put("name", p.name());
    m.put("status", p.status(now).wireName());
    m.put("validity", validity(p.validity(), zone));
    Map<String, @Nullable Object> presentation = new LinkedHashMap<>();
    presentation.put("heading", p.presentation().heading());
    presentation.put("description", p.presentation().description());
    presentation.put("link", p.presentation().link());
    m.put("presentation", presentation);
    m.put(
        "redemptionChannels",
        p.channels().stream()
            .map(
                c -> {
                  Map<String, @Nullable Object> channel = new LinkedHashMap<>();
                  channel.put("type", c.rule().type().name());
                  channel.put("valueType", c.rule().valueType().name());
                  channel.put("value", c.rule().value());
                  if (c.rule().currency() != null) {
                    channel.put("currency", c.rule().currency());
                  }
                  channel.put("localValues", localValues(c));
                  channel.put("instruction", c.rule().instruction());
                  return channel;
                })
            .toList());
    return m;
  }

  /** A {@code PromotionValidityModel}. */
  static Map<String, @Nullable Object> validity(Validity v, ZoneId zone) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("startDate", WireTime.format(v.startDate(), zone));
    m.put("endDate", v.endDate() == null ? null : WireTime.format(v.endDate(), zone));
    AssignedValidity assigned = v.assignedValidity();
    m.put(
        "assignedValidity",
        assigned == null
            ? null
            : Map.of("unit", assigned.unit().wireName(), "amount", assigned.amount()));
    return m;
  }

  /**
   * A contact's instance ({@code ApiPromotionModel}): channel values typed — PERCENT a number,
   * MONEY {amount, currency}, the others text.
   */
  static Map<String, @Nullable Object> instance(JdbcPromotionAssignments.Held held, ZoneId zone) {
    JdbcPromotionAssignments.Assignment a = held.assignment();
    PromotionDefinition p = held.promotion();
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("id", a.id().toString());
    m.put("promotionId", p.id().toString());
    m.put("externalId", p.externalId());
    m.put("type", "Multichannel");
    m.put("name", p.name());
    m.put("expiresOn", a.expiresOn() == null ? null : WireTime.format(a.expiresOn(), zone));
    m.put("heading", p.presentation().heading());
    m.put("description", p.presentation().description());
    m.put("redeemed", a.redeemedAt() != null);
    m.put("redeemedOn", a.redeemedAt() == null ? null : WireTime.format(a.redeemedAt(), zone));
    m.put("imageUrl", null);
    m.put("link", p.presentation().link());
    m.put(
        "redemptionChannels",
        p.channels().stream()
            .map(
                c -> {
                  Map<String, @Nullable Object> channel = new LinkedHashMap<>();
                  channel.put("type", c.rule().type().name());
                  channel.put("valueType", c.rule().valueType().name());
                  channel.put("value", typed(c.rule().typedValue()));
                  channel.put("localValues", localValues(c));
                  channel.put("instruction", c.rule().instruction());
                  return channel;
                })
            .toList());
    return m;
  }

  /**
   * An instance for operators: the contact view plus its holder, assignment and redemption.
   *
   * @param now decides the {@code state}: Redeemed, Expired, Scheduled or Available
   */
  static Map<String, @Nullable Object> adminInstance(
      JdbcPromotionAssignments.Held held, Instant now, ZoneId zone) {
    JdbcPromotionAssignments.Assignment a = held.assignment();
    Map<String, @Nullable Object> m = instance(held, zone);
    m.put("contactId", a.contactId().toString());
    m.put("assignedOn", WireTime.format(a.assignedAt(), zone));
    m.put("redemptionChannel", a.redeemedChannel() == null ? null : a.redeemedChannel().name());
    m.put("receiptId", a.redeemedReceiptId() == null ? null : a.redeemedReceiptId().toString());
    m.put(
        "state",
        switch (PromotionRules.usability(
            PromotionManagement.instanceOf(held), a.contactId(), null, now)) {
          case org.stamkund.engine.promotions.Usability.AlreadyRedeemed r -> "Redeemed";
          case org.stamkund.engine.promotions.Usability.Expired e -> "Expired";
          case org.stamkund.engine.promotions.Usability.NotActive n -> "Scheduled";
          default -> "Available";
        });
    return m;
  }

  private static @Nullable Object typed(RedemptionChannel.@Nullable Value value) {
    return switch (value) {
      case null -> null;
      case RedemptionChannel.Percent p -> p.percent();
      case RedemptionChannel.Money money ->
          Map.of("amount", money.amount(), "currency", money.currency());
      case RedemptionChannel.Text t -> t.text();
    };
  }

  private static List<Map<String, Object>> localValues(PromotionDefinition.Channel c) {
    return c.localValues().stream()
        .map(v -> Map.<String, Object>of("currency", v.currency(), "amount", v.amount()))
        .toList();
  }
}

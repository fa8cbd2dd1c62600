package org.stamkund.engine.promotions;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.stamkund.engine.Violation;

/**
 * The rules of personal promotions: a definition's status from its dates, when it may be activated
 * and assigned, whether an assigned instance is usable, and which redemption channels are valid.
 */
public final class PromotionRules {

  /** The longest value or instruction text a channel takes. */
  public static final int MAX_TEXT = 1000;

  private PromotionRules() {}

  /**
   * The status at {@code now}: Draft until activated; then Ended from the end date on, Scheduled
   * before the start date, Active in between. It is computed when read, so no job has to move it.
   *
   * @param activatedAt when the definition was activated; null while it is a Draft
   */
  public static PromotionStatus status(
      @Nullable Instant activatedAt, Validity validity, Instant now) {
    if (activatedAt == null) {
      return PromotionStatus.DRAFT;
    }
    Instant end = validity.endDate();
    if (end != null && !now.isBefore(end)) {
      return PromotionStatus.ENDED;
    }
    return now.isBefore(validity.startDate()) ? PromotionStatus.SCHEDULED : PromotionStatus.ACTIVE;
  }

  /** The outcome of activating a definition. */
  public sealed interface Activation {

    /** Activated; Scheduled or Active by its dates. */
    record Activated(PromotionStatus status) implements Activation {}

    /** It is not a Draft any more. */
    record NotDraft(PromotionStatus status) implements Activation {}

    /** Its end date has passed: it would be Ended at once. */
    record EndDatePassed(Instant endDate) implements Activation {}
  }

  /**
   * Activates a definition at {@code now}.
   *
   * @param activatedAt when it was activated before; null for a Draft
   */
  public static Activation activate(@Nullable Instant activatedAt, Validity validity, Instant now) {
    if (activatedAt != null) {
      return new Activation.NotDraft(status(activatedAt, validity, now));
    }
    PromotionStatus status = status(now, validity, now);
    Instant end = validity.endDate();
    if (status == PromotionStatus.ENDED && end != null) {
      return new Activation.EndDatePassed(end);
    }
    return new Activation.Activated(status);
  }

  /**
   * Whether a definition in this status can be assigned: Scheduled and Active can (a Scheduled one
   * is usable from its start date); a Draft is {@link Usability.NotActive}, an Ended one {@link
   * Usability.Expired}.
   */
  public static Usability assignable(
      @Nullable Instant activatedAt, Validity validity, Instant now) {
    PromotionStatus status = status(activatedAt, validity, now);
    return switch (status) {
      case DRAFT -> new Usability.NotActive(status);
      case ENDED -> new Usability.Expired(java.util.Objects.requireNonNull(validity.endDate()));
      case SCHEDULED, ACTIVE -> new Usability.Usable();
    };
  }

  /**
   * What usability is decided on: an assigned instance and its definition.
   *
   * @param contactId who holds the instance
   * @param expiresOn when the instance stops being usable; null when it does not
   * @param redeemedAt when it was redeemed; null while it is not
   * @param activatedAt when the definition was activated; null for a Draft
   * @param validity the definition's validity
   * @param channels the definition's redemption channel types
   */
  public record Instance(
      UUID contactId,
      @Nullable Instant expiresOn,
      @Nullable Instant redeemedAt,
      @Nullable Instant activatedAt,
      Validity validity,
      Set<RedemptionChannelType> channels) {

    public Instance {
      channels = channels.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(channels));
    }
  }

  /**
   * Whether {@code contactId} can redeem the instance at {@code at} on {@code channel}; the first
   * failing check decides: holder, redeemed, expired, started, channel.
   *
   * @param channel the channel asked for; null to skip the channel check (a receipt's use)
   */
  public static Usability usability(
      Instance instance, UUID contactId, @Nullable RedemptionChannelType channel, Instant at) {
    if (!instance.contactId().equals(contactId)) {
      return new Usability.NotAssociatedWithContact();
    }
    Instant redeemed = instance.redeemedAt();
    if (redeemed != null) {
      return new Usability.AlreadyRedeemed(redeemed);
    }
    Instant expires = instance.expiresOn();
    if (expires != null && !at.isBefore(expires)) {
      return new Usability.Expired(expires);
    }
    PromotionStatus status = status(instance.activatedAt(), instance.validity(), at);
    switch (status) {
      case ENDED -> {
        return new Usability.Expired(
            java.util.Objects.requireNonNull(instance.validity().endDate()));
      }
      case DRAFT, SCHEDULED -> {
        return new Usability.NotActive(status);
      }
      case ACTIVE -> {
        // usable by its dates
      }
    }
    if (channel != null && !instance.channels().contains(channel)) {
      return new Usability.NotValidForChannel(channel);
    }
    return new Usability.Usable();
  }

  /**
   * Checks one redemption channel of a definition, as text from the wire.
   *
   * @param field the wire path of the channel, e.g. {@code redemptionChannels[1]}, for violations
   * @param defaultCurrency the currency of a MONEY value that names none
   * @param violations where each problem found is added
   * @return the channel; null when it has a violation
   */
  public static @Nullable RedemptionChannel channel(
      String field,
      @Nullable String type,
      @Nullable String valueType,
      @Nullable String value,
      @Nullable String currency,
      @Nullable String instruction,
      String defaultCurrency,
      List<Violation> violations) {
    int before = violations.size();
    RedemptionChannelType channelType = RedemptionChannelType.parse(type).orElse(null);
    if (channelType == null) {
      violations.add(
          new Violation(field + ".type", "NotAValidRedemptionChannel", "one of POS, ECOM, OTHER"));
    }
    ValueType kind = ValueType.parse(valueType).orElse(null);
    if (kind == null) {
      violations.add(
          new Violation(
              field + ".valueType",
              "InvalidValueType",
              "one of PERCENT, MONEY, EXTERNALOFFER, MANUAL, SWIPE"));
    }
    String text = value == null || value.isBlank() ? null : value.strip();
    if (text != null && text.length() > MAX_TEXT) {
      violations.add(
          new Violation(field + ".value", "InvalidValue", "at most " + MAX_TEXT + " characters"));
    }
    if (instruction != null && instruction.length() > MAX_TEXT) {
      violations.add(
          new Violation(
              field + ".instruction", "InvalidValue", "at most " + MAX_TEXT + " characters"));
    }
    String moneyCurrency = null;
    if (kind != null) {
      switch (kind) {
        case PERCENT -> {
          BigDecimal percent = number(text);
          if (percent == null
              || percent.signum() <= 0
              || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
            violations.add(
                new Violation(
                    field + ".value",
                    "InvalidValue",
                    "a PERCENT value is a number above 0, at most 100"));
          }
        }
        case MONEY -> {
          BigDecimal amount = number(text);
          if (amount == null || amount.signum() <= 0) {
            violations.add(
                new Violation(
                    field + ".value", "InvalidValue", "a MONEY value is an amount above 0"));
          }
          moneyCurrency =
              currency == null || currency.isBlank()
                  ? defaultCurrency
                  : currency.strip().toUpperCase(Locale.ROOT);
          if (!moneyCurrency.matches("^[A-Z]{3}$")) {
            violations.add(
                new Violation(
                    field + ".currency", "InvalidCurrency", "an ISO 4217 code such as SEK"));
          }
        }
        case EXTERNALOFFER -> {
          if (text == null) {
            violations.add(
                new Violation(
                    field + ".value",
                    "MissingField",
                    "an EXTERNALOFFER value is the id of the offer in the shop or ERP"));
          }
        }
        case MANUAL -> {
          if (channelType != null && channelType != RedemptionChannelType.POS) {
            violations.add(
                new Violation(field + ".valueType", "InvalidValueType", "MANUAL is POS only"));
          }
        }
        case SWIPE -> {
          // any value, or none
        }
      }
    }
    if (violations.size() > before || channelType == null || kind == null) {
      return null;
    }
    String cashierText = instruction == null || instruction.isBlank() ? null : instruction.strip();
    if (text != null && (kind == ValueType.PERCENT || kind == ValueType.MONEY)) {
      text = plainNumber(text).toPlainString();
    }
    return new RedemptionChannel(channelType, kind, text, moneyCurrency, cashierText);
  }

  /**
   * Checks that a definition's channels name each type at most once.
   *
   * @param violations where a duplicate is added, naming the second occurrence
   */
  public static void distinctChannels(
      List<RedemptionChannel> channels, List<Violation> violations) {
    EnumSet<RedemptionChannelType> seen = EnumSet.noneOf(RedemptionChannelType.class);
    for (int i = 0; i < channels.size(); i++) {
      RedemptionChannelType type = channels.get(i).type();
      if (!seen.add(type)) {
        violations.add(
            new Violation(
                "redemptionChannels",
                "DuplicateRedemptionChannel",
                type + " is given more than once"));
      }
    }
  }

  /** A decimal written as text, or null when it is not one. */
  static @Nullable BigDecimal number(@Nullable String text) {
    if (text == null) {
      return null;
    }
    try {
      BigDecimal value = new BigDecimal(text.strip().replace(',', '.'));
      return value.abs().compareTo(new BigDecimal("1e15")) < 0 ? value : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A stored decimal without trailing zeros or exponent: {@code "20.50"} is 20.5, "20" 20. */
  static BigDecimal plainNumber(String text) {
    BigDecimal value = number(text);
    if (value == null) {
      throw new IllegalArgumentException("not a number: " + text);
    }
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}

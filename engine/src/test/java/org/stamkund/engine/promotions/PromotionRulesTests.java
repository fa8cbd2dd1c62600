package org.stamkund.engine.promotions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.stamkund.engine.Violation;

class PromotionRulesTests {

  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant END = Instant.parse("2027-01-01T00:00:00Z");
  private static final Validity DECEMBER = new Validity(START, END, null);
  private static final UUID HOLDER = UUID.randomUUID();

  @Test
  void aDefinitionIsDraftUntilActivatedWhateverItsDates() {
    assertThat(PromotionRules.status(null, DECEMBER, START.minusSeconds(60)))
        .isEqualTo(PromotionStatus.DRAFT);
    assertThat(PromotionRules.status(null, DECEMBER, END.plusSeconds(60)))
        .isEqualTo(PromotionStatus.DRAFT);
  }

  @Test
  void anActivatedDefinitionIsScheduledThenActiveThenEndedByItsDates() {
    Instant activated = START.minusSeconds(3600);
    assertThat(PromotionRules.status(activated, DECEMBER, START.minusMillis(1)))
        .isEqualTo(PromotionStatus.SCHEDULED);
    assertThat(PromotionRules.status(activated, DECEMBER, START)).isEqualTo(PromotionStatus.ACTIVE);
    assertThat(PromotionRules.status(activated, DECEMBER, END.minusMillis(1)))
        .isEqualTo(PromotionStatus.ACTIVE);
    assertThat(PromotionRules.status(activated, DECEMBER, END)).isEqualTo(PromotionStatus.ENDED);
  }

  @Test
  void anOpenEndedDefinitionNeverEnds() {
    Validity open = new Validity(START, null, null);
    assertThat(PromotionRules.status(START, open, Instant.parse("2299-01-01T00:00:00Z")))
        .isEqualTo(PromotionStatus.ACTIVE);
  }

  @Test
  void activatingADraftSchedulesItBeforeItsStartAndActivatesItAfter() {
    assertThat(PromotionRules.activate(null, DECEMBER, START.minusSeconds(1)))
        .isEqualTo(new PromotionRules.Activation.Activated(PromotionStatus.SCHEDULED));
    assertThat(PromotionRules.activate(null, DECEMBER, START.plusSeconds(1)))
        .isEqualTo(new PromotionRules.Activation.Activated(PromotionStatus.ACTIVE));
  }

  @Test
  void onlyADraftWhoseEndHasNotPassedCanBeActivated() {
    assertThat(PromotionRules.activate(START, DECEMBER, START.plusSeconds(1)))
        .isEqualTo(new PromotionRules.Activation.NotDraft(PromotionStatus.ACTIVE));
    assertThat(PromotionRules.activate(null, DECEMBER, END))
        .isEqualTo(new PromotionRules.Activation.EndDatePassed(END));
  }

  @Test
  void scheduledAndActiveDefinitionsCanBeAssignedButNotDraftsOrEndedOnes() {
    assertThat(PromotionRules.assignable(START, DECEMBER, START.minusSeconds(1)))
        .isInstanceOf(Usability.Usable.class);
    assertThat(PromotionRules.assignable(START, DECEMBER, START))
        .isInstanceOf(Usability.Usable.class);
    assertThat(PromotionRules.assignable(null, DECEMBER, START))
        .isEqualTo(new Usability.NotActive(PromotionStatus.DRAFT));
    assertThat(PromotionRules.assignable(START, DECEMBER, END))
        .isEqualTo(new Usability.Expired(END));
  }

  @Test
  void anInstanceIsUsableByItsHolderOnItsChannelsWhileActive() {
    PromotionRules.Instance instance = instance(null, null, EnumSet.of(RedemptionChannelType.POS));
    Instant now = START.plusSeconds(10);
    assertThat(PromotionRules.usability(instance, HOLDER, RedemptionChannelType.POS, now))
        .isInstanceOf(Usability.Usable.class);
    assertThat(PromotionRules.usability(instance, HOLDER, RedemptionChannelType.ECOM, now))
        .isEqualTo(new Usability.NotValidForChannel(RedemptionChannelType.ECOM));
    assertThat(
            PromotionRules.usability(instance, UUID.randomUUID(), RedemptionChannelType.POS, now))
        .isInstanceOf(Usability.NotAssociatedWithContact.class);
  }

  @Test
  void aReceiptsUseSkipsTheChannelCheck() {
    PromotionRules.Instance instance = instance(null, null, EnumSet.of(RedemptionChannelType.ECOM));
    assertThat(PromotionRules.usability(instance, HOLDER, null, START.plusSeconds(10)))
        .isInstanceOf(Usability.Usable.class);
  }

  @Test
  void aRedeemedInstanceIsReportedAsSuchBeforeItsExpiryOrChannel() {
    Instant redeemed = START.plusSeconds(5);
    PromotionRules.Instance instance =
        instance(END.minusSeconds(3600), redeemed, EnumSet.of(RedemptionChannelType.POS));
    assertThat(PromotionRules.usability(instance, HOLDER, RedemptionChannelType.ECOM, END))
        .isEqualTo(new Usability.AlreadyRedeemed(redeemed));
  }

  @Test
  void anInstancePastItsOwnExpiryOrItsPromotionsEndIsExpired() {
    Instant personal = START.plusSeconds(3600);
    PromotionRules.Instance instance =
        instance(personal, null, EnumSet.of(RedemptionChannelType.POS));
    assertThat(PromotionRules.usability(instance, HOLDER, RedemptionChannelType.POS, personal))
        .isEqualTo(new Usability.Expired(personal));
    PromotionRules.Instance unlimited = instance(null, null, EnumSet.of(RedemptionChannelType.POS));
    assertThat(PromotionRules.usability(unlimited, HOLDER, RedemptionChannelType.POS, END))
        .isEqualTo(new Usability.Expired(END));
  }

  @Test
  void anInstanceOfAScheduledPromotionIsNotUsableBeforeTheStart() {
    PromotionRules.Instance instance = instance(null, null, EnumSet.of(RedemptionChannelType.POS));
    assertThat(
            PromotionRules.usability(
                instance, HOLDER, RedemptionChannelType.POS, START.minusSeconds(1)))
        .isEqualTo(new Usability.NotActive(PromotionStatus.SCHEDULED));
  }

  @Test
  void anInstanceExpiresAtTheEarlierOfTheEndDateAndItsAssignedValidity() {
    Instant assigned = Instant.parse("2026-12-20T10:00:00Z");
    Validity days = new Validity(START, END, new AssignedValidity(AssignedValidity.Unit.DAYS, 14));
    assertThat(days.expiresOn(assigned, STOCKHOLM)).isEqualTo(END);
    Validity short1 = new Validity(START, END, new AssignedValidity(AssignedValidity.Unit.DAYS, 3));
    assertThat(short1.expiresOn(assigned, STOCKHOLM))
        .isEqualTo(Instant.parse("2026-12-23T10:00:00Z"));
    Validity open = new Validity(START, null, null);
    assertThat(open.expiresOn(assigned, STOCKHOLM)).isNull();
  }

  @Test
  void monthsOfAssignedValidityAreCalendarMonthsInTheServersZone() {
    AssignedValidity month = new AssignedValidity(AssignedValidity.Unit.MONTHS, 1);
    assertThat(month.after(Instant.parse("2027-01-31T10:00:00Z"), STOCKHOLM))
        .isEqualTo(Instant.parse("2027-02-28T10:00:00Z"));
    // 12:00 winter time in March becomes 12:00 summer time in April
    assertThat(month.after(Instant.parse("2027-03-15T11:00:00Z"), STOCKHOLM))
        .isEqualTo(Instant.parse("2027-04-15T10:00:00Z"));
  }

  @Test
  void anAssignedValidityBeyondTheYear9999NeverEnds() {
    AssignedValidity forever =
        new AssignedValidity(AssignedValidity.Unit.MONTHS, Integer.MAX_VALUE);
    assertThat(forever.after(START, STOCKHOLM)).isNull();
    assertThat(new Validity(START, END, forever).expiresOn(START, STOCKHOLM)).isEqualTo(END);
    assertThat(new Validity(START, null, forever).expiresOn(START, STOCKHOLM)).isNull();
  }

  @Test
  void anAssignedValidityNeedsAtLeastOneUnitAndAnEndComesAfterTheStart() {
    assertThatThrownBy(() -> new AssignedValidity(AssignedValidity.Unit.DAYS, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Validity(START, START, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unitsChannelTypesAndValueTypesAreReadInAnyCase() {
    assertThat(AssignedValidity.Unit.parse(" months ")).contains(AssignedValidity.Unit.MONTHS);
    assertThat(AssignedValidity.Unit.parse("weeks")).isEmpty();
    assertThat(RedemptionChannelType.parse("ecom")).contains(RedemptionChannelType.ECOM);
    assertThat(RedemptionChannelType.parse("WEB")).isEmpty();
    assertThat(RedemptionChannelType.parse(null)).isEmpty();
    assertThat(ValueType.parse("ExternalOffer")).contains(ValueType.EXTERNALOFFER);
    assertThat(ValueType.parse("")).isEmpty();
  }

  @Test
  void channelValuesReadBackTypedByTheirValueType() {
    List<Violation> violations = new ArrayList<>();
    RedemptionChannel percent =
        Objects.requireNonNull(
            PromotionRules.channel("c", "POS", "PERCENT", "20.50", null, null, "SEK", violations));
    RedemptionChannel money =
        Objects.requireNonNull(
            PromotionRules.channel("c", "ecom", "money", "100", "eur", null, "SEK", violations));
    RedemptionChannel defaulted =
        Objects.requireNonNull(
            PromotionRules.channel("c", "OTHER", "MONEY", "50.00", null, null, "SEK", violations));
    RedemptionChannel offer =
        Objects.requireNonNull(
            PromotionRules.channel(
                "c", "ECOM", "EXTERNALOFFER", "RSX78", null, null, "SEK", violations));
    assertThat(violations).isEmpty();
    assertThat(percent.typedValue())
        .isEqualTo(new RedemptionChannel.Percent(new BigDecimal("20.5")));
    assertThat(percent.value()).isEqualTo("20.5");
    assertThat(money.typedValue())
        .isEqualTo(new RedemptionChannel.Money(new BigDecimal("100"), "EUR"));
    assertThat(defaulted.typedValue())
        .isEqualTo(new RedemptionChannel.Money(new BigDecimal("50"), "SEK"));
    assertThat(offer.typedValue()).isEqualTo(new RedemptionChannel.Text("RSX78"));
  }

  @Test
  void badChannelsAreRefusedNamingEveryField() {
    List<Violation> violations = new ArrayList<>();
    assertThat(
            PromotionRules.channel(
                "redemptionChannels[0]", "WEB", "GIFT", null, null, null, "SEK", violations))
        .isNull();
    assertThat(
            PromotionRules.channel(
                "redemptionChannels[1]", "POS", "PERCENT", "120", null, null, "SEK", violations))
        .isNull();
    assertThat(
            PromotionRules.channel(
                "redemptionChannels[2]", "ECOM", "MANUAL", null, null, "say hi", "SEK", violations))
        .isNull();
    assertThat(
            PromotionRules.channel(
                "redemptionChannels[3]",
                "ECOM",
                "EXTERNALOFFER",
                " ",
                null,
                null,
                "SEK",
                violations))
        .isNull();
    assertThat(
            PromotionRules.channel(
                "redemptionChannels[4]", "POS", "MONEY", "ten", "kronor", null, "SEK", violations))
        .isNull();
    assertThat(violations)
        .extracting(Violation::field, Violation::errorCode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "redemptionChannels[0].type", "NotAValidRedemptionChannel"),
            org.assertj.core.groups.Tuple.tuple(
                "redemptionChannels[0].valueType", "InvalidValueType"),
            org.assertj.core.groups.Tuple.tuple("redemptionChannels[1].value", "InvalidValue"),
            org.assertj.core.groups.Tuple.tuple(
                "redemptionChannels[2].valueType", "InvalidValueType"),
            org.assertj.core.groups.Tuple.tuple("redemptionChannels[3].value", "MissingField"),
            org.assertj.core.groups.Tuple.tuple("redemptionChannels[4].value", "InvalidValue"),
            org.assertj.core.groups.Tuple.tuple(
                "redemptionChannels[4].currency", "InvalidCurrency"));
  }

  @Test
  void aChannelTypeMayAppearOnceInADefinition() {
    List<Violation> violations = new ArrayList<>();
    RedemptionChannel pos =
        new RedemptionChannel(RedemptionChannelType.POS, ValueType.SWIPE, null, null, null);
    PromotionRules.distinctChannels(List.of(pos, pos), violations);
    assertThat(violations)
        .extracting(Violation::errorCode)
        .containsExactly("DuplicateRedemptionChannel");
  }

  private static PromotionRules.Instance instance(
      @Nullable Instant expiresOn,
      @Nullable Instant redeemedAt,
      Set<RedemptionChannelType> channels) {
    return new PromotionRules.Instance(
        HOLDER, expiresOn, redeemedAt, START.minusSeconds(86_400), DECEMBER, channels);
  }
}

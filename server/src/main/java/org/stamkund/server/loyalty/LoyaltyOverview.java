package org.stamkund.server.loyalty;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stamkund.engine.program.LoyaltyProgram;
import org.stamkund.server.contacts.ContactOverviewSection;
import org.stamkund.server.platform.StamkundProperties;
import org.stamkund.server.platform.WireTime;

/**
 * What {@code GET /api/v2/contactoverview} shows of a member's loyalty: {@code bonusPoints}, {@code
 * level} and {@code bonusChecks} (the available vouchers).
 */
@Configuration(proxyBeanMethods = false)
class LoyaltyOverview {

  @Bean
  ContactOverviewSection pointsSection(
      PointsLedger ledger, StamkundProperties properties, Clock clock) {
    return section(
        "bonusPoints",
        id -> {
          Instant now = clock.instant();
          long pending = ledger.pending(id, now);
          Instant expires = ledger.nextExpiry(id);
          Map<String, @Nullable Object> points = new LinkedHashMap<>();
          points.put("balance", ledger.total(id) - pending);
          points.put("pendingPoints", pending);
          points.put(
              "nextExpiry",
              expires == null ? null : WireTime.format(expires, properties.timeZone()));
          return points;
        });
  }

  @Bean
  ContactOverviewSection levelSection(
      LevelBook levels, ProgramCatalog programs, StamkundProperties properties, Clock clock) {
    return section(
        "level",
        id -> {
          LoyaltyProgram program = programs.current();
          // A member without receipts holds the lowest tier.
          LevelBook.StoredLevel stored =
              levels
                  .find(id)
                  .orElseGet(
                      () ->
                          new LevelBook.StoredLevel(
                              program.levels().tiers().getFirst().id(), 0, clock.instant(), null));
          return level(stored, program, properties);
        });
  }

  static Map<String, @Nullable Object> level(
      LevelBook.StoredLevel stored, LoyaltyProgram program, StamkundProperties properties) {
    List<LoyaltyProgram.Tier> tiers = program.levels().tiers();
    LoyaltyProgram.Tier tier =
        tiers.stream()
            .filter(t -> t.id().equals(stored.tierId()))
            .findFirst()
            .orElse(tiers.getFirst());
    LoyaltyProgram.Tier next =
        tiers.stream()
            .filter(t -> t.threshold() > tier.threshold() && t.threshold() > stored.value())
            .findFirst()
            .orElse(null);
    Map<String, @Nullable Object> level = new LinkedHashMap<>();
    level.put("id", tier.id());
    level.put("name", tier.name());
    level.put("value", stored.value());
    level.put("since", WireTime.format(stored.since(), properties.timeZone()));
    level.put(
        "expires",
        stored.expiresAt() == null
            ? null
            : WireTime.format(stored.expiresAt(), properties.timeZone()));
    level.put("nextLevelId", next == null ? null : next.id());
    level.put("remainingToNextLevel", next == null ? 0 : next.threshold() - stored.value());
    return level;
  }

  @Bean
  ContactOverviewSection vouchersSection(
      VoucherBook vouchers, ProgramCatalog programs, BonusChecksController views, Clock clock) {
    return section(
        "bonusChecks",
        id -> {
          Instant now = clock.instant();
          LoyaltyProgram program = programs.current();
          return vouchers
              .list(id, VoucherBook.Filter.AVAILABLE, now, 0, LoyaltyReads.MAX_COUNT)
              .stream()
              .map(v -> views.view(v, program, now))
              .toList();
        });
  }

  private static ContactOverviewSection section(
      String name, java.util.function.Function<UUID, @Nullable Object> content) {
    return new ContactOverviewSection() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public @Nullable Object forContact(UUID contactId) {
        return content.apply(contactId);
      }
    };
  }
}

package org.stamkund.server.loyalty;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stamkund.engine.program.LoyaltyProgram;
import org.stamkund.engine.vouchers.Conversion;

/**
 * A member's loyalty standing for other modules (the storefront, the Loyalty API): points, level
 * and reward vouchers, read without changing anything.
 */
@Service
public class MemberLoyalty {

  private final PointsLedger ledger;
  private final LevelBook levels;
  private final VoucherBook vouchers;
  private final ProgramCatalog programs;
  private final Clock clock;

  MemberLoyalty(
      PointsLedger ledger,
      LevelBook levels,
      VoucherBook vouchers,
      ProgramCatalog programs,
      Clock clock) {
    this.ledger = ledger;
    this.levels = levels;
    this.vouchers = vouchers;
    this.programs = programs;
    this.clock = clock;
  }

  /**
   * The points a member can spend now: the ledger's total less points still pending.
   *
   * @return points, never negative unless the programme allows a negative balance
   */
  @Transactional(readOnly = true)
  public long balance(UUID contactId) {
    return ledger.total(contactId) - ledger.pending(contactId, clock.instant());
  }

  /**
   * A member's level.
   *
   * @param value the points or amount the level is based on
   * @param remainingToNext what is missing to the next tier; 0 at the top tier
   * @param expires when the level lapses unless renewed; null for never
   */
  public record Level(
      String id, String name, long value, long remainingToNext, @Nullable Instant expires) {}

  /** The member's level; a member without one holds the lowest tier. */
  @Transactional(readOnly = true)
  public Level level(UUID contactId) {
    LoyaltyProgram program = programs.current();
    List<LoyaltyProgram.Tier> tiers = program.levels().tiers();
    LevelBook.StoredLevel stored =
        levels
            .find(contactId)
            .orElseGet(
                () -> new LevelBook.StoredLevel(tiers.getFirst().id(), 0, clock.instant(), null));
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
    return new Level(
        tier.id(),
        tier.name(),
        stored.value(),
        next == null ? 0 : next.threshold() - stored.value(),
        stored.expiresAt());
  }

  /**
   * A reward voucher (bonus check).
   *
   * @param localValues its value in every currency the programme has an exchange rate for, other
   *     than its own
   */
  public record Voucher(
      UUID id,
      String checkNumber,
      String name,
      BigDecimal value,
      String currency,
      Map<String, BigDecimal> localValues,
      long points,
      Instant expiresOn,
      @Nullable Instant redeemedOn) {

    public boolean redeemed() {
      return redeemedOn != null;
    }
  }

  /** The member's vouchers usable now, newest first (at most 500). */
  @Transactional(readOnly = true)
  public List<Voucher> availableVouchers(UUID contactId) {
    Instant now = clock.instant();
    LoyaltyProgram program = programs.current();
    return vouchers
        .list(contactId, VoucherBook.Filter.AVAILABLE, now, 0, LoyaltyReads.MAX_COUNT)
        .stream()
        .map(
            v ->
                new Voucher(
                    v.id(),
                    v.checkNumber(),
                    v.name(),
                    v.value(),
                    v.currency(),
                    Conversion.localValues(program, v.value()),
                    v.points(),
                    v.expiresOn(),
                    v.redeemedAt()))
        .toList();
  }
}

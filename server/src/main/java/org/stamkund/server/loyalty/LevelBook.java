package org.stamkund.server.loyalty;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stamkund.engine.levels.LevelPolicy;
import org.stamkund.engine.program.LoyaltyProgram;
import org.stamkund.server.platform.DomainEvent;

/** Members' levels, recomputed from their processed receipts in the programme's window. */
@Component
class LevelBook {

  private final JdbcClient jdbc;
  private final ApplicationEventPublisher events;

  LevelBook(JdbcClient jdbc, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.events = events;
  }

  /** A member's stored level. */
  record StoredLevel(String tierId, long value, Instant since, @Nullable Instant expiresAt) {}

  /** Recomputes and stores a member's level; call under the member's account lock. */
  LevelPolicy.Level recompute(UUID contactId, LoyaltyProgram program, Instant now, ZoneId zone) {
    return java.util.Objects.requireNonNull(
        recomputeAll(List.of(contactId), program, now, zone).get(contactId));
  }

  /**
   * Recomputes and stores the levels of several members, each under their account lock: one
   * statement reads what counts, one stores the levels.
   */
  Map<UUID, LevelPolicy.Level> recomputeAll(
      java.util.Collection<UUID> contactIds, LoyaltyProgram program, Instant now, ZoneId zone) {
    UUID[] members = contactIds.stream().distinct().toArray(UUID[]::new);
    // A day of slack: the policy itself decides exactly which contributions are in the window.
    Instant windowStart =
        now.atZone(zone).minusMonths(program.levels().windowMonths()).minusDays(1).toInstant();
    boolean byAmount = program.levels().basis() == LoyaltyProgram.LevelBasis.AMOUNT_SPENT;
    // A receipt counts what its purchases earned (or cost) less what later returns took back of
    // them, at the purchase's date. Amounts count in cents, thresholds scaled to match, so a line
    // returned in parts adds up to what it cost.
    LoyaltyProgram.Levels levels = byAmount ? inCents(program.levels()) : program.levels();
    Map<UUID, List<LevelPolicy.Contribution>> contributions = new java.util.HashMap<>();
    for (UUID member : members) {
      contributions.put(member, new java.util.ArrayList<>());
    }
    jdbc.sql(
            "select contact_id, created_date, "
                + (byAmount
                    ? "round((purchase_amount - amount_returned) * 100)::bigint"
                    : "earned_points - points_returned")
                + " from receipts where contact_id = any(?) and status = 'Processed'"
                + " and created_date >= ?")
        .params(members, Timestamp.from(windowStart))
        .query(
            (rs, n) -> {
              java.util.Objects.requireNonNull(contributions.get(rs.getObject(1, UUID.class)))
                  .add(new LevelPolicy.Contribution(rs.getTimestamp(2).toInstant(), rs.getLong(3)));
              return n;
            })
        .list();
    Map<UUID, LevelPolicy.Level> computed = new java.util.LinkedHashMap<>();
    for (UUID member : members) {
      LevelPolicy.Level level =
          LevelPolicy.level(levels, contributions.getOrDefault(member, List.of()), now, zone);
      if (byAmount) {
        level =
            new LevelPolicy.Level(
                program.levels().tiers().get(levels.tiers().indexOf(level.tier())),
                Math.floorDiv(level.value(), 100),
                level.expiresAt(),
                level.next() == null
                    ? null
                    : program.levels().tiers().get(levels.tiers().indexOf(level.next())),
                (level.remainingToNext() + 99) / 100);
      }
      computed.put(member, level);
    }
    // The levels before, read in the same statement: a change of tier is an event.
    Map<UUID, String> before = new java.util.HashMap<>();
    Timestamp at = Timestamp.from(now);
    jdbc.sql(
            """
            with old as (select contact_id, tier_id from member_levels where contact_id = any(?))
            insert into member_levels (contact_id, tier_id, value, since, expires_at, updated_at)
            select l.contact_id, l.tier_id, l.value, ?, l.expires_at, ?
            from unnest(?::uuid[], ?::text[], ?::bigint[], ?::timestamptz[])
                 as l(contact_id, tier_id, value, expires_at)
            on conflict (contact_id) do update set
              since = case when member_levels.tier_id = excluded.tier_id
                           then member_levels.since else excluded.since end,
              tier_id = excluded.tier_id, value = excluded.value,
              expires_at = excluded.expires_at, updated_at = excluded.updated_at
            returning contact_id,
                      coalesce((select tier_id from old
                                where old.contact_id = member_levels.contact_id), '')
            """)
        .params(
            members,
            at,
            at,
            members,
            computed.values().stream().map(l -> l.tier().id()).toArray(String[]::new),
            computed.values().stream().map(LevelPolicy.Level::value).toArray(Long[]::new),
            computed.values().stream()
                .map(l -> l.expiresAt() == null ? null : Timestamp.from(l.expiresAt()))
                .toArray(Timestamp[]::new))
        .query(
            (rs, n) -> {
              before.put(rs.getObject(1, UUID.class), rs.getString(2));
              return n;
            })
        .list();
    for (Map.Entry<UUID, LevelPolicy.Level> e : computed.entrySet()) {
      LevelPolicy.Level level = e.getValue();
      // A member without a stored level is at the lowest tier: reaching it is no change.
      String stored = before.getOrDefault(e.getKey(), "");
      String previous = !stored.isEmpty() ? stored : program.levels().tiers().getFirst().id();
      if (!level.tier().id().equals(previous)) {
        Map<String, Object> changed = new java.util.LinkedHashMap<>();
        changed.put("previousLevelId", previous);
        changed.put("levelId", level.tier().id());
        changed.put("levelName", level.tier().name());
        changed.put("value", level.value());
        events.publishEvent(new DomainEvent("level.changed", e.getKey(), changed));
      }
    }
    return computed;
  }

  private static LoyaltyProgram.Levels inCents(LoyaltyProgram.Levels levels) {
    return new LoyaltyProgram.Levels(
        levels.basis(),
        levels.windowMonths(),
        levels.tiers().stream()
            .map(t -> new LoyaltyProgram.Tier(t.id(), t.name(), t.threshold() * 100))
            .toList());
  }

  Optional<StoredLevel> find(UUID contactId) {
    return jdbc.sql(
            "select tier_id, value, since, expires_at from member_levels where contact_id = ?")
        .param(contactId)
        .query(
            (rs, n) ->
                new StoredLevel(
                    rs.getString(1),
                    rs.getLong(2),
                    rs.getTimestamp(3).toInstant(),
                    rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant()))
        .optional();
  }

  /** Members whose level lapses by {@code now}. */
  List<UUID> lapsing(Instant now, int limit) {
    return jdbc.sql(
            "select contact_id from member_levels where expires_at <= ? order by expires_at limit ?")
        .params(Timestamp.from(now), limit)
        .query((rs, n) -> rs.getObject(1, UUID.class))
        .list();
  }
}

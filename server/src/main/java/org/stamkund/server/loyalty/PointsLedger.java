package org.stamkund.server.loyalty;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stamkund.engine.points.Lots;

/**
 * The points ledger. Movements are only ever appended; a member's {@code point_accounts.total} is
 * the sum of their movements, kept in step in the same transaction; {@code point_lots} records what
 * is left of each earning so points are spent oldest-expiry first. Call every method inside the
 * transaction that holds the member's account lock ({@link #lock}).
 */
@Component
class PointsLedger {

  private final JdbcClient jdbc;

  PointsLedger(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A member's account, locked for the rest of the transaction. */
  record Account(long id, UUID contactId, long total, @Nullable Instant lastActivity) {}

  /** One movement of the ledger. */
  record Movement(
      long id,
      UUID contactId,
      long amount,
      String type,
      String reason,
      @Nullable UUID receiptId,
      @Nullable String source,
      Instant validFrom,
      @Nullable Instant expiresAt,
      Instant createdAt) {}

  /**
   * Locks (creating it if needed) the member's account: a member's point changes run one at a time.
   */
  Account lock(UUID contactId) {
    // One statement creates the account if needed and locks its row (a conflicting insert that
    // updates takes the row lock), returning what the lock protects.
    return jdbc.sql(
            """
            insert into point_accounts (contact_id) values (?)
            on conflict (contact_id) do update set contact_id = excluded.contact_id
            returning id, contact_id, total, last_activity
            """)
        .param(contactId)
        .query(
            (rs, n) ->
                new Account(
                    rs.getLong(1),
                    rs.getObject(2, UUID.class),
                    rs.getLong(3),
                    rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant()))
        .single();
  }

  /**
   * Appends an earning: a movement and its lot.
   *
   * @param balance the member's total before this earning; a negative one is a debt the new lot
   *     pays first
   * @param earnedAt when the points were earned (the purchase), which dates the lot
   */
  long earn(
      UUID contactId,
      long balance,
      long amount,
      String type,
      String reason,
      @Nullable UUID receiptId,
      @Nullable String source,
      Instant earnedAt,
      Instant validFrom,
      @Nullable Instant expiresAt,
      Instant now) {
    // A negative balance is a debt: new points pay it off before they can be spent or expire.
    long debt = Math.max(0, -balance);
    // The movement, the account's total and the lot: one statement, one round trip.
    return jdbc.sql(
            """
            with m as (
              insert into point_movements (contact_id, amount, type, reason, receipt_id,
                                           source, valid_from, expires_at, created_at)
              values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id),
            a as (
              update point_accounts set total = total + ?, updated_at = ? where contact_id = ?),
            l as (
              insert into point_lots (movement_id, contact_id, remaining, valid_from, expires_at,
                                      earned_at, activated)
              select id, ?, ?, ?, ?, ?, ? from m)
            select id from m
            """)
        .params(
            java.util.Arrays.asList(
                contactId,
                amount,
                type,
                reason,
                receiptId,
                source,
                Timestamp.from(validFrom),
                expiresAt == null ? null : Timestamp.from(expiresAt),
                Timestamp.from(now),
                amount,
                Timestamp.from(now),
                contactId,
                contactId,
                amount - Math.min(amount, debt),
                Timestamp.from(validFrom),
                expiresAt == null ? null : Timestamp.from(expiresAt),
                Timestamp.from(earnedAt),
                !validFrom.isAfter(now)))
        .query(Long.class)
        .single();
  }

  /** One movement of a spending: its points (positive) and the voucher they became, if any. */
  record Part(long amount, @Nullable UUID voucherId) {}

  /**
   * Appends a spending of {@code amount} points (positive), drawn from the open lots: first those
   * earned by {@code fromReceipts} (a return takes back its own purchase's points), then oldest
   * expiry first; only lots already valid when {@code activeOnly}. A spending beyond the lots (a
   * balance going negative) is recorded all the same.
   */
  void spend(
      UUID contactId,
      long amount,
      String type,
      String reason,
      @Nullable UUID receiptId,
      @Nullable UUID voucherId,
      @Nullable String source,
      boolean activeOnly,
      List<UUID> fromReceipts,
      Instant now) {
    spendAll(
        contactId,
        List.of(new Part(amount, voucherId)),
        type,
        reason,
        receiptId,
        source,
        activeOnly,
        fromReceipts,
        now);
  }

  /**
   * As {@link #spend}, several movements at once (points turned into several vouchers): they draw
   * from the lots in turn, which is the same as drawing their sum. Two statements, whatever their
   * number.
   */
  void spendAll(
      UUID contactId,
      List<Part> parts,
      String type,
      String reason,
      @Nullable UUID receiptId,
      @Nullable String source,
      boolean activeOnly,
      List<UUID> fromReceipts,
      Instant now) {
    long amount = parts.stream().mapToLong(Part::amount).sum();
    record Open(Lots.Lot lot, boolean preferred) {}
    List<Open> open =
        jdbc.sql(
                "select l.movement_id, l.remaining, l.expires_at, l.earned_at,"
                    + " m.receipt_id = any(?) as preferred"
                    + " from point_lots l join point_movements m on m.id = l.movement_id"
                    + " where l.contact_id = ? and l.remaining > 0"
                    + (activeOnly ? " and l.valid_from <= ?" : ""))
            .params(
                activeOnly
                    ? List.of(fromReceipts.toArray(UUID[]::new), contactId, Timestamp.from(now))
                    : List.of(fromReceipts.toArray(UUID[]::new), contactId))
            .query(
                (rs, n) ->
                    new Open(
                        new Lots.Lot(
                            rs.getLong(1),
                            rs.getLong(2),
                            rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant(),
                            rs.getTimestamp(4).toInstant()),
                        rs.getBoolean(5)))
            .list();
    List<Lots.Lot> preferred = open.stream().filter(Open::preferred).map(Open::lot).toList();
    List<Lots.Lot> others = open.stream().filter(o -> !o.preferred()).map(Open::lot).toList();
    List<Lots.Draw> draws = Lots.spend(amount, preferred, others);
    // The movements, every lot drawn and the account's total: one statement, one round trip.
    jdbc.sql(
            """
            with m as (
              insert into point_movements (contact_id, amount, type, reason, receipt_id,
                                           voucher_id, source, valid_from, expires_at, created_at)
              select ?, -p.amount, ?, ?, ?, p.voucher_id, ?, ?, null, ?
              from unnest(?::bigint[], ?::uuid[]) with ordinality as p(amount, voucher_id, n)
              order by p.n),
            l as (
              update point_lots l
              set remaining = l.remaining - (?::bigint[])[array_position(?::bigint[], l.movement_id)]
              where l.movement_id = any(?::bigint[]))
            update point_accounts set total = total - ?, updated_at = ? where contact_id = ?
            """)
        .params(
            java.util.Arrays.asList(
                contactId,
                type,
                reason,
                receiptId,
                source,
                Timestamp.from(now),
                Timestamp.from(now),
                parts.stream().map(Part::amount).toArray(Long[]::new),
                parts.stream().map(Part::voucherId).toArray(UUID[]::new),
                draws.stream().map(Lots.Draw::points).toArray(Long[]::new),
                draws.stream().map(Lots.Draw::lotId).toArray(Long[]::new),
                draws.stream().map(Lots.Draw::lotId).toArray(Long[]::new),
                amount,
                Timestamp.from(now),
                contactId))
        .update();
  }

  /**
   * Expires what is left of the member's lots past their date (a DueDate movement), so points past
   * their date are never spent or converted; call under the member's lock.
   *
   * @param all expire every open lot (inactivity), not only those past their date
   */
  /**
   * Expires the member's points past their date, as {@link #expireDue}, and answers the standing
   * after it: one statement when nothing is due. Call under the member's lock.
   */
  Standing expireDueAndStand(UUID contactId, Instant now) {
    Standing standing = standing(contactId, now);
    if (standing.due() == 0) {
      return standing;
    }
    spend(
        contactId,
        standing.due(),
        "DueDate",
        "Points expired",
        null,
        null,
        null,
        false,
        List.of(),
        now);
    return standing(contactId, now);
  }

  void expireDue(UUID contactId, Instant now, String reason, boolean all) {
    long due =
        jdbc.sql(
                "select coalesce(sum(remaining), 0) from point_lots where contact_id = ?"
                    + " and remaining > 0"
                    + (all ? "" : " and expires_at <= ?"))
            .params(all ? List.of(contactId) : List.of(contactId, Timestamp.from(now)))
            .query(Long.class)
            .single();
    if (due > 0) {
      // The lots past their date are exactly the first ones spending draws from.
      spend(contactId, due, "DueDate", reason, null, null, null, false, List.of(), now);
    }
  }

  /** What {@link #standing} reads in one round trip. */
  record Standing(long total, long pending, long due) {}

  /**
   * The member's total, pending points and points past their date, in one statement; call under the
   * member's lock.
   */
  Standing standing(UUID contactId, Instant now) {
    Timestamp at = Timestamp.from(now);
    return jdbc.sql(
            """
            select coalesce((select total from point_accounts where contact_id = ?), 0),
                   coalesce(sum(remaining) filter (where valid_from > ?), 0),
                   coalesce(sum(remaining) filter (where expires_at <= ?), 0)
            from point_lots where contact_id = ? and remaining > 0
            """)
        .params(contactId, at, at, contactId)
        .query((rs, n) -> new Standing(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
        .single();
  }

  /**
   * Points not yet usable: what is left of earnings whose valid_from is still ahead (a return may
   * already have taken some of them back).
   */
  long pending(UUID contactId, Instant now) {
    return jdbc.sql(
            "select coalesce(sum(remaining), 0) from point_lots"
                + " where contact_id = ? and remaining > 0 and valid_from > ?")
        .params(contactId, Timestamp.from(now))
        .query(Long.class)
        .single();
  }

  /** The account's cached total (0 without an account). */
  long total(UUID contactId) {
    return jdbc.sql("select total from point_accounts where contact_id = ?")
        .param(contactId)
        .query(Long.class)
        .optional()
        .orElse(0L);
  }

  /** When the next open lot expires, if any. */
  @Nullable Instant nextExpiry(UUID contactId) {
    return jdbc.sql(
            "select expires_at from point_lots where contact_id = ? and remaining > 0"
                + " and expires_at is not null order by expires_at limit 1")
        .param(contactId)
        .query((rs, n) -> rs.getTimestamp(1).toInstant())
        .optional()
        .orElse(null);
  }

  List<Movement> movements(UUID contactId, int offset, int count) {
    return jdbc.sql(
            """
            select id, contact_id, amount, type, reason, receipt_id, source, valid_from,
                   expires_at, created_at
            from point_movements where contact_id = ? order by id desc offset ? limit ?
            """)
        .params(contactId, offset, count)
        .query(PointsLedger::movement)
        .list();
  }

  long movementCount(UUID contactId) {
    return jdbc.sql("select count(*) from point_movements where contact_id = ?")
        .param(contactId)
        .query(Long.class)
        .single();
  }

  static Movement movement(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new Movement(
        rs.getLong("id"),
        rs.getObject("contact_id", UUID.class),
        rs.getLong("amount"),
        rs.getString("type"),
        rs.getString("reason"),
        rs.getObject("receipt_id", UUID.class),
        rs.getString("source"),
        rs.getTimestamp("valid_from").toInstant(),
        rs.getTimestamp("expires_at") == null ? null : rs.getTimestamp("expires_at").toInstant(),
        rs.getTimestamp("created_at").toInstant());
  }
}

package org.stamkund.server.loyalty;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stamkund.engine.points.Lots;
import org.stamkund.server.platform.CopyRows;

/**
 * The points ledger. Movements are only ever appended; a member's {@code point_accounts.total} is
 * the sum of their movements, kept in step in the same transaction; {@code point_lots} records what
 * is left of each earning so points are spent oldest-expiry first. Call every method inside the
 * transaction that holds the member's account lock ({@link #lock}).
 */
@Component
class PointsLedger {

  private final JdbcClient jdbc;
  private final JdbcTemplate template;

  PointsLedger(JdbcClient jdbc, JdbcTemplate template) {
    this.jdbc = jdbc;
    this.template = template;
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
        .query(PointsLedger::account)
        .single();
  }

  /**
   * Locks (creating them if needed) the accounts of several members, as {@link #lock} does, and
   * records their activity: one statement. The accounts are locked in one order, so two
   * transactions locking some of the same members wait for each other instead of deadlocking.
   *
   * @param activity each member's latest activity: an account keeps the later of it and the one it
   *     has
   * @return the accounts, their totals as they were
   */
  java.util.Map<UUID, Account> lockAll(java.util.Map<UUID, Instant> activity) {
    java.util.Map<UUID, Instant> sorted = new java.util.TreeMap<>(activity);
    java.util.Map<UUID, Account> locked = new java.util.HashMap<>();
    // The lock is an update either way (a conflicting insert that updates takes the row lock): it
    // writes the activity too, so the account gets no second version for it.
    jdbc.sql(
            """
            insert into point_accounts (contact_id, last_activity)
            select * from unnest(?::uuid[], ?::timestamptz[])
            on conflict (contact_id) do update
            set last_activity = greatest(point_accounts.last_activity, excluded.last_activity)
            returning id, contact_id, total, last_activity
            """)
        .params(
            sorted.keySet().toArray(UUID[]::new),
            sorted.values().stream().map(Timestamp::from).toArray(Timestamp[]::new))
        .query(PointsLedger::account)
        .list()
        .forEach(a -> locked.put(a.contactId(), a));
    return locked;
  }

  private static Account account(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new Account(
        rs.getLong(1),
        rs.getObject(2, UUID.class),
        rs.getLong(3),
        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant());
  }

  /** The standings of several members, as {@link #standing} reads one: one statement. */
  java.util.Map<UUID, Standing> standings(java.util.Collection<UUID> contactIds, Instant now) {
    Timestamp at = Timestamp.from(now);
    java.util.Map<UUID, Standing> standings = new java.util.HashMap<>();
    jdbc.sql(
            """
            select c.id, (select total from point_accounts where contact_id = c.id),
                   s.pending, s.due
            from unnest(?::uuid[]) as c(id)
            cross join lateral (
              select coalesce(sum(l.remaining) filter (where l.valid_from > ?), 0) as pending,
                     coalesce(sum(l.remaining) filter (where l.expires_at <= ?), 0) as due
              from point_lots l where l.contact_id = c.id and l.remaining > 0) s
            """)
        .params(contactIds.stream().distinct().toArray(UUID[]::new), at, at)
        .query(
            (rs, n) -> {
              standings.put(
                  rs.getObject(1, UUID.class),
                  new Standing(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
              return n;
            })
        .list();
    return standings;
  }

  /**
   * An earning: a movement and its lot.
   *
   * @param balance the member's total before this earning; a negative one is a debt the new lot
   *     pays first
   * @param earnedAt when the points were earned (the purchase), which dates the lot
   */
  record Earning(
      UUID contactId,
      long balance,
      long amount,
      String type,
      String reason,
      @Nullable UUID receiptId,
      @Nullable String source,
      Instant earnedAt,
      Instant validFrom,
      @Nullable Instant expiresAt) {

    /** What is left of the lot once the debt is paid. */
    long remaining() {
      return amount - Math.min(amount, Math.max(0, -balance));
    }
  }

  /**
   * Appends earnings of several members, at most one each: their movements, lots and totals in one
   * statement.
   */
  void earnAll(List<Earning> earnings, Instant now) {
    requireDistinct(earnings.stream().map(Earning::contactId));
    Timestamp at = Timestamp.from(now);
    jdbc.sql(
            """
            with e as (
              select * from unnest(?::uuid[], ?::bigint[], ?::text[], ?::text[], ?::uuid[],
                                   ?::text[], ?::timestamptz[], ?::timestamptz[],
                                   ?::timestamptz[], ?::bigint[]) with ordinality
                as e(contact_id, amount, type, reason, receipt_id, source, valid_from,
                     expires_at, earned_at, remaining, n)),
            m as (
              insert into point_movements (contact_id, amount, type, reason, receipt_id,
                                           source, valid_from, expires_at, created_at)
              select contact_id, amount, type, reason, receipt_id, source, valid_from,
                     expires_at, ?
              from e order by n
              returning id, contact_id),
            a as (
              update point_accounts a
              set total = a.total + (select e.amount from e where e.contact_id = a.contact_id),
                  updated_at = ?
              where a.contact_id = any(array(select contact_id from e))),
            l as (
              insert into point_lots (movement_id, contact_id, remaining, valid_from, expires_at,
                                      earned_at, activated)
              select m.id, e.contact_id, e.remaining, e.valid_from, e.expires_at, e.earned_at,
                     e.valid_from <= ?
              from m join e on e.contact_id = m.contact_id)
            select count(*) from m
            """)
        .params(
            earnings.stream().map(Earning::contactId).toArray(UUID[]::new),
            earnings.stream().map(Earning::amount).toArray(Long[]::new),
            earnings.stream().map(Earning::type).toArray(String[]::new),
            earnings.stream().map(Earning::reason).toArray(String[]::new),
            earnings.stream().map(Earning::receiptId).toArray(UUID[]::new),
            earnings.stream().map(Earning::source).toArray(String[]::new),
            earnings.stream().map(e -> Timestamp.from(e.validFrom())).toArray(Timestamp[]::new),
            earnings.stream()
                .map(e -> e.expiresAt() == null ? null : Timestamp.from(e.expiresAt()))
                .toArray(Timestamp[]::new),
            earnings.stream().map(e -> Timestamp.from(e.earnedAt())).toArray(Timestamp[]::new),
            earnings.stream().map(Earning::remaining).toArray(Long[]::new),
            at,
            at,
            at)
        .query(Long.class)
        .single();
  }

  private static void requireDistinct(java.util.stream.Stream<UUID> contactIds) {
    List<UUID> all = contactIds.toList();
    if (new java.util.HashSet<>(all).size() != all.size()) {
      throw new IllegalArgumentException("at most one change per member in one statement");
    }
  }

  /** One movement of a spending: its points (positive) and the voucher they became, if any. */
  record Part(long amount, @Nullable UUID voucherId) {}

  /**
   * A spending of points drawn from a member's open lots: first those earned by {@code
   * fromReceipts} (a return takes back its own purchase's points), then oldest expiry first; only
   * lots already valid when {@code activeOnly}. A spending beyond the lots (a balance going
   * negative) is recorded all the same. Several parts (points turned into several vouchers) draw
   * from the lots in turn, which is the same as drawing their sum.
   */
  record Spending(
      UUID contactId,
      List<Part> parts,
      String type,
      String reason,
      @Nullable UUID receiptId,
      @Nullable String source,
      boolean activeOnly,
      List<UUID> fromReceipts) {

    long amount() {
      return parts.stream().mapToLong(Part::amount).sum();
    }
  }

  /** Appends a spending of {@code amount} points (positive); see {@link Spending}. */
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
        List.of(
            new Spending(
                contactId,
                List.of(new Part(amount, voucherId)),
                type,
                reason,
                receiptId,
                source,
                activeOnly,
                fromReceipts)),
        now);
  }

  /**
   * Appends the spendings of several members, at most one each: one statement reads their open
   * lots, one writes every movement, every lot drawn and every total.
   *
   * <p>The open lots are read with {@code = any}, which can only probe the index. Joined laterally
   * to {@code unnest}, the lanes' generic plan hashed every open lot of every member instead: 2.1
   * ms a call in the benchmark, against 0.1 ms now.
   */
  void spendAll(List<Spending> spendings, Instant now) {
    earnAndSpendAll(List.of(), spendings, now);
  }

  /**
   * Appends earnings and then spendings of several members, at most one of each per member, with
   * the effect of {@link #earnAll} followed by {@link #spendAll}: a spending may draw from the lot
   * its member's earning opens. One statement reads the open lots, one writes every movement (the
   * earnings' first), every new lot with what the spendings leave of it, every older lot drawn and
   * every total once. So a purchase whose points turn into vouchers writes its lot and its member's
   * total once, not once and again (docs/performance.md).
   *
   * @param earnings each of a positive amount
   */
  void earnAndSpendAll(List<Earning> earnings, List<Spending> spendings, Instant now) {
    requireDistinct(earnings.stream().map(Earning::contactId));
    requireDistinct(spendings.stream().map(Spending::contactId));
    if (spendings.isEmpty()) {
      if (!earnings.isEmpty()) {
        earnAll(earnings, now);
      }
      return;
    }
    record Open(UUID contactId, Lots.Lot lot, @Nullable UUID receiptId, Instant validFrom) {}
    java.util.Map<UUID, List<Open>> open = new java.util.HashMap<>();
    jdbc.sql(
            """
            select l.contact_id, l.movement_id, l.remaining, l.expires_at, l.earned_at,
                   (select m.receipt_id from point_movements m where m.id = l.movement_id),
                   l.valid_from
            from point_lots l
            where l.contact_id = any(?::uuid[]) and l.remaining > 0
            """)
        .param(spendings.stream().map(Spending::contactId).toArray(UUID[]::new))
        .query(
            (rs, n) ->
                new Open(
                    rs.getObject(1, UUID.class),
                    new Lots.Lot(
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant(),
                        rs.getTimestamp(5).toInstant()),
                    rs.getObject(6, UUID.class),
                    rs.getTimestamp(7).toInstant()))
        .list()
        .forEach(o -> open.computeIfAbsent(o.contactId(), k -> new java.util.ArrayList<>()).add(o));
    // The lots the earnings open, not written yet: ids above every stored lot's, so that among
    // lots of the same expiry and date a stored one is drawn first, as when the new lot was
    // written before the spending read it.
    long newLots = Long.MAX_VALUE - earnings.size();
    long[] newLotLeft = new long[earnings.size()];
    java.util.Map<UUID, Long> net = new java.util.LinkedHashMap<>();
    for (int i = 0; i < earnings.size(); i++) {
      Earning e = earnings.get(i);
      if (e.amount() <= 0) {
        throw new IllegalArgumentException("an earning of " + e.amount() + " points");
      }
      newLotLeft[i] = e.remaining();
      net.merge(e.contactId(), e.amount(), Long::sum);
      if (e.remaining() > 0) {
        open.computeIfAbsent(e.contactId(), k -> new java.util.ArrayList<>())
            .add(
                new Open(
                    e.contactId(),
                    new Lots.Lot(newLots + 1 + i, e.remaining(), e.expiresAt(), e.earnedAt()),
                    e.receiptId(),
                    e.validFrom()));
      }
    }
    Timestamp at = Timestamp.from(now);
    List<Object[]> movements = new java.util.ArrayList<>();
    for (Earning e : earnings) {
      movements.add(
          new Object[] {
            e.contactId(),
            e.amount(),
            e.type(),
            e.reason(),
            e.receiptId(),
            e.source(),
            Timestamp.from(e.validFrom()),
            e.expiresAt() == null ? null : Timestamp.from(e.expiresAt())
          });
    }
    List<Lots.Draw> draws = new java.util.ArrayList<>();
    // The spendings' movements need nothing back: a COPY after the statement writes them, after
    // the earnings' (docs/performance.md, "Thirteenth session").
    CopyRows spent =
        new CopyRows(
            "point_movements (contact_id, amount, type, reason, receipt_id, voucher_id, source,"
                + " valid_from, expires_at, created_at)");
    for (Spending s : spendings) {
      List<Open> usable =
          open.getOrDefault(s.contactId(), List.of()).stream()
              .filter(o -> !s.activeOnly() || !o.validFrom().isAfter(now))
              .toList();
      for (Lots.Draw d :
          Lots.spend(
              s.amount(),
              usable.stream()
                  .filter(o -> o.receiptId() != null && s.fromReceipts().contains(o.receiptId()))
                  .map(Open::lot)
                  .toList(),
              usable.stream()
                  .filter(o -> o.receiptId() == null || !s.fromReceipts().contains(o.receiptId()))
                  .map(Open::lot)
                  .toList())) {
        if (d.lotId() > newLots) {
          newLotLeft[(int) (d.lotId() - newLots - 1)] -= d.points();
        } else {
          draws.add(d);
        }
      }
      net.merge(s.contactId(), -s.amount(), Long::sum);
      for (Part p : s.parts()) {
        spent
            .value(s.contactId())
            .value(-p.amount())
            .value(s.type())
            .value(s.reason())
            .value(s.receiptId())
            .value(p.voucherId())
            .value(s.source())
            .value(at)
            .value(null)
            .value(at)
            .endRow();
      }
    }
    // The earnings' movements in order, the new lots joined to them (one earning a member), the
    // older lots drawn and the totals: one statement, one round trip.
    jdbc.sql(
            """
            with m as (
              insert into point_movements (contact_id, amount, type, reason, receipt_id,
                                           source, valid_from, expires_at, created_at)
              select p.contact_id, p.amount, p.type, p.reason, p.receipt_id, p.source,
                     p.valid_from, p.expires_at, ?
              from unnest(?::uuid[], ?::bigint[], ?::text[], ?::text[], ?::uuid[], ?::text[],
                          ?::timestamptz[], ?::timestamptz[]) with ordinality
                   as p(contact_id, amount, type, reason, receipt_id, source, valid_from,
                        expires_at, n)
              order by p.n
              returning id, contact_id, amount),
            n as (
              insert into point_lots (movement_id, contact_id, remaining, valid_from, expires_at,
                                      earned_at, activated)
              select m.id, e.contact_id, e.remaining, e.valid_from, e.expires_at, e.earned_at,
                     e.valid_from <= ?
              from unnest(?::uuid[], ?::bigint[], ?::timestamptz[], ?::timestamptz[],
                          ?::timestamptz[])
                   as e(contact_id, remaining, valid_from, expires_at, earned_at)
              join m on m.contact_id = e.contact_id),
            l as (
              update point_lots l
              set remaining = l.remaining - (?::bigint[])[array_position(?::bigint[], l.movement_id)]
              where l.movement_id = any(?::bigint[]))
            update point_accounts a
            set total = a.total + (?::bigint[])[array_position(?::uuid[], a.contact_id)],
                updated_at = ?
            where a.contact_id = any(?::uuid[])
            """)
        .params(
            java.util.Arrays.asList(
                at,
                column(movements, 0, UUID[]::new),
                column(movements, 1, Long[]::new),
                column(movements, 2, String[]::new),
                column(movements, 3, String[]::new),
                column(movements, 4, UUID[]::new),
                column(movements, 5, String[]::new),
                column(movements, 6, Timestamp[]::new),
                column(movements, 7, Timestamp[]::new),
                at,
                earnings.stream().map(Earning::contactId).toArray(UUID[]::new),
                java.util.Arrays.stream(newLotLeft).boxed().toArray(Long[]::new),
                earnings.stream().map(e -> Timestamp.from(e.validFrom())).toArray(Timestamp[]::new),
                earnings.stream()
                    .map(e -> e.expiresAt() == null ? null : Timestamp.from(e.expiresAt()))
                    .toArray(Timestamp[]::new),
                earnings.stream().map(e -> Timestamp.from(e.earnedAt())).toArray(Timestamp[]::new),
                draws.stream().map(Lots.Draw::points).toArray(Long[]::new),
                draws.stream().map(Lots.Draw::lotId).toArray(Long[]::new),
                draws.stream().map(Lots.Draw::lotId).toArray(Long[]::new),
                net.values().toArray(Long[]::new),
                net.keySet().toArray(UUID[]::new),
                at,
                net.keySet().toArray(UUID[]::new)))
        .update();
    spent.into(template);
  }

  /** One column of rows, as an array for {@code unnest}. */
  @SuppressWarnings("unchecked")
  static <X> X[] column(List<Object[]> rows, int index, java.util.function.IntFunction<X[]> array) {
    X[] values = array.apply(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      values[i] = (X) rows.get(i)[index];
    }
    return values;
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

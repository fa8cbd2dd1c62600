package org.stamkund.server.loyalty;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.server.platform.CopyRows;
import org.stamkund.server.platform.DomainEvent;
import org.stamkund.server.platform.DomainEvents;

/**
 * Reward vouchers (Engage: bonus checks). Redeeming and reactivating are single conditional
 * updates, so racing calls have exactly one effect.
 */
@Component
class VoucherBook {

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate transactions;
  private final VoucherNumbers numbers;

  VoucherBook(
      JdbcClient jdbc,
      JdbcTemplate template,
      ApplicationEventPublisher events,
      TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.template = template;
    this.events = events;
    this.transactions = transactions;
    this.numbers = new VoucherNumbers(jdbc);
  }

  /**
   * Publishes {@code voucher.<what>} in the caller's transaction: ids, number, value and dates,
   * nothing personal.
   */
  private void publish(String what, Voucher v, @Nullable UUID receiptId) {
    events.publishEvent(event(what, v, receiptId));
  }

  private static DomainEvent event(String what, Voucher v, @Nullable UUID receiptId) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("voucherId", v.id().toString());
    data.put("contactId", v.contactId().toString());
    data.put("checkNumber", v.checkNumber());
    data.put("name", v.name());
    data.put("value", v.value());
    data.put("currency", v.currency());
    data.put("points", v.points());
    data.put("expiresOn", v.expiresOn().toString());
    if (receiptId != null) {
      data.put("receiptId", receiptId.toString());
    }
    data.put("reactivations", v.reactivations());
    return new DomainEvent("voucher." + what, v.contactId(), data);
  }

  /** A voucher as stored. */
  record Voucher(
      UUID id,
      UUID contactId,
      String checkNumber,
      String name,
      BigDecimal value,
      String currency,
      long points,
      Instant createdAt,
      Instant expiresOn,
      @Nullable Instant redeemedAt,
      int reactivations,
      @Nullable Instant expiredAt) {

    boolean available(Instant now) {
      return redeemedAt == null && expiresOn.isAfter(now);
    }
  }

  /** A voucher to issue: its holder, id, value and the points it took. */
  record NewVoucher(UUID contactId, UUID id, BigDecimal value, long points) {}

  /**
   * Issues vouchers of one kind, for one member or several, numbered in the order given, each
   * announced as {@code voucher.created} (published together: a receipt's points often become
   * several vouchers). Their numbers come from {@link VoucherNumbers} and one COPY writes them,
   * which costs PostgreSQL and the server less than an insert from arrays that returns its rows
   * (docs/performance.md, "Thirteenth session").
   */
  void issueAll(
      String name, String currency, List<NewVoucher> issued, Instant now, Instant expiresOn) {
    if (issued.isEmpty()) {
      return;
    }
    List<String> numbers = this.numbers.take(issued.size());
    // As PostgreSQL keeps them, so the events say what a read would.
    Instant created = CopyRows.stored(now);
    Instant expires = CopyRows.stored(expiresOn);
    CopyRows copy =
        new CopyRows(
            "vouchers (id, contact_id, check_number, name, value, currency, points, created_at,"
                + " expires_on)");
    List<DomainEvent> announced = new java.util.ArrayList<>(issued.size());
    for (int i = 0; i < issued.size(); i++) {
      NewVoucher v = issued.get(i);
      Voucher voucher =
          new Voucher(
              v.id(),
              v.contactId(),
              numbers.get(i),
              name,
              v.value(),
              currency,
              v.points(),
              created,
              expires,
              null,
              0,
              null);
      copy.value(voucher.id())
          .value(voucher.contactId())
          .text(voucher.checkNumber())
          .text(name)
          .value(voucher.value())
          .text(currency)
          .value(voucher.points())
          .value(created)
          .value(expires)
          .endRow();
      announced.add(event("created", voucher, null));
    }
    copy.into(template);
    events.publishEvent(new DomainEvents(announced));
  }

  Optional<Voucher> find(UUID id) {
    return jdbc.sql("select * from vouchers where id = ?")
        .param(id)
        .query(VoucherBook::map)
        .optional();
  }

  /** Marks used; empty when the voucher is not this contact's, already used, or expired. */
  Optional<Voucher> redeem(UUID contactId, UUID id, @Nullable UUID receiptId, Instant now) {
    Optional<Voucher> redeemed =
        transactions.execute(tx -> redeemInTransaction(contactId, id, receiptId, now));
    return redeemed == null ? Optional.empty() : redeemed;
  }

  private Optional<Voucher> redeemInTransaction(
      UUID contactId, UUID id, @Nullable UUID receiptId, Instant now) {
    Optional<Voucher> redeemed =
        jdbc.sql(
                """
            update vouchers set redeemed_at = ?, redeemed_receipt_id = ?
            where id = ? and contact_id = ? and redeemed_at is null and expires_on > ?
            returning *
            """)
            .params(
                java.util.Arrays.asList(
                    Timestamp.from(now), receiptId, id, contactId, Timestamp.from(now)))
            .query(VoucherBook::map)
            .optional();
    redeemed.ifPresent(v -> publish("redeemed", v, receiptId));
    return redeemed;
  }

  /**
   * Redeems by printed number on a receipt: usable if it was valid when the purchase was made (a
   * buffered receipt may arrive after the voucher's date). A voucher the same member already
   * redeemed through the API is linked to the receipt, so a full return reactivates it.
   */
  void redeemByNumber(
      UUID contactId, String checkNumber, UUID receiptId, Instant purchasedAt, Instant now) {
    List<Voucher> redeemed =
        jdbc.sql(
                """
                update vouchers set redeemed_at = ?, redeemed_receipt_id = ?
                where check_number = ? and contact_id = ? and redeemed_at is null
                  and expires_on > ?
                returning *
                """)
            .params(
                Timestamp.from(now), receiptId, checkNumber, contactId, Timestamp.from(purchasedAt))
            .query(VoucherBook::map)
            .list();
    redeemed.forEach(v -> publish("redeemed", v, receiptId));
    if (redeemed.isEmpty()) {
      jdbc.sql(
              """
              update vouchers set redeemed_receipt_id = ?
              where check_number = ? and contact_id = ? and redeemed_at is not null
                and redeemed_receipt_id is null
              """)
          .params(receiptId, checkNumber, contactId)
          .update();
    }
  }

  /** Undoes a redemption within the limits; empty when not redeemed, expired or at the limit. */
  Optional<Voucher> reactivate(UUID id, int maxReactivations, Instant now) {
    Optional<Voucher> reactivated =
        transactions.execute(tx -> reactivateInTransaction(id, maxReactivations, now));
    return reactivated == null ? Optional.empty() : reactivated;
  }

  private Optional<Voucher> reactivateInTransaction(UUID id, int maxReactivations, Instant now) {
    Optional<Voucher> reactivated =
        jdbc.sql(
                """
            update vouchers set redeemed_at = null, redeemed_receipt_id = null,
                                reactivations = reactivations + 1
            where id = ? and redeemed_at is not null and expires_on > ? and reactivations < ?
            returning *
            """)
            .params(id, Timestamp.from(now), maxReactivations)
            .query(VoucherBook::map)
            .optional();
    reactivated.ifPresent(v -> publish("reactivated", v, null));
    return reactivated;
  }

  /** Reactivates every voucher used on a receipt; returns them. */
  List<Voucher> reactivateUsedOn(UUID receiptId, int maxReactivations, Instant now) {
    List<Voucher> reactivated =
        jdbc.sql(
                """
            update vouchers set redeemed_at = null, redeemed_receipt_id = null,
                                reactivations = reactivations + 1
            where redeemed_receipt_id = ? and expires_on > ? and reactivations < ?
            returning *
            """)
            .params(receiptId, Timestamp.from(now), maxReactivations)
            .query(VoucherBook::map)
            .list();
    reactivated.forEach(v -> publish("reactivated", v, receiptId));
    return reactivated;
  }

  /** Which: all, available or redeemed. */
  enum Filter {
    ALL,
    AVAILABLE,
    REDEEMED
  }

  List<Voucher> list(UUID contactId, Filter filter, Instant now, int offset, int count) {
    return jdbc.sql(
            "select * from vouchers where contact_id = ?"
                + where(filter)
                + " order by created_at desc, check_number desc offset ? limit ?")
        .params(params(contactId, filter, now, offset, count))
        .query(VoucherBook::map)
        .list();
  }

  long count(UUID contactId, Filter filter, Instant now) {
    return jdbc.sql("select count(*) from vouchers where contact_id = ?" + where(filter))
        .params(params(contactId, filter, now, null, null))
        .query(Long.class)
        .single();
  }

  private static String where(Filter filter) {
    return switch (filter) {
      case ALL -> "";
      case AVAILABLE -> " and redeemed_at is null and expires_on > ?";
      case REDEEMED -> " and redeemed_at is not null";
    };
  }

  private static List<Object> params(
      UUID contactId,
      Filter filter,
      Instant now,
      @Nullable Integer offset,
      @Nullable Integer count) {
    List<Object> params = new java.util.ArrayList<>();
    params.add(contactId);
    if (filter == Filter.AVAILABLE) {
      params.add(Timestamp.from(now));
    }
    if (offset != null && count != null) {
      params.add(offset);
      params.add(count);
    }
    return params;
  }

  /** Marks vouchers past their date as expired; returns them. */
  List<Voucher> markExpired(Instant now, int limit) {
    List<Voucher> expired =
        jdbc.sql(
                """
            update vouchers set expired_at = ?
            where id in (select id from vouchers
                         where redeemed_at is null and expired_at is null and expires_on <= ?
                         order by expires_on limit ? for update skip locked)
            returning *
            """)
            .params(Timestamp.from(now), Timestamp.from(now), limit)
            .query(VoucherBook::map)
            .list();
    expired.forEach(v -> publish("expired", v, null));
    return expired;
  }

  private static Voucher map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new Voucher(
        rs.getObject("id", UUID.class),
        rs.getObject("contact_id", UUID.class),
        rs.getString("check_number"),
        rs.getString("name"),
        rs.getBigDecimal("value"),
        rs.getString("currency"),
        rs.getLong("points"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("expires_on").toInstant(),
        rs.getTimestamp("redeemed_at") == null ? null : rs.getTimestamp("redeemed_at").toInstant(),
        rs.getInt("reactivations"),
        rs.getTimestamp("expired_at") == null ? null : rs.getTimestamp("expired_at").toInstant());
  }
}

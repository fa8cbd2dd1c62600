package org.stamkund.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the database itself allows: the rows one receipt writes, in one transaction per receipt, and
 * the key lookup's index query, by plain JDBC on the same PostgreSQL at the same concurrency.
 *
 * <p>The receipt writes what the engine's receipt writes in this workload: the receipt with its
 * body, its lines, the earning's movement and lot, the member's account and level, and, as the
 * default programme turns every 500 points into a voucher, the vouchers with one spending movement
 * each, the lots they draw, and an outbox row for each event (receipt, points, every voucher).
 */
final class Ceilings implements AutoCloseable {

  private final HikariDataSource pool;
  private final Workload workload;
  private final String run;

  Ceilings(String jdbcUrl, int connections, Workload workload, String run) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername("postgres");
    config.setPassword("postgres");
    config.setMaximumPoolSize(connections);
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    this.pool = new HikariDataSource(config);
    this.workload = workload;
    this.run = run;
  }

  /**
   * The key lookup's query: the contact by its type's key, found through the index on its e-mail
   * column and type (since V13 the key is kept there; before, the ceiling went through the key
   * row).
   */
  void lookup() throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select c.* from contacts c where c.email = ? and c.contact_type_id = 'Member'")) {
      s.setString(1, workload.randomMemberEmail());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("member not found");
        }
      }
    }
  }

  /** Points a voucher costs in the default programme, and what it is worth. */
  private static final long VOUCHER_POINTS = 500;

  /**
   * The rows of one 1-8 line purchase: the receipt, its lines, a points movement and its lot, the
   * member's account and level, the vouchers its points convert into and their spending, and the
   * events; one transaction, the member's account row locked.
   */
  void receipt() throws SQLException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Instant now = Instant.now();
    Timestamp ts = Timestamp.from(now);
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      UUID contact;
      long before;
      try (PreparedStatement s =
          c.prepareStatement(
              "select id from contacts where email = ? and contact_type_id = 'Member'")) {
        s.setString(1, workload.randomMemberEmail());
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          contact = rs.getObject(1, UUID.class);
        }
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "insert into point_accounts (contact_id, total) values (?, 0)"
                  + " on conflict (contact_id) do update set updated_at = excluded.updated_at"
                  + " returning total")) {
        s.setObject(1, contact);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          before = rs.getLong(1);
        }
      }
      UUID receipt = UUID.randomUUID();
      int lines = random.nextInt(1, 9);
      long points = 0;
      try (PreparedStatement s =
          c.prepareStatement(
              "insert into receipts (id, unique_receipt_id, contact_id, match_key_type, match_key,"
                  + " receipt_number, created_date, store_external_id, currency, exchange_rate,"
                  + " total_gross_price, payload, status, received_at)"
                  + " values (?, ?, ?, 'email', 'x', '1', ?, 'ceiling', 'SEK', 1, 100, ?::json,"
                  + " 'Unmatched', ?) on conflict (unique_receipt_id) do nothing")) {
        s.setObject(1, receipt);
        s.setString(2, run + "-ceiling-" + receipt);
        s.setObject(3, contact);
        s.setTimestamp(4, ts);
        s.setString(5, workload.receipt());
        s.setTimestamp(6, ts);
        s.executeUpdate();
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "insert into receipt_lines (receipt_id, contact_id, line_index, type, sku,"
                  + " quantity, gross_paid_price, group_amount, points, created_date)"
                  + " values (?, ?, ?, 'PURCHASE', 'SKU', 1, ?, ?, ?, ?)")) {
        for (int l = 0; l < lines; l++) {
          int price = random.nextInt(49, 1500);
          points += price;
          s.setObject(1, receipt);
          s.setObject(2, contact);
          s.setInt(3, l);
          s.setInt(4, price);
          s.setInt(5, price);
          s.setLong(6, price);
          s.setTimestamp(7, ts);
          s.addBatch();
        }
        s.executeBatch();
      }
      long movement;
      try (PreparedStatement s =
          c.prepareStatement(
              "insert into point_movements (contact_id, amount, type, reason, receipt_id,"
                  + " valid_from, expires_at, created_at) values (?, ?, 'Purchase', 'Receipt', ?,"
                  + " ?, ?, ?) returning id")) {
        s.setObject(1, contact);
        s.setLong(2, points);
        s.setObject(3, receipt);
        s.setTimestamp(4, ts);
        s.setTimestamp(5, Timestamp.from(now.plus(Duration.ofDays(730))));
        s.setTimestamp(6, ts);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          movement = rs.getLong(1);
        }
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "insert into point_lots (movement_id, contact_id, remaining, valid_from, expires_at,"
                  + " earned_at, activated) values (?, ?, ?, ?, ?, ?, true)")) {
        s.setLong(1, movement);
        s.setObject(2, contact);
        s.setLong(3, points);
        s.setTimestamp(4, ts);
        s.setTimestamp(5, Timestamp.from(now.plus(Duration.ofDays(730))));
        s.setTimestamp(6, ts);
        s.executeUpdate();
      }
      long vouchers = Math.max(0, before + points) / VOUCHER_POINTS;
      long after = before + points - vouchers * VOUCHER_POINTS;
      if (vouchers > 0) {
        convert(c, contact, receipt, movement, vouchers, after, now);
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "update point_accounts set total = ?, last_activity = ? where contact_id = ?")) {
        s.setLong(1, after);
        s.setTimestamp(2, ts);
        s.setObject(3, contact);
        s.executeUpdate();
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "update receipts set status = 'Processed', points = ?, processed_at = ? where id = ?")) {
        s.setLong(1, points);
        s.setTimestamp(2, ts);
        s.setObject(3, receipt);
        s.executeUpdate();
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "insert into member_levels (contact_id, tier_id, value, since, updated_at)"
                  + " values (?, 'bronze', ?, ?, ?) on conflict (contact_id) do update set"
                  + " value = member_levels.value + excluded.value, updated_at = excluded.updated_at")) {
        s.setObject(1, contact);
        s.setLong(2, points);
        s.setTimestamp(3, ts);
        s.setTimestamp(4, ts);
        s.executeUpdate();
      }
      events(c, contact, receipt, points, after, vouchers, ts);
      c.commit();
    }
  }

  /** The vouchers, one spending movement each, and the lots they draw (all but what is left). */
  private static void convert(
      Connection c,
      UUID contact,
      UUID receipt,
      long movement,
      long vouchers,
      long left,
      Instant now)
      throws SQLException {
    Timestamp ts = Timestamp.from(now);
    try (PreparedStatement v =
            c.prepareStatement(
                "insert into vouchers (id, contact_id, check_number, name, value, currency,"
                    + " points, created_at, expires_on) values (?, ?,"
                    + " nextval('voucher_number_seq')::text, 'Bonus check', 50, 'SEK', ?, ?, ?)");
        PreparedStatement m =
            c.prepareStatement(
                "insert into point_movements (contact_id, amount, type, reason, receipt_id,"
                    + " voucher_id, valid_from, created_at) values (?, ?, 'BonusCheck',"
                    + " 'Bonus check', ?, ?, ?, ?)")) {
      for (long i = 0; i < vouchers; i++) {
        UUID voucher = UUID.randomUUID();
        v.setObject(1, voucher);
        v.setObject(2, contact);
        v.setLong(3, VOUCHER_POINTS);
        v.setTimestamp(4, ts);
        v.setTimestamp(5, Timestamp.from(now.plus(Duration.ofDays(90))));
        v.addBatch();
        m.setObject(1, contact);
        m.setLong(2, -VOUCHER_POINTS);
        m.setObject(3, receipt);
        m.setObject(4, voucher);
        m.setTimestamp(5, ts);
        m.setTimestamp(6, ts);
        m.addBatch();
      }
      v.executeBatch();
      m.executeBatch();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "update point_lots set remaining = case when movement_id = ? then ? else 0 end"
                + " where contact_id = ? and remaining > 0")) {
      s.setLong(1, movement);
      s.setLong(2, left);
      s.setObject(3, contact);
      s.executeUpdate();
    }
  }

  /** The outbox rows: the receipt processed, the points changed, every voucher created. */
  private static void events(
      Connection c,
      UUID contact,
      UUID receipt,
      long points,
      long balance,
      long vouchers,
      Timestamp ts)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into webhook_events (id, type, contact_id, data, occurred_at)"
                + " values (?, ?, ?, ?::json, ?)")) {
      add(
          s,
          "receipt.processed",
          contact,
          "{\"receiptId\":\""
              + receipt
              + "\",\"uniqueReceiptId\":\"ceiling-"
              + receipt
              + "\",\"receiptNumber\":\"1\",\"storeExternalId\":\"ceiling\","
              + "\"createdDate\":\""
              + ts.toInstant()
              + "\",\"earnedPoints\":"
              + points
              + ",\"pointsTakenBack\":0}",
          ts);
      add(s, "points.changed", contact, "{\"balance\":" + balance + "}", ts);
      for (long i = 0; i < vouchers; i++) {
        add(
            s,
            "voucher.created",
            contact,
            "{\"voucherId\":\""
                + UUID.randomUUID()
                + "\",\"contactId\":\""
                + contact
                + "\",\"checkNumber\":\"100000001\",\"name\":\"Bonus check\","
                + "\"value\":50,\"currency\":\"SEK\",\"points\":500,"
                + "\"expiresOn\":\""
                + ts.toInstant()
                + "\",\"reactivations\":0}",
            ts);
      }
      s.executeBatch();
    }
  }

  private static void add(PreparedStatement s, String type, UUID contact, String data, Timestamp ts)
      throws SQLException {
    s.setObject(1, UUID.randomUUID());
    s.setString(2, type);
    s.setObject(3, contact);
    s.setString(4, data);
    s.setTimestamp(5, ts);
    s.addBatch();
  }

  @Override
  public void close() {
    pool.close();
  }
}

package org.stamkund.connector.oms;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;
import org.stamkund.connector.Sqlite;
import org.stamkund.connector.StorageException;
import org.stamkund.connector.oms.CartVouchers.Application;
import org.stamkund.connector.oms.CartVouchers.Status;
import org.stamkund.connector.oms.CartVouchers.Voucher;

/**
 * The vouchers file of {@link CartVouchers}: its schema, and every read and conditional update of
 * it. Each status change is one statement (or one transaction) whose condition holds the rule, so
 * processes sharing the file cannot both make it. Changes are stamped with the clock's time.
 *
 * <p>A voucher's {@code engine_todo} ({@code redeem} or {@code reactivate}) marks an engine call
 * decided but not yet in the outbox; the engine's view does not change a marked voucher.
 */
final class VoucherFile implements AutoCloseable {

  static final String REDEEM = "redeem";
  static final String REACTIVATE = "reactivate";

  private static final int CONNECTIONS = 4;
  private static final String COLUMNS =
      "id, contact_id, check_number, name, amount, currency, expires_at, status, cart_id,"
          + " changed_at";

  private final InstantSource clock;
  private final Duration retention;
  private final List<Connection> connections;
  private final BlockingQueue<Connection> idle;
  private volatile boolean closed;

  private VoucherFile(InstantSource clock, Duration retention, List<Connection> connections) {
    this.clock = clock;
    this.retention = retention;
    this.connections = List.copyOf(connections);
    this.idle = new ArrayBlockingQueue<>(connections.size(), false, connections);
  }

  /**
   * Opens (creating it if needed) the file.
   *
   * @param retention how long Redeemed and Expired vouchers are kept
   */
  static VoucherFile open(Path file, InstantSource clock, Duration retention) {
    List<Connection> opened = new ArrayList<>();
    try {
      for (int i = 0; i < CONNECTIONS; i++) {
        Connection c = Sqlite.open(file);
        opened.add(c);
        if (i == 0) {
          createSchema(c);
        }
      }
    } catch (SQLException | RuntimeException e) {
      closeAll(opened);
      if (e instanceof SQLException sql) {
        throw new StorageException("cannot create the vouchers tables", sql);
      }
      throw (RuntimeException) e;
    }
    return new VoucherFile(clock, retention, opened);
  }

  @Override
  public void close() {
    closed = true;
    closeAll(connections);
  }

  // ---------------------------------------------------------------------------------------------
  // reads

  /**
   * The contact's vouchers: Available first, then Applied, Redeemed and Expired; each by expiry.
   */
  List<Voucher> ofContact(String contactId) {
    return query(
        "read the vouchers",
        "select "
            + COLUMNS
            + " from vouchers where contact_id = ? order by case status"
            + " when 'AVAILABLE' then 0 when 'APPLIED' then 1 when 'REDEEMED' then 2"
            + " else 3 end, coalesce(expires_at, 9223372036854775807), id",
        VoucherFile::voucher,
        contactId);
  }

  Optional<Voucher> voucher(String voucherId) {
    return query(
            "read a voucher",
            "select " + COLUMNS + " from vouchers where id = ?",
            VoucherFile::voucher,
            voucherId)
        .stream()
        .findFirst();
  }

  /** The cart's Applied vouchers, by id. */
  List<Voucher> onCart(String cartId) {
    return query(
        "read a cart's vouchers",
        "select " + COLUMNS + " from vouchers where cart_id = ? and status = 'APPLIED' order by id",
        VoucherFile::voucher,
        cartId);
  }

  /** The ids of the cart's Redeemed vouchers, in order. */
  List<String> redeemedOnCart(String cartId) {
    return query(
        "read a cart's vouchers",
        "select id from vouchers where cart_id = ? and status = 'REDEEMED' order by id",
        rs -> rs.getString(1),
        cartId);
  }

  /** When the contact's list was last read from the engine in full. */
  Optional<Instant> refreshedAt(String contactId) {
    return query(
            "read the vouchers",
            "select refreshed_at from refreshes where contact_id = ?",
            rs -> Instant.ofEpochMilli(rs.getLong(1)),
            contactId)
        .stream()
        .findFirst();
  }

  // ---------------------------------------------------------------------------------------------
  // the engine's view

  /** The contact's list was just read from the engine in full. */
  void recordRefresh(String contactId) {
    update(
        "record a refresh",
        "insert into refreshes (contact_id, refreshed_at) values (?, ?)"
            + " on conflict (contact_id) do update set refreshed_at = excluded.refreshed_at",
        contactId,
        clock.millis());
  }

  /**
   * Merges a page of the engine's list in one transaction: new vouchers are added, known ones get
   * the engine's details and at most one status change (see {@link #transition}).
   *
   * @param askedAt when the engine was asked: a voucher changed here since keeps its status
   * @param reactivating vouchers whose reactivation waits in the outbox: not made Redeemed
   * @return rows added or changed in status
   */
  int merge(
      String contactId, List<EngineVoucher> vouchers, long askedAt, Set<String> reactivating) {
    if (vouchers.isEmpty()) {
      return 0;
    }
    long now = clock.millis();
    long horizon = now - retention.toMillis();
    return transaction(
        "import vouchers",
        c -> {
          int changed = 0;
          for (EngineVoucher v : vouchers) {
            // Used or expired long ago (or at an unknown time): nothing to do here, and the purge
            // would only drop it again.
            Instant happened =
                switch (v.status()) {
                  case AVAILABLE, APPLIED -> Instant.ofEpochMilli(now);
                  case REDEEMED -> v.redeemedAt();
                  case EXPIRED -> v.expiresAt();
                };
            if (happened != null
                && happened.toEpochMilli() >= horizon
                && insert(c, contactId, v, happened) == 1) {
              changed++;
              continue;
            }
            update(
                c,
                "update vouchers set check_number = ?, name = ?, amount = ?, currency = ?,"
                    + " expires_at = ? where id = ? and contact_id = ?",
                v.checkNumber(),
                v.name(),
                v.amount(),
                v.currency(),
                v.expiresAt(),
                v.id(),
                contactId);
            changed += transition(c, contactId, v, askedAt, now, reactivating);
          }
          return changed;
        });
  }

  private static int insert(Connection c, String contactId, EngineVoucher v, Instant changedAt)
      throws SQLException {
    return update(
        c,
        """
        insert into vouchers (id, contact_id, check_number, name, amount, currency, expires_at,
          status, changed_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing""",
        v.id(),
        contactId,
        v.checkNumber(),
        v.name(),
        v.amount(),
        v.currency(),
        v.expiresAt(),
        v.status(),
        changedAt);
  }

  /**
   * The one status change the engine's view may make, as a single conditional update: Expired back
   * to Available while unexpired here, Available or Expired to Redeemed, Available to Expired.
   * Never an Applied voucher, a marked one, or one changed here since {@code askedAt}; never
   * Redeemed while its reactivation waits in the outbox.
   */
  private static int transition(
      Connection c,
      String contactId,
      EngineVoucher v,
      long askedAt,
      long now,
      Set<String> reactivating)
      throws SQLException {
    if (v.status() == Status.REDEEMED && reactivating.contains(v.id())) {
      return 0;
    }
    return switch (v.status()) {
      case AVAILABLE ->
          update(
              c,
              "update vouchers set status = 'AVAILABLE', changed_at = ? where id = ?"
                  + " and contact_id = ? and status = 'EXPIRED' and engine_todo is null"
                  + " and changed_at < ? and (expires_at is null or expires_at > ?)",
              now,
              v.id(),
              contactId,
              askedAt,
              now);
      case REDEEMED ->
          update(
              c,
              "update vouchers set status = 'REDEEMED', changed_at = ? where id = ?"
                  + " and contact_id = ? and status in ('AVAILABLE', 'EXPIRED')"
                  + " and engine_todo is null and changed_at < ?",
              now,
              v.id(),
              contactId,
              askedAt);
      case EXPIRED ->
          update(
              c,
              "update vouchers set status = 'EXPIRED', changed_at = ? where id = ?"
                  + " and contact_id = ? and status = 'AVAILABLE' and engine_todo is null"
                  + " and changed_at < ?",
              now,
              v.id(),
              contactId,
              askedAt);
      case APPLIED -> 0;
    };
  }

  /** The engine no longer knows the contact: its unused vouchers and its refresh time go. */
  int forget(String contactId) {
    return transaction(
        "forget a contact's vouchers",
        c -> {
          int removed =
              update(
                  c,
                  "delete from vouchers where contact_id = ? and status in ('AVAILABLE', 'EXPIRED')"
                      + " and engine_todo is null",
                  contactId);
          update(c, "delete from refreshes where contact_id = ?", contactId);
          return removed;
        });
  }

  // ---------------------------------------------------------------------------------------------
  // carts

  /**
   * Available becomes Applied to the cart where the voucher is the contact's and unexpired;
   * otherwise says why not.
   */
  Application apply(String cartId, String contactId, String voucherId) {
    // A voucher that turns Available again between the update and the read is tried again.
    for (int attempt = 0; ; attempt++) {
      long now = clock.millis();
      Optional<Application> a =
          db(
              "apply a voucher",
              c -> {
                List<Application> applied =
                    query(
                        c,
                        """
                        update vouchers set status = 'APPLIED', cart_id = ?, changed_at = ?
                        where id = ? and contact_id = ? and status = 'AVAILABLE'
                          and (expires_at is null or expires_at > ?)
                        returning amount, currency""",
                        rs ->
                            new Application.Applied(
                                voucherId, new BigDecimal(rs.getString(1)), rs.getString(2)),
                        cartId,
                        now,
                        voucherId,
                        contactId,
                        now);
                if (!applied.isEmpty()) {
                  return Optional.of(applied.getFirst());
                }
                List<Optional<Application>> notApplied =
                    query(
                        c,
                        "select status, cart_id, amount, currency, expires_at from vouchers"
                            + " where id = ? and contact_id = ?",
                        rs -> whyNotApplied(rs, cartId, voucherId, now),
                        voucherId,
                        contactId);
                return notApplied.isEmpty()
                    ? Optional.of(new Application.NotFound(voucherId))
                    : notApplied.getFirst();
              });
      if (a.isPresent()) {
        return a.get();
      }
      if (attempt >= 3) {
        throw new IllegalStateException("voucher " + voucherId + " keeps changing under a cart");
      }
    }
  }

  /** Empty when the voucher is Available and unexpired after all. */
  private static Optional<Application> whyNotApplied(
      ResultSet rs, String cartId, String voucherId, long now) throws SQLException {
    Status status = Status.valueOf(rs.getString(1));
    return switch (status) {
      case APPLIED ->
          Optional.of(
              cartId.equals(rs.getString(2))
                  ? new Application.AlreadyOnThisCart(
                      voucherId, new BigDecimal(rs.getString(3)), rs.getString(4))
                  : new Application.OnAnotherCart(voucherId));
      case REDEEMED, EXPIRED -> Optional.of(new Application.NotAvailable(voucherId, status));
      case AVAILABLE -> {
        long expiresAt = rs.getLong(5);
        yield !rs.wasNull() && expiresAt <= now
            ? Optional.of(new Application.NotAvailable(voucherId, Status.EXPIRED))
            : Optional.empty();
      }
    };
  }

  /** Applied becomes Available (Expired past its date); false when the cart did not hold it. */
  boolean removeFromCart(String cartId, String voucherId) {
    long now = clock.millis();
    return update(
            "remove a voucher from a cart",
            """
            update vouchers set cart_id = null, changed_at = ?,
              status = case when expires_at is not null and expires_at <= ? then 'EXPIRED'
                else 'AVAILABLE' end
            where id = ? and cart_id = ? and status = 'APPLIED'""",
            now,
            now,
            voucherId,
            cartId)
        == 1;
  }

  /** The cart's Applied vouchers become Redeemed, marked {@link #REDEEM}; returned by id. */
  List<Voucher> capture(String cartId) {
    List<Voucher> captured =
        query(
            "capture a cart's vouchers",
            "update vouchers set status = 'REDEEMED', changed_at = ?, engine_todo = 'redeem'"
                + " where cart_id = ? and status = 'APPLIED' returning "
                + COLUMNS,
            VoucherFile::voucher,
            clock.millis(),
            cartId);
    return captured.stream().sorted(Comparator.comparing(Voucher::id)).toList();
  }

  /**
   * A Redeemed voucher past its date becomes Expired, leaving its cart.
   *
   * @return false when it is not Redeemed, is marked, or is not past its date
   */
  boolean expireRedeemed(String voucherId) {
    long now = clock.millis();
    return update(
            "credit a voucher",
            "update vouchers set status = 'EXPIRED', cart_id = null, changed_at = ?"
                + " where id = ? and status = 'REDEEMED' and engine_todo is null"
                + " and expires_at is not null and expires_at <= ?",
            now,
            voucherId,
            now)
        == 1;
  }

  /**
   * Marks a Redeemed voucher {@link #REACTIVATE}.
   *
   * @return false when it is not Redeemed or is marked already
   */
  boolean markReactivation(String voucherId) {
    return update(
            "credit a voucher",
            "update vouchers set engine_todo = 'reactivate' where id = ?"
                + " and status = 'REDEEMED' and engine_todo is null",
            voucherId)
        == 1;
  }

  // ---------------------------------------------------------------------------------------------
  // engine calls

  /** An engine call marked on a voucher. */
  record Todo(String voucherId, String contactId, String call) {}

  /** The marked engine calls, oldest first. */
  List<Todo> todos() {
    return query(
        "read unfinished engine calls",
        "select id, contact_id, engine_todo from vouchers where engine_todo is not null"
            + " order by changed_at, id",
        rs -> new Todo(rs.getString(1), rs.getString(2), rs.getString(3)));
  }

  /** The engine call {@code call} is sent or buffered: its mark goes. */
  void callDone(String voucherId, String call) {
    update(
        "record an engine call",
        "update vouchers set engine_todo = null, changed_at = ? where id = ? and engine_todo = ?",
        clock.millis(),
        voucherId,
        call);
  }

  /**
   * The engine call {@code call} is sent or buffered: its mark goes, and the voucher becomes {@code
   * status}, on no cart.
   */
  void callDone(String voucherId, String call, Status status) {
    update(
        "record an engine call",
        "update vouchers set engine_todo = null, changed_at = ?, cart_id = null, status = ?"
            + " where id = ? and engine_todo = ?",
        clock.millis(),
        status,
        voucherId,
        call);
  }

  // ---------------------------------------------------------------------------------------------
  // expiry and retention

  /** Unmarked Available vouchers past their date become Expired; returns how many. */
  int expireDue() {
    long now = clock.millis();
    return update(
        "expire vouchers",
        "update vouchers set status = 'EXPIRED', changed_at = ?"
            + " where status = 'AVAILABLE' and engine_todo is null"
            + " and expires_at is not null and expires_at <= ?",
        now,
        now);
  }

  /**
   * Deletes unmarked Redeemed and Expired vouchers changed before the retention, and the refresh
   * times of contacts left without vouchers; returns how many vouchers.
   */
  int purge() {
    long cutoff = clock.millis() - retention.toMillis();
    return transaction(
        "purge vouchers",
        c -> {
          int purged =
              update(
                  c,
                  "delete from vouchers where status in ('REDEEMED', 'EXPIRED')"
                      + " and engine_todo is null and changed_at < ?",
                  cutoff);
          update(
              c,
              "delete from refreshes where refreshed_at < ? and contact_id not in"
                  + " (select contact_id from vouchers)",
              cutoff);
          return purged;
        });
  }

  // ---------------------------------------------------------------------------------------------
  // the file

  @FunctionalInterface
  private interface Work<T extends @Nullable Object> {
    T run(Connection db) throws SQLException;
  }

  @FunctionalInterface
  private interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T extends @Nullable Object> T db(String what, Work<T> work) {
    if (closed) {
      throw new IllegalStateException("the vouchers file is closed");
    }
    Connection c;
    try {
      c = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the vouchers file", e);
    }
    try {
      return work.run(c);
    } catch (SQLException e) {
      throw new StorageException("cannot " + what, e);
    } finally {
      idle.add(c);
    }
  }

  private <T extends @Nullable Object> T transaction(String what, Work<T> work) {
    return db(
        what,
        c -> {
          c.setAutoCommit(false);
          try {
            T result = work.run(c);
            c.commit();
            return result;
          } catch (SQLException | RuntimeException e) {
            try {
              c.rollback();
            } catch (SQLException ignored) {
              // the original failure is what the caller needs to see
            }
            throw e;
          } finally {
            try {
              c.setAutoCommit(true);
            } catch (SQLException ignored) {
              // the next statement reports a broken connection
            }
          }
        });
  }

  private int update(String what, String sql, @Nullable Object... args) {
    return db(what, c -> update(c, sql, args));
  }

  private <T> List<T> query(String what, String sql, Row<T> row, @Nullable Object... args) {
    return db(what, c -> query(c, sql, row, args));
  }

  private static int update(Connection c, String sql, @Nullable Object... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  private static <T> List<T> query(Connection c, String sql, Row<T> row, @Nullable Object... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row.read(rs));
        }
      }
      return out;
    }
  }

  /** Times are stored as epoch milliseconds, amounts as plain text, statuses by name. */
  private static void bind(PreparedStatement ps, @Nullable Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case null -> ps.setNull(i + 1, Types.NULL);
        case String s -> ps.setString(i + 1, s);
        case Long n -> ps.setLong(i + 1, n);
        case Instant t -> ps.setLong(i + 1, t.toEpochMilli());
        case BigDecimal d -> ps.setString(i + 1, d.toPlainString());
        case Status s -> ps.setString(i + 1, s.name());
        case Object o -> throw new IllegalArgumentException("cannot store a " + o.getClass());
      }
    }
  }

  private static Voucher voucher(ResultSet rs) throws SQLException {
    long expires = rs.getLong(7);
    Instant expiresAt = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
    return new Voucher(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        new BigDecimal(rs.getString(5)),
        rs.getString(6),
        expiresAt,
        Status.valueOf(rs.getString(8)),
        rs.getString(9),
        Instant.ofEpochMilli(rs.getLong(10)));
  }

  private static void createSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          """
          create table if not exists vouchers (
            id text primary key,
            contact_id text not null,
            check_number text,
            name text,
            amount text not null,
            currency text not null,
            expires_at integer,
            status text not null
              check (status in ('AVAILABLE', 'APPLIED', 'REDEEMED', 'EXPIRED')),
            cart_id text,
            changed_at integer not null,
            engine_todo text check (engine_todo in ('redeem', 'reactivate'))
          )""");
      s.execute("create index if not exists vouchers_contact on vouchers (contact_id)");
      s.execute(
          "create index if not exists vouchers_cart on vouchers (cart_id) where cart_id is not"
              + " null");
      s.execute("create index if not exists vouchers_status on vouchers (status, changed_at)");
      s.execute(
          "create table if not exists refreshes (contact_id text primary key,"
              + " refreshed_at integer not null)");
    }
  }

  private static void closeAll(List<Connection> connections) {
    for (Connection c : connections) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing, or failing to open: nothing left to protect
      }
    }
  }
}

package org.stamkund.connector.oms;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.stamkund.connector.ApiRequest;
import org.stamkund.connector.ApiResponse;
import org.stamkund.connector.Deadline;
import org.stamkund.connector.Json;
import org.stamkund.connector.Outbox;
import org.stamkund.connector.OutboxEntry;
import org.stamkund.connector.OutboxListener;
import org.stamkund.connector.Sqlite;
import org.stamkund.connector.StamkundClient;
import org.stamkund.connector.StamkundConnector;
import org.stamkund.connector.StamkundException;
import org.stamkund.connector.StorageException;
import tools.jackson.databind.JsonNode;

/**
 * Reward vouchers (bonus checks) on an OMS's carts, after seed 001's "Vouchers": imported from the
 * engine per contact, listed, applied to a cart, redeemed when the payment is captured and
 * reactivated when it is credited, with a daily expiry that only touches vouchers still available.
 *
 * <p>Each voucher is kept in its own SQLite file, {@code vouchers.db} beside the connector's outbox
 * (same settings: WAL, synchronous FULL, secure delete), with one of four statuses: {@link
 * Status#AVAILABLE}, {@link Status#APPLIED} (held by one cart), {@link Status#REDEEMED}, {@link
 * Status#EXPIRED}. Only the contact id, the voucher's id, check number, name, value, expiry and the
 * cart id are stored; nothing personal beyond the contact id.
 *
 * <p>Choices the seed leaves open:
 *
 * <ul>
 *   <li><b>Applying is local.</b> {@link #applyToCart} is one conditional SQLite update ({@code
 *       AVAILABLE → APPLIED} where the voucher is still available and unexpired), so of carts
 *       racing for a voucher exactly one wins, also across processes sharing the file, and it works
 *       while the engine is down. Only a voucher not known locally makes it ask the engine (one
 *       {@link #refresh} within the list budget).
 *   <li><b>The engine hears of a voucher at capture</b>, not at the receipt's export (the seed's
 *       "future work" now that voucher ids are known): {@link #capture} redeems it through the
 *       outbox's {@link Outbox#OTHER} queue, so an outage buffers the call and the replayer sends
 *       it later, in order with reactivations of the same voucher. A receipt that also lists the
 *       voucher in {@code usedBonusChecks} does not redeem it twice.
 *   <li><b>Expiry.</b> {@link #expireDue} expires only available vouchers; an applied voucher is
 *       captured after its expiry date (locally Redeemed; Stamkund refuses to redeem an expired
 *       voucher, so the result says {@link EngineCall#REFUSED} with {@code BonusCheckExpired}).
 *       {@link #applyToCart} refuses an available voucher past its expiry even before {@link
 *       #expireDue} has run; one removed from its cart after its expiry becomes Expired.
 *   <li><b>The engine is master of availability, the cart of what it holds.</b> {@link #refresh}
 *       adds new vouchers as Available, turns Available ones the engine shows redeemed (another
 *       channel) into Redeemed and ones it shows expired into Expired, and an Expired one the
 *       engine still offers back into Available. It never changes an Applied voucher (the cart
 *       learns at capture: {@link EngineCall#ALREADY_DONE}) nor a Redeemed one (its redemption may
 *       still wait in the outbox), nor a voucher changed locally after the engine's answer was
 *       asked for or whose reactivation still waits in the outbox.
 *   <li><b>Credit.</b> {@link #creditCart} / {@link #creditVoucher} reactivate Redeemed vouchers in
 *       the engine through the outbox and make them Available; one past its expiry becomes Expired
 *       without a call (the engine refuses to reactivate it); one the engine refuses outright stays
 *       Redeemed.
 *   <li><b>History and retention.</b> A voucher the engine shows redeemed or expired that is not
 *       known locally is imported only when that happened within the connector's retention;
 *       Redeemed and Expired rows older than the retention are purged by {@link #purge} (run by
 *       {@link #expireDue}). A contact the engine no longer knows ({@code 404 ContactNotFound})
 *       loses its Available and Expired vouchers at the next refresh.
 *   <li><b>Crash safety.</b> A capture or credit marks the voucher before it calls the engine; a
 *       mark left by a killed process is put into the outbox when the file is opened again.
 *   <li><b>Idempotence.</b> A redemption answered {@code 409 BonusCheckAlreadyRedeemed} and a
 *       reactivation answered {@code 409 RewardVoucherAlreadyActivated} count as done; give the
 *       connector {@link #outboxListener} so replayed ones count as done too.
 * </ul>
 *
 * Thread-safe: a few connections to the file are shared; captures and credits are serialised so the
 * outbox receives each voucher's calls in the order of its local changes. Local times without an
 * offset from the engine are read in the JVM's default zone; a bare date means its start.
 */
public final class CartVouchers implements AutoCloseable {

  /** The file, in the connector's directory. */
  public static final String FILE = "vouchers.db";

  static final String REDEEM = "bonusChecks.redeem";
  static final String REACTIVATE = "rewardVouchers.reactivate";
  private static final String ALREADY_REDEEMED = "BonusCheckAlreadyRedeemed";
  private static final String ALREADY_ACTIVATED = "RewardVoucherAlreadyActivated";
  private static final int CONNECTIONS = 4;
  private static final String COLUMNS =
      "id, contact_id, check_number, name, amount, currency, expires_at, status, cart_id,"
          + " changed_at";

  /** Where a voucher stands locally. */
  public enum Status {
    /** Usable: may be applied to a cart. */
    AVAILABLE,
    /** Held by one cart as an authorised payment; no other cart can take it. */
    APPLIED,
    /** Used: captured here, or redeemed in the engine through another channel. */
    REDEEMED,
    /** Past its expiry date while it was available. */
    EXPIRED
  }

  /** What became of the engine call of a capture or a credit. */
  public enum EngineCall {
    /** The engine took it now. */
    SENT,
    /** The engine was away: the call waits in the outbox and is replayed. */
    BUFFERED,
    /**
     * The engine had it already (redeemed, or active): an earlier call whose answer was lost, or a
     * redemption through another channel.
     */
    ALREADY_DONE,
    /** The engine refused; see the error code. Nothing is retried. */
    REFUSED,
    /** No call was needed (a credited voucher past its expiry). */
    NOT_SENT
  }

  /**
   * A voucher as kept locally.
   *
   * @param id the engine's voucher (bonus check) id
   * @param contactId the contact it belongs to
   * @param checkNumber the printed voucher number, if the engine gave one
   * @param name the voucher's name in the programme, if any
   * @param amount its value
   * @param currency the value's currency
   * @param expiresAt when it stops being usable, or null when the engine gave no date
   * @param status where it stands
   * @param cartId the cart holding it (Applied) or that captured it (Redeemed), else null
   * @param changedAt when its status last changed here (or, imported as used or expired, when that
   *     happened)
   */
  public record Voucher(
      String id,
      String contactId,
      @Nullable String checkNumber,
      @Nullable String name,
      BigDecimal amount,
      String currency,
      @Nullable Instant expiresAt,
      Status status,
      @Nullable String cartId,
      Instant changedAt) {}

  /**
   * A contact's vouchers.
   *
   * @param vouchers Available first, then Applied, Redeemed and Expired; each by expiry
   * @param fresh whether the engine's list was read just now
   * @param age time since the last complete read of the engine's list (zero when fresh), or null
   *     when it was never read
   * @param reason why the engine's list could not be read (operation and status), or null
   */
  public record VoucherList(
      List<Voucher> vouchers, boolean fresh, @Nullable Duration age, @Nullable String reason) {

    /** The Available ones. */
    public List<Voucher> available() {
      return vouchers.stream().filter(v -> v.status() == Status.AVAILABLE).toList();
    }
  }

  /**
   * What a refresh did.
   *
   * @param listed vouchers the engine listed
   * @param changed local rows added, changed in status or removed
   */
  public record Refreshed(int listed, int changed) {}

  /** What {@link #applyToCart} did; cases named by outcome. */
  public sealed interface Application {

    /** The voucher asked for. */
    String voucherId();

    /** Whether the cart now holds the voucher (newly or already). */
    default boolean onCart() {
      return this instanceof Applied || this instanceof AlreadyOnThisCart;
    }

    /** Applied: the cart holds the voucher as a payment of {@code amount}. */
    record Applied(String voucherId, BigDecimal amount, String currency) implements Application {}

    /** The cart held it already (a repeated call); nothing changed. */
    record AlreadyOnThisCart(String voucherId, BigDecimal amount, String currency)
        implements Application {}

    /** Another cart holds it. */
    record OnAnotherCart(String voucherId) implements Application {}

    /** No such voucher for this contact, here or in the engine. */
    record NotFound(String voucherId) implements Application {}

    /** The voucher is {@link Status#REDEEMED} or {@link Status#EXPIRED}. */
    record NotAvailable(String voucherId, Status status) implements Application {}
  }

  /**
   * A voucher captured: Redeemed locally, and its redemption's fate in the engine.
   *
   * @param errorCode Engage's error code when the engine refused or had it already, else null
   */
  public record Captured(
      String voucherId,
      BigDecimal amount,
      String currency,
      EngineCall engine,
      @Nullable String errorCode) {}

  /**
   * A voucher credited.
   *
   * @param status where it stands now: Available, Expired (past its date), or Redeemed (refused)
   * @param errorCode Engage's error code when the engine refused or had it already, else null
   */
  public record Credited(
      String voucherId, Status status, EngineCall engine, @Nullable String errorCode) {}

  private final StamkundConnector connector;
  private final StamkundClient client;
  private final InstantSource clock;
  private final Duration retention;
  private final Duration listBudget;
  private final Duration callBudget;
  private final int pageSize;
  private final List<Connection> connections;
  private final BlockingQueue<Connection> idle;
  private final ReentrantLock engineWrites = new ReentrantLock();
  private volatile boolean closed;

  private CartVouchers(Builder b, List<Connection> connections) {
    this.connector = b.connector;
    this.client = b.connector.client();
    this.clock = b.connector.clock();
    this.retention = b.connector.retention();
    this.listBudget = Objects.requireNonNullElse(b.listBudget, client.purchaseBudget());
    this.callBudget = Objects.requireNonNullElse(b.callBudget, client.budget());
    this.pageSize = b.pageSize;
    this.connections = List.copyOf(connections);
    this.idle = new ArrayBlockingQueue<>(connections.size(), false, connections);
  }

  /** Opens {@code vouchers.db} in the connector's directory with the default settings. */
  public static CartVouchers open(StamkundConnector connector) {
    return builder(connector).build();
  }

  /** A builder over {@code connector} (its client, clock, directory, outbox and retention). */
  public static Builder builder(StamkundConnector connector) {
    return new Builder(connector);
  }

  // ---------------------------------------------------------------------------------------------
  // import and list

  /**
   * Imports the contact's vouchers from the engine ({@code GET /contacts/{id}/bonuschecks}, every
   * page, within the call budget); see the class comment for how they merge with local ones.
   *
   * @throws StamkundException when the engine is unavailable or refuses (vouchers read before that
   *     are kept)
   */
  public Refreshed refresh(String contactId) {
    return refresh(requireText(contactId, "contactId"), Deadline.after(callBudget));
  }

  /**
   * The contact's local vouchers, read from the engine first within the list budget; when the
   * engine does not answer in time, from the local copy with its age.
   */
  public VoucherList list(String contactId) {
    requireText(contactId, "contactId");
    String reason = null;
    try {
      refresh(contactId, Deadline.after(listBudget));
    } catch (StamkundException e) {
      reason = Objects.requireNonNullElse(e.getMessage(), "engine unavailable");
    }
    List<Voucher> vouchers =
        db(
            "read the vouchers",
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "select "
                          + COLUMNS
                          + " from vouchers where contact_id = ? order by case status"
                          + " when 'AVAILABLE' then 0 when 'APPLIED' then 1 when 'REDEEMED' then 2"
                          + " else 3 end, coalesce(expires_at, 9223372036854775807), id")) {
                ps.setString(1, contactId);
                return vouchers(ps);
              }
            });
    Optional<Long> refreshedAt =
        db(
            "read the vouchers",
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement("select refreshed_at from refreshes where contact_id = ?")) {
                ps.setString(1, contactId);
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
                }
              }
            });
    Duration age =
        reason == null
            ? Duration.ZERO
            : refreshedAt
                .map(at -> Duration.ofMillis(Math.max(0, clock.millis() - at)))
                .orElse(null);
    return new VoucherList(vouchers, reason == null, age, reason);
  }

  /** One voucher as kept locally. */
  public Optional<Voucher> voucher(String voucherId) {
    return db(
        "read a voucher",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("select " + COLUMNS + " from vouchers where id = ?")) {
            ps.setString(1, voucherId);
            List<Voucher> found = vouchers(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
          }
        });
  }

  /** The vouchers a cart holds (Applied), the payments it has authorised. */
  public List<Voucher> onCart(String cartId) {
    return db(
        "read a cart's vouchers",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select "
                      + COLUMNS
                      + " from vouchers where cart_id = ? and status = 'APPLIED' order by id")) {
            ps.setString(1, cartId);
            return vouchers(ps);
          }
        });
  }

  private Refreshed refresh(String contactId, Deadline deadline) {
    // Local changes from now on win over the engine's answer, which may predate them.
    long askedAt = clock.millis();
    Set<String> reactivating = connector.outbox().pendingCorrelationIds(Outbox.OTHER, REACTIVATE);
    int listed = 0;
    int changed = 0;
    int offset = 0;
    while (true) {
      JsonNode page;
      try {
        page =
            client
                .send(
                    StamkundClient.bonusChecksRequest(contactId, null, offset, pageSize), deadline)
                .json();
      } catch (StamkundException e) {
        if (e.isNotFound() && "ContactNotFound".equals(e.errorCode())) {
          return new Refreshed(listed, changed + forget(contactId));
        }
        throw e;
      }
      List<EngineVoucher> vouchers = new ArrayList<>();
      JsonNode items = page.path("items");
      for (JsonNode item : items) {
        EngineVoucher v = engineVoucher(item);
        if (v != null) {
          vouchers.add(v);
        }
      }
      changed += merge(contactId, vouchers, askedAt, reactivating);
      listed += items.size();
      offset += items.size();
      JsonNode total = page.get("totalCount");
      boolean more =
          (total != null && total.isNumber()) ? offset < total.asLong() : items.size() >= pageSize;
      if (items.isEmpty() || !more) {
        break;
      }
    }
    long now = clock.millis();
    db(
        "record a refresh",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into refreshes (contact_id, refreshed_at) values (?, ?)"
                      + " on conflict (contact_id) do update set refreshed_at ="
                      + " excluded.refreshed_at")) {
            ps.setString(1, contactId);
            ps.setLong(2, now);
            return ps.executeUpdate();
          }
        });
    return new Refreshed(listed, changed);
  }

  /** A voucher as the engine lists it. */
  private record EngineVoucher(
      String id,
      @Nullable String checkNumber,
      @Nullable String name,
      BigDecimal amount,
      String currency,
      @Nullable Instant expiresAt,
      Status status,
      @Nullable Instant redeemedAt) {}

  private @Nullable EngineVoucher engineVoucher(JsonNode item) {
    String id = Json.text(item, "id");
    if (id == null || id.isBlank()) {
      return null;
    }
    JsonNode value = item.path("value");
    Instant expiresAt = instant(Json.text(item, "expiresOn"));
    boolean redeemed = item.path("redeemed").asBoolean(false);
    boolean expired =
        item.path("expired").asBoolean(false)
            || (expiresAt != null && !expiresAt.isAfter(clock.instant()));
    return new EngineVoucher(
        id,
        Json.text(item, "checkNumber"),
        Json.text(item, "name"),
        Objects.requireNonNullElse(Json.decimal(value, "amount"), BigDecimal.ZERO),
        Objects.requireNonNullElse(Json.text(value, "currency"), ""),
        expiresAt,
        redeemed ? Status.REDEEMED : expired ? Status.EXPIRED : Status.AVAILABLE,
        instant(Json.text(item, "redeemedOn")));
  }

  private int merge(
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
            boolean inserted = false;
            if (happened != null && happened.toEpochMilli() >= horizon) {
              inserted = insert(c, contactId, v, happened.toEpochMilli()) == 1;
            }
            if (inserted) {
              changed++;
              continue;
            }
            updateDetails(c, contactId, v);
            changed += transition(c, contactId, v, askedAt, now, reactivating);
          }
          return changed;
        });
  }

  private static int insert(Connection c, String contactId, EngineVoucher v, long changedAt)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            insert into vouchers (id, contact_id, check_number, name, amount, currency, expires_at,
              status, changed_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing""")) {
      ps.setString(1, v.id());
      ps.setString(2, contactId);
      ps.setString(3, v.checkNumber());
      ps.setString(4, v.name());
      ps.setString(5, v.amount().toPlainString());
      ps.setString(6, v.currency());
      setMillis(ps, 7, v.expiresAt());
      ps.setString(8, v.status().name());
      ps.setLong(9, changedAt);
      return ps.executeUpdate();
    }
  }

  private static void updateDetails(Connection c, String contactId, EngineVoucher v)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update vouchers set check_number = ?, name = ?, amount = ?, currency = ?,"
                + " expires_at = ? where id = ? and contact_id = ?")) {
      ps.setString(1, v.checkNumber());
      ps.setString(2, v.name());
      ps.setString(3, v.amount().toPlainString());
      ps.setString(4, v.currency());
      setMillis(ps, 5, v.expiresAt());
      ps.setString(6, v.id());
      ps.setString(7, contactId);
      ps.executeUpdate();
    }
  }

  /** The one status change the engine's view may make, as a single conditional update. */
  private static int transition(
      Connection c,
      String contactId,
      EngineVoucher v,
      long askedAt,
      long now,
      Set<String> reactivating)
      throws SQLException {
    String sql =
        switch (v.status()) {
          case AVAILABLE ->
              "update vouchers set status = 'AVAILABLE', changed_at = ? where id = ?"
                  + " and contact_id = ? and status = 'EXPIRED' and engine_todo is null"
                  + " and changed_at < ? and (expires_at is null or expires_at > ?)";
          case REDEEMED ->
              reactivating.contains(v.id())
                  ? null
                  : "update vouchers set status = 'REDEEMED', changed_at = ? where id = ?"
                      + " and contact_id = ? and status in ('AVAILABLE', 'EXPIRED')"
                      + " and engine_todo is null and changed_at < ?";
          case EXPIRED ->
              "update vouchers set status = 'EXPIRED', changed_at = ? where id = ?"
                  + " and contact_id = ? and status = 'AVAILABLE' and engine_todo is null"
                  + " and changed_at < ?";
          case APPLIED -> null;
        };
    if (sql == null) {
      return 0;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, now);
      ps.setString(2, v.id());
      ps.setString(3, contactId);
      ps.setLong(4, askedAt);
      if (v.status() == Status.AVAILABLE) {
        ps.setLong(5, now);
      }
      return ps.executeUpdate();
    }
  }

  /** The engine no longer knows the contact: its unused vouchers go. */
  private int forget(String contactId) {
    return transaction(
        "forget a contact's vouchers",
        c -> {
          int removed;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "delete from vouchers where contact_id = ? and status in ('AVAILABLE', 'EXPIRED')"
                      + " and engine_todo is null")) {
            ps.setString(1, contactId);
            removed = ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement("delete from refreshes where contact_id = ?")) {
            ps.setString(1, contactId);
            ps.executeUpdate();
          }
          return removed;
        });
  }

  // ---------------------------------------------------------------------------------------------
  // carts

  /**
   * Applies the contact's voucher to a cart as an authorised payment: Available becomes Applied in
   * one conditional update, so two carts racing for one voucher get exactly one {@link
   * Application.Applied}. Works from the local copy while the engine is down; a voucher not known
   * locally is looked for in the engine once, within the list budget.
   */
  public Application applyToCart(String cartId, String contactId, String voucherId) {
    requireText(cartId, "cartId");
    requireText(contactId, "contactId");
    requireText(voucherId, "voucherId");
    Application a = tryApply(cartId, contactId, voucherId);
    if (!(a instanceof Application.NotFound)) {
      return a;
    }
    try {
      refresh(contactId, Deadline.after(listBudget));
    } catch (StamkundException e) {
      return a;
    }
    return tryApply(cartId, contactId, voucherId);
  }

  private Application tryApply(String cartId, String contactId, String voucherId) {
    // A voucher that turns Available again between the update and the read is tried again.
    for (int attempt = 0; ; attempt++) {
      long now = clock.millis();
      Optional<Application> a =
          db(
              "apply a voucher",
              c -> {
                try (PreparedStatement ps =
                    c.prepareStatement(
                        """
                        update vouchers set status = 'APPLIED', cart_id = ?, changed_at = ?
                        where id = ? and contact_id = ? and status = 'AVAILABLE'
                          and (expires_at is null or expires_at > ?)
                        returning amount, currency""")) {
                  ps.setString(1, cartId);
                  ps.setLong(2, now);
                  ps.setString(3, voucherId);
                  ps.setString(4, contactId);
                  ps.setLong(5, now);
                  try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                      return Optional.of(
                          new Application.Applied(
                              voucherId, new BigDecimal(rs.getString(1)), rs.getString(2)));
                    }
                  }
                }
                try (PreparedStatement ps =
                    c.prepareStatement(
                        "select status, cart_id, amount, currency, expires_at from vouchers"
                            + " where id = ? and contact_id = ?")) {
                  ps.setString(1, voucherId);
                  ps.setString(2, contactId);
                  try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                      return Optional.of(new Application.NotFound(voucherId));
                    }
                    Status status = Status.valueOf(rs.getString(1));
                    return switch (status) {
                      case APPLIED ->
                          Optional.of(
                              cartId.equals(rs.getString(2))
                                  ? new Application.AlreadyOnThisCart(
                                      voucherId, new BigDecimal(rs.getString(3)), rs.getString(4))
                                  : new Application.OnAnotherCart(voucherId));
                      case REDEEMED, EXPIRED ->
                          Optional.of(new Application.NotAvailable(voucherId, status));
                      case AVAILABLE -> {
                        long expiresAt = rs.getLong(5);
                        yield !rs.wasNull() && expiresAt <= now
                            ? Optional.of(new Application.NotAvailable(voucherId, Status.EXPIRED))
                            : Optional.empty();
                      }
                    };
                  }
                }
              });
      if (a.isPresent()) {
        return a.get();
      }
      if (attempt >= 3) {
        throw new IllegalStateException("voucher " + voucherId + " keeps changing under a cart");
      }
    }
  }

  /**
   * Takes a voucher off a cart: Applied becomes Available again (Expired when it is past its date).
   *
   * @return false when the cart did not hold the voucher
   */
  public boolean removeFromCart(String cartId, String voucherId) {
    long now = clock.millis();
    return db(
            "remove a voucher from a cart",
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      """
                      update vouchers set cart_id = null, changed_at = ?,
                        status = case when expires_at is not null and expires_at <= ? then 'EXPIRED'
                          else 'AVAILABLE' end
                      where id = ? and cart_id = ? and status = 'APPLIED'""")) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                ps.setString(3, voucherId);
                ps.setString(4, cartId);
                return ps.executeUpdate();
              }
            })
        == 1;
  }

  /**
   * The cart's payment is captured: every voucher it holds becomes Redeemed here and is redeemed in
   * the engine ({@code POST /contacts/{id}/bonuschecks/{id}/redeem}) through the outbox, now or
   * buffered. A second capture of the same cart finds nothing left to capture.
   *
   * @return the vouchers captured by this call
   */
  public List<Captured> capture(String cartId) {
    requireText(cartId, "cartId");
    engineWrites.lock();
    try {
      long now = clock.millis();
      record Claimed(String id, String contactId, BigDecimal amount, String currency) {}
      List<Claimed> claimed =
          db(
              "capture a cart's vouchers",
              c -> {
                List<Claimed> out = new ArrayList<>();
                try (PreparedStatement ps =
                    c.prepareStatement(
                        """
                        update vouchers set status = 'REDEEMED', changed_at = ?,
                          engine_todo = 'redeem'
                        where cart_id = ? and status = 'APPLIED'
                        returning id, contact_id, amount, currency""")) {
                  ps.setLong(1, now);
                  ps.setString(2, cartId);
                  try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                      out.add(
                          new Claimed(
                              rs.getString(1),
                              rs.getString(2),
                              new BigDecimal(rs.getString(3)),
                              rs.getString(4)));
                    }
                  }
                }
                return out;
              });
      List<Captured> captured = new ArrayList<>();
      for (Claimed v : claimed.stream().sorted((a, b) -> a.id().compareTo(b.id())).toList()) {
        Call call = call(StamkundClient.redeemBonusCheckRequest(v.contactId(), v.id()), v.id());
        done(v.id(), "redeem", null);
        captured.add(new Captured(v.id(), v.amount(), v.currency(), call.engine(), call.code()));
      }
      return captured;
    } finally {
      engineWrites.unlock();
    }
  }

  /**
   * The payment of a captured cart is credited: each of its Redeemed vouchers is reactivated in the
   * engine ({@code POST /promotions/reward-vouchers/{id}/reactivate}) through the outbox and made
   * Available here.
   */
  public List<Credited> creditCart(String cartId) {
    requireText(cartId, "cartId");
    List<String> ids =
        db(
            "read a cart's vouchers",
            c -> {
              List<String> out = new ArrayList<>();
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "select id from vouchers where cart_id = ? and status = 'REDEEMED'"
                          + " order by id")) {
                ps.setString(1, cartId);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(rs.getString(1));
                  }
                }
              }
              return out;
            });
    List<Credited> credited = new ArrayList<>();
    for (String id : ids) {
      credit(id).ifPresent(credited::add);
    }
    return credited;
  }

  /**
   * One voucher's payment is credited: as {@link #creditCart} for this voucher alone.
   *
   * @return empty when the voucher is not Redeemed here (unknown, or already credited)
   */
  public Optional<Credited> creditVoucher(String voucherId) {
    return credit(requireText(voucherId, "voucherId"));
  }

  private Optional<Credited> credit(String voucherId) {
    engineWrites.lock();
    try {
      long now = clock.millis();
      // Past its date: the engine would refuse; it is Expired at once, with no call.
      int expired =
          db(
              "credit a voucher",
              c -> {
                try (PreparedStatement ps =
                    c.prepareStatement(
                        "update vouchers set status = 'EXPIRED', cart_id = null, changed_at = ?"
                            + " where id = ? and status = 'REDEEMED' and engine_todo is null"
                            + " and expires_at is not null and expires_at <= ?")) {
                  ps.setLong(1, now);
                  ps.setString(2, voucherId);
                  ps.setLong(3, now);
                  return ps.executeUpdate();
                }
              });
      if (expired == 1) {
        return Optional.of(new Credited(voucherId, Status.EXPIRED, EngineCall.NOT_SENT, null));
      }
      int marked =
          db(
              "credit a voucher",
              c -> {
                try (PreparedStatement ps =
                    c.prepareStatement(
                        "update vouchers set engine_todo = 'reactivate' where id = ?"
                            + " and status = 'REDEEMED' and engine_todo is null")) {
                  ps.setString(1, voucherId);
                  return ps.executeUpdate();
                }
              });
      if (marked == 0) {
        return Optional.empty();
      }
      Call call = call(StamkundClient.reactivateRewardVoucherRequest(voucherId), voucherId);
      if (call.engine() == EngineCall.REFUSED) {
        done(voucherId, "reactivate", null);
        return Optional.of(new Credited(voucherId, Status.REDEEMED, call.engine(), call.code()));
      }
      done(voucherId, "reactivate", Status.AVAILABLE);
      return Optional.of(new Credited(voucherId, Status.AVAILABLE, call.engine(), call.code()));
    } finally {
      engineWrites.unlock();
    }
  }

  private record Call(EngineCall engine, @Nullable String code) {}

  private Call call(ApiRequest request, String voucherId) {
    try {
      return connector.deliver(Outbox.OTHER, request, voucherId, false, 0, callBudget).isPresent()
          ? new Call(EngineCall.SENT, null)
          : new Call(EngineCall.BUFFERED, null);
    } catch (StamkundException e) {
      String code = Objects.requireNonNullElse(e.errorCode(), "HTTP " + e.status());
      return alreadyDone(request.operation(), e)
          ? new Call(EngineCall.ALREADY_DONE, code)
          : new Call(EngineCall.REFUSED, code);
    }
  }

  /** The engine call is sent or buffered: the mark goes, and the status changes if asked. */
  private void done(String voucherId, String todo, @Nullable Status status) {
    long now = clock.millis();
    db(
        "record an engine call",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  status == null
                      ? "update vouchers set engine_todo = null, changed_at = ?"
                          + " where id = ? and engine_todo = ?"
                      : "update vouchers set engine_todo = null, changed_at = ?, cart_id = null,"
                          + " status = ? where id = ? and engine_todo = ?")) {
            int i = 1;
            ps.setLong(i++, now);
            if (status != null) {
              ps.setString(i++, status.name());
            }
            ps.setString(i++, voucherId);
            ps.setString(i, todo);
            return ps.executeUpdate();
          }
        });
  }

  /** Puts engine calls a killed process had marked but maybe not sent into the outbox. */
  private void resume() {
    engineWrites.lock();
    try {
      record Todo(String id, String contactId, String todo) {}
      List<Todo> todos =
          db(
              "read unfinished engine calls",
              c -> {
                List<Todo> out = new ArrayList<>();
                try (Statement s = c.createStatement();
                    ResultSet rs =
                        s.executeQuery(
                            "select id, contact_id, engine_todo from vouchers"
                                + " where engine_todo is not null order by changed_at, id")) {
                  while (rs.next()) {
                    out.add(new Todo(rs.getString(1), rs.getString(2), rs.getString(3)));
                  }
                }
                return out;
              });
      for (Todo t : todos) {
        boolean redeem = t.todo().equals("redeem");
        connector
            .outbox()
            .enqueue(
                Outbox.OTHER,
                redeem
                    ? StamkundClient.redeemBonusCheckRequest(t.contactId(), t.id())
                    : StamkundClient.reactivateRewardVoucherRequest(t.id()),
                t.id(),
                false,
                0);
        done(t.id(), t.todo(), redeem ? null : Status.AVAILABLE);
      }
    } finally {
      engineWrites.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // expiry and retention

  /**
   * Expires Available vouchers whose date has passed on the connector's clock (Applied ones are
   * left alone: a cart may still capture them), then {@link #purge}s. Run it daily or more often.
   *
   * @return how many vouchers expired
   */
  public int expireDue() {
    long now = clock.millis();
    int expired =
        db(
            "expire vouchers",
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "update vouchers set status = 'EXPIRED', changed_at = ?"
                          + " where status = 'AVAILABLE' and engine_todo is null"
                          + " and expires_at is not null and expires_at <= ?")) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                return ps.executeUpdate();
              }
            });
    purge();
    return expired;
  }

  /**
   * Deletes Redeemed and Expired vouchers that changed longer ago than the connector's retention,
   * and the refresh times of contacts left without vouchers.
   *
   * @return how many vouchers were deleted
   */
  public int purge() {
    long cutoff = clock.millis() - retention.toMillis();
    return transaction(
        "purge vouchers",
        c -> {
          int purged;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "delete from vouchers where status in ('REDEEMED', 'EXPIRED')"
                      + " and engine_todo is null and changed_at < ?")) {
            ps.setLong(1, cutoff);
            purged = ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "delete from refreshes where refreshed_at < ? and contact_id not in"
                      + " (select contact_id from vouchers)")) {
            ps.setLong(1, cutoff);
            ps.executeUpdate();
          }
          return purged;
        });
  }

  // ---------------------------------------------------------------------------------------------
  // replays

  /**
   * An outbox listener that counts a replayed redemption answered {@code 409
   * BonusCheckAlreadyRedeemed}, and a replayed reactivation answered {@code 409
   * RewardVoucherAlreadyActivated}, as delivered instead of dead; everything else goes to {@code
   * next}. Give it to {@link StamkundConnector.Builder#listener}.
   */
  public static OutboxListener outboxListener(OutboxListener next) {
    Objects.requireNonNull(next, "next");
    return new OutboxListener() {
      @Override
      public void delivered(OutboxEntry entry, ApiResponse response) {
        next.delivered(entry, response);
      }

      @Override
      public boolean refusalMeansDelivered(OutboxEntry entry, StamkundException refusal) {
        return alreadyDone(entry.request().operation(), refusal)
            || next.refusalMeansDelivered(entry, refusal);
      }

      @Override
      public void dead(OutboxEntry entry, StamkundException lastError) {
        next.dead(entry, lastError);
      }
    };
  }

  private static boolean alreadyDone(String operation, StamkundException e) {
    return e.status() == 409
        && ((REDEEM.equals(operation) && ALREADY_REDEEMED.equals(e.errorCode()))
            || (REACTIVATE.equals(operation) && ALREADY_ACTIVATED.equals(e.errorCode())));
  }

  // ---------------------------------------------------------------------------------------------
  // the file

  @Override
  public void close() {
    closed = true;
    for (Connection c : connections) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing: nothing left to protect
      }
    }
  }

  @FunctionalInterface
  private interface Work<T extends @Nullable Object> {
    T run(Connection db) throws SQLException;
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

  private static List<Voucher> vouchers(PreparedStatement ps) throws SQLException {
    List<Voucher> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long expires = rs.getLong(7);
        Instant expiresAt = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
        out.add(
            new Voucher(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                new BigDecimal(rs.getString(5)),
                rs.getString(6),
                expiresAt,
                Status.valueOf(rs.getString(8)),
                rs.getString(9),
                Instant.ofEpochMilli(rs.getLong(10))));
      }
    }
    return out;
  }

  private static void setMillis(PreparedStatement ps, int index, @Nullable Instant at)
      throws SQLException {
    if (at == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setLong(index, at.toEpochMilli());
    }
  }

  /** An engine time: ISO-8601 with an offset, else local (the JVM's zone), else a bare date. */
  static @Nullable Instant instant(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.strip();
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException notWithOffset) {
      // try the local forms
    }
    try {
      return LocalDateTime.parse(t).atZone(ZoneId.systemDefault()).toInstant();
    } catch (DateTimeParseException notLocal) {
      // try a bare date
    }
    try {
      return LocalDate.parse(t).atStartOfDay(ZoneId.systemDefault()).toInstant();
    } catch (DateTimeParseException unreadable) {
      return null;
    }
  }

  private static String requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  /** Builds {@link CartVouchers}; {@link #build()} rejects bad values. */
  public static final class Builder {
    private final StamkundConnector connector;
    private @Nullable Duration listBudget;
    private @Nullable Duration callBudget;
    private int pageSize = 100;

    private Builder(StamkundConnector connector) {
      this.connector = Objects.requireNonNull(connector, "connector");
    }

    /**
     * Budget of the engine read before {@link #list} and of the lookup of a voucher {@link
     * #applyToCart} does not know; default the client's purchase budget (300 ms).
     */
    public Builder listBudget(Duration budget) {
      this.listBudget = budget;
      return this;
    }

    /**
     * Budget of {@link #refresh} (all pages) and of each redemption or reactivation before it is
     * buffered; default the client's default call budget (15 s).
     */
    public Builder callBudget(Duration budget) {
      this.callBudget = budget;
      return this;
    }

    /** Vouchers asked for per page of the engine's list, 1–500; default 100. */
    public Builder pageSize(int count) {
      this.pageSize = count;
      return this;
    }

    /**
     * Opens (creating it if needed) {@code vouchers.db} in the connector's directory and puts any
     * engine call a killed process left unfinished into the outbox.
     */
    public CartVouchers build() {
      positive(listBudget, "listBudget");
      positive(callBudget, "callBudget");
      if (pageSize < 1 || pageSize > 500) {
        throw new IllegalArgumentException("pageSize must be 1-500: " + pageSize);
      }
      java.nio.file.Path file = connector.directory().resolve(FILE);
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
        for (Connection c : opened) {
          try {
            c.close();
          } catch (SQLException ignored) {
            // the original failure is what the caller needs to see
          }
        }
        if (e instanceof SQLException sql) {
          throw new StorageException("cannot create the vouchers tables", sql);
        }
        throw (RuntimeException) e;
      }
      CartVouchers vouchers = new CartVouchers(this, opened);
      try {
        vouchers.resume();
      } catch (RuntimeException e) {
        vouchers.close();
        throw e;
      }
      return vouchers;
    }

    private static void positive(@Nullable Duration d, String name) {
      if (d != null && (d.isNegative() || d.isZero())) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
    }
  }
}

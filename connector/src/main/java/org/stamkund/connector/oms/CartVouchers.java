package org.stamkund.connector.oms;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.stamkund.connector.ApiRequest;
import org.stamkund.connector.ApiResponse;
import org.stamkund.connector.Deadline;
import org.stamkund.connector.Outbox;
import org.stamkund.connector.OutboxEntry;
import org.stamkund.connector.OutboxListener;
import org.stamkund.connector.StamkundClient;
import org.stamkund.connector.StamkundConnector;
import org.stamkund.connector.StamkundException;
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
  private final Duration listBudget;
  private final Duration callBudget;
  private final int pageSize;
  private final VoucherFile file;
  // Serialises captures and credits, so the outbox gets each voucher's calls in the local order.
  private final ReentrantLock engineWrites = new ReentrantLock();

  private CartVouchers(Builder b, VoucherFile file) {
    this.connector = b.connector;
    this.client = b.connector.client();
    this.clock = b.connector.clock();
    this.listBudget = Objects.requireNonNullElse(b.listBudget, client.purchaseBudget());
    this.callBudget = Objects.requireNonNullElse(b.callBudget, client.budget());
    this.pageSize = b.pageSize;
    this.file = file;
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
    List<Voucher> vouchers = file.ofContact(contactId);
    Optional<Instant> refreshedAt = file.refreshedAt(contactId);
    Duration age =
        reason == null
            ? Duration.ZERO
            : refreshedAt
                .map(at -> Duration.ofMillis(Math.max(0, clock.millis() - at.toEpochMilli())))
                .orElse(null);
    return new VoucherList(vouchers, reason == null, age, reason);
  }

  /** One voucher as kept locally. */
  public Optional<Voucher> voucher(String voucherId) {
    return file.voucher(voucherId);
  }

  /** The vouchers a cart holds (Applied), the payments it has authorised. */
  public List<Voucher> onCart(String cartId) {
    return file.onCart(cartId);
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
          return new Refreshed(listed, changed + file.forget(contactId));
        }
        throw e;
      }
      List<EngineVoucher> vouchers = new ArrayList<>();
      JsonNode items = page.path("items");
      for (JsonNode item : items) {
        EngineVoucher v = EngineVoucher.from(item, clock.instant());
        if (v != null) {
          vouchers.add(v);
        }
      }
      changed += file.merge(contactId, vouchers, askedAt, reactivating);
      listed += items.size();
      offset += items.size();
      JsonNode total = page.get("totalCount");
      boolean more =
          (total != null && total.isNumber()) ? offset < total.asLong() : items.size() >= pageSize;
      if (items.isEmpty() || !more) {
        break;
      }
    }
    file.recordRefresh(contactId);
    return new Refreshed(listed, changed);
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
    Application a = file.apply(cartId, contactId, voucherId);
    if (!(a instanceof Application.NotFound)) {
      return a;
    }
    try {
      refresh(contactId, Deadline.after(listBudget));
    } catch (StamkundException e) {
      return a;
    }
    return file.apply(cartId, contactId, voucherId);
  }

  /**
   * Takes a voucher off a cart: Applied becomes Available again (Expired when it is past its date).
   *
   * @return false when the cart did not hold the voucher
   */
  public boolean removeFromCart(String cartId, String voucherId) {
    return file.removeFromCart(cartId, voucherId);
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
      List<Captured> captured = new ArrayList<>();
      for (Voucher v : file.capture(cartId)) {
        Call call = call(StamkundClient.redeemBonusCheckRequest(v.contactId(), v.id()), v.id());
        file.callDone(v.id(), VoucherFile.REDEEM);
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
    List<Credited> credited = new ArrayList<>();
    for (String id : file.redeemedOnCart(cartId)) {
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
      // Past its date: the engine would refuse; it is Expired at once, with no call.
      if (file.expireRedeemed(voucherId)) {
        return Optional.of(new Credited(voucherId, Status.EXPIRED, EngineCall.NOT_SENT, null));
      }
      if (!file.markReactivation(voucherId)) {
        return Optional.empty();
      }
      Call call = call(StamkundClient.reactivateRewardVoucherRequest(voucherId), voucherId);
      if (call.engine() == EngineCall.REFUSED) {
        file.callDone(voucherId, VoucherFile.REACTIVATE);
        return Optional.of(new Credited(voucherId, Status.REDEEMED, call.engine(), call.code()));
      }
      file.callDone(voucherId, VoucherFile.REACTIVATE, Status.AVAILABLE);
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

  /** Puts engine calls a killed process had marked but maybe not sent into the outbox. */
  private void resume() {
    engineWrites.lock();
    try {
      for (VoucherFile.Todo t : file.todos()) {
        String id = t.voucherId();
        if (t.call().equals(VoucherFile.REDEEM)) {
          enqueue(StamkundClient.redeemBonusCheckRequest(t.contactId(), id), id);
          file.callDone(id, VoucherFile.REDEEM);
        } else {
          enqueue(StamkundClient.reactivateRewardVoucherRequest(id), id);
          file.callDone(id, VoucherFile.REACTIVATE, Status.AVAILABLE);
        }
      }
    } finally {
      engineWrites.unlock();
    }
  }

  private void enqueue(ApiRequest request, String voucherId) {
    connector.outbox().enqueue(Outbox.OTHER, request, voucherId, false, 0);
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
    int expired = file.expireDue();
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
    return file.purge();
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

  @Override
  public void close() {
    file.close();
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
      VoucherFile file =
          VoucherFile.open(
              connector.directory().resolve(FILE), connector.clock(), connector.retention());
      CartVouchers vouchers = new CartVouchers(this, file);
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

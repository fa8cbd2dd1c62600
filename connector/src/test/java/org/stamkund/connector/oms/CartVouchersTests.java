package org.stamkund.connector.oms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stamkund.connector.Backoff;
import org.stamkund.connector.CircuitBreaker;
import org.stamkund.connector.Json;
import org.stamkund.connector.MutableClock;
import org.stamkund.connector.Outbox;
import org.stamkund.connector.OutboxListener;
import org.stamkund.connector.StamkundClient;
import org.stamkund.connector.StamkundConnector;
import org.stamkund.connector.StubEngine;
import org.stamkund.connector.oms.CartVouchers.Application;
import org.stamkund.connector.oms.CartVouchers.Captured;
import org.stamkund.connector.oms.CartVouchers.Credited;
import org.stamkund.connector.oms.CartVouchers.EngineCall;
import org.stamkund.connector.oms.CartVouchers.Status;
import org.stamkund.connector.oms.CartVouchers.VoucherList;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class CartVouchersTests {

  private static final String CONTACT = "c-1";

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();
  private final StubEngine stub;
  private final FakeVouchers engine;
  private final List<AutoCloseable> open = new ArrayList<>();

  CartVouchersTests() throws Exception {
    stub = new StubEngine();
    engine = new FakeVouchers(stub, clock);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    stub.close();
  }

  private StamkundConnector connector(OutboxListener listener) {
    StamkundClient client =
        StamkundClient.builder()
            .baseUrl(stub.url())
            .apiKey("k")
            .maxAttempts(2)
            .backoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(20), 2))
            // Tests switch the engine off and on at will: the breaker would only add waiting.
            .circuitBreaker(new CircuitBreaker.Config(1000, Duration.ofMillis(10), 1))
            .build();
    StamkundConnector c =
        StamkundConnector.builder()
            .client(client)
            .directory(dir)
            .replica(false)
            .clock(clock)
            .retention(Duration.ofDays(14))
            .listener(listener)
            .build();
    open.add(c);
    return c;
  }

  private StamkundConnector connector() {
    return connector(OutboxListener.NONE);
  }

  private CartVouchers vouchers(StamkundConnector connector) {
    CartVouchers v = CartVouchers.builder(connector).pageSize(2).build();
    open.add(v);
    return v;
  }

  private CartVouchers vouchers() {
    return vouchers(connector());
  }

  /** A vouchers file that has read the contact's vouchers from the engine. */
  private CartVouchers imported(StamkundConnector connector) {
    CartVouchers vouchers = vouchers(connector);
    vouchers.refresh(CONTACT);
    return vouchers;
  }

  private CartVouchers imported() {
    return imported(connector());
  }

  /** The engine issues the contact a 50 SEK voucher valid {@code days} more days. */
  private void offer(String voucherId, int days) {
    engine.add(CONTACT, voucherId, "50.00", inDays(days));
  }

  private static void captureOnCart(CartVouchers vouchers, String cartId, String voucherId) {
    vouchers.applyToCart(cartId, CONTACT, voucherId);
    vouchers.capture(cartId);
  }

  private static Status status(CartVouchers vouchers, String voucherId) {
    return vouchers.voucher(voucherId).orElseThrow().status();
  }

  private Instant inDays(int days) {
    return clock.instant().plus(Duration.ofDays(days));
  }

  // ---------------------------------------------------------------------------------------------
  // import and list

  @Test
  void refreshImportsEveryPageOfTheContactsVouchers() {
    engine.add(CONTACT, "v-1", "50.00", inDays(30));
    engine.add(CONTACT, "v-2", "100.00", inDays(10));
    engine.add(CONTACT, "v-3", "50.00", inDays(20));
    engine.add("c-2", "v-other", "50.00", inDays(20));
    CartVouchers vouchers = vouchers();

    CartVouchers.Refreshed r = vouchers.refresh(CONTACT);

    assertThat(r.listed()).isEqualTo(3);
    assertThat(r.changed()).isEqualTo(3);
    assertThat(stub.seen("GET", "/api/v2/contacts/c-1/bonuschecks")).as("pages of two").hasSize(2);
    VoucherList list = vouchers.list(CONTACT);
    assertThat(list.fresh()).isTrue();
    assertThat(list.age()).isEqualTo(Duration.ZERO);
    assertThat(list.vouchers())
        .extracting(CartVouchers.Voucher::id)
        .as("by expiry")
        .containsExactly("v-2", "v-3", "v-1");
    assertThat(list.available()).hasSize(3);
    CartVouchers.Voucher v2 = list.vouchers().getFirst();
    assertThat(v2.amount()).isEqualByComparingTo("100.00");
    assertThat(v2.currency()).isEqualTo("SEK");
    assertThat(v2.expiresAt()).isEqualTo(inDays(10));
    assertThat(v2.checkNumber()).isEqualTo("N-v-2");
  }

  @Test
  void whileTheEngineIsDownTheListComesFromTheLocalCopyWithItsAge() {
    offer("v-1", 30);
    CartVouchers vouchers = imported();
    clock.advance(Duration.ofMinutes(7));
    engine.down = true;

    VoucherList list = vouchers.list(CONTACT);

    assertThat(list.fresh()).isFalse();
    assertThat(list.age()).isEqualTo(Duration.ofMinutes(7));
    assertThat(list.reason()).contains("bonusChecks.list");
    assertThat(list.available()).extracting(CartVouchers.Voucher::id).containsExactly("v-1");
  }

  @Test
  void aContactNeverReadFromTheEngineHasNoAge() {
    engine.down = true;
    VoucherList list = vouchers().list(CONTACT);
    assertThat(list.vouchers()).isEmpty();
    assertThat(list.fresh()).isFalse();
    assertThat(list.age()).isNull();
  }

  @Test
  void vouchersRedeemedThroughAnotherChannelBecomeRedeemedButAnAppliedOneStaysOnItsCart() {
    offer("v-1", 30);
    offer("v-2", 30);
    CartVouchers vouchers = imported();
    vouchers.applyToCart("cart-A", CONTACT, "v-2");
    clock.advance(Duration.ofSeconds(1));
    engine.redeem("v-1");
    engine.redeem("v-2");

    vouchers.refresh(CONTACT);

    assertThat(status(vouchers, "v-1")).isEqualTo(Status.REDEEMED);
    assertThat(status(vouchers, "v-2")).isEqualTo(Status.APPLIED);
    List<Captured> captured = vouchers.capture("cart-A");
    assertThat(captured)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.engine()).isEqualTo(EngineCall.ALREADY_DONE);
              assertThat(c.errorCode()).isEqualTo("BonusCheckAlreadyRedeemed");
            });
  }

  @Test
  void anExpiredVoucherTheEngineStillOffersIsAvailableAgain() {
    offer("v-1", 1);
    CartVouchers vouchers = imported();
    clock.advance(Duration.ofDays(2));
    assertThat(vouchers.expireDue()).isEqualTo(1);
    engine.extend("v-1", inDays(30));
    clock.advance(Duration.ofSeconds(1));

    vouchers.refresh(CONTACT);

    assertThat(status(vouchers, "v-1")).isEqualTo(Status.AVAILABLE);
  }

  @Test
  void oldHistoryIsNotImportedButRecentHistoryIs() {
    offer("v-old", 30);
    offer("v-recent", 30);
    engine.redeemAt("v-old", clock.instant().minus(Duration.ofDays(40)));
    engine.redeemAt("v-recent", clock.instant().minus(Duration.ofDays(2)));
    CartVouchers vouchers = vouchers();

    vouchers.refresh(CONTACT);

    assertThat(vouchers.voucher("v-old")).isEmpty();
    assertThat(status(vouchers, "v-recent")).isEqualTo(Status.REDEEMED);
  }

  @Test
  void aContactTheEngineNoLongerKnowsLosesItsUnusedVouchers() {
    offer("v-1", 30);
    CartVouchers vouchers = imported();
    engine.deleteContact(CONTACT);

    CartVouchers.Refreshed r = vouchers.refresh(CONTACT);

    assertThat(r.changed()).isEqualTo(1);
    assertThat(vouchers.voucher("v-1")).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // carts

  @Test
  void anAvailableVoucherIsAppliedToTheCartWithItsAmount() {
    offer("v-1", 30);
    CartVouchers vouchers = imported();

    Application a = vouchers.applyToCart("cart-A", CONTACT, "v-1");

    assertThat(a).isEqualTo(new Application.Applied("v-1", new BigDecimal("50.00"), "SEK"));
    assertThat(a.onCart()).isTrue();
    CartVouchers.Voucher v = vouchers.voucher("v-1").orElseThrow();
    assertThat(v.status()).isEqualTo(Status.APPLIED);
    assertThat(v.cartId()).isEqualTo("cart-A");
    assertThat(vouchers.onCart("cart-A"))
        .extracting(CartVouchers.Voucher::id)
        .containsExactly("v-1");
    assertThat(stub.seen("POST", "/api/v2/")).as("applying tells the engine nothing").isEmpty();
  }

  @Test
  void applyingAgainToTheSameCartIsAnIdempotentSuccess() {
    offer("v-1", 30);
    CartVouchers vouchers = imported();
    vouchers.applyToCart("cart-A", CONTACT, "v-1");

    Application again = vouchers.applyToCart("cart-A", CONTACT, "v-1");

    assertThat(again)
        .isEqualTo(new Application.AlreadyOnThisCart("v-1", new BigDecimal("50.00"), "SEK"));
    assertThat(again.onCart()).isTrue();
  }

  @Test
  void anotherCartIsRefusedAVoucherAlreadyApplied() {
    offer("v-1", 30);
    CartVouchers vouchers = imported();
    vouchers.applyToCart("cart-A", CONTACT, "v-1");

    Application b = vouchers.applyToCart("cart-B", CONTACT, "v-1");

    assertThat(b).isEqualTo(new Application.OnAnotherCart("v-1"));
    assertThat(b.onCart()).isFalse();
    assertThat(vouchers.voucher("v-1").orElseThrow().cartId()).isEqualTo("cart-A");
  }

  @Test
  void anUnknownVoucherOrOneOfAnotherContactIsNotFoundAfterAskingTheEngineOnce() {
    engine.add("c-2", "v-2", "50.00", inDays(30));
    CartVouchers vouchers = vouchers();
    vouchers.refresh("c-2");
    int before = stub.seen("GET", "/api/v2/contacts/c-1/bonuschecks").size();

    assertThat(vouchers.applyToCart("cart-A", CONTACT, "v-2"))
        .isEqualTo(new Application.NotFound("v-2"));
    assertThat(vouchers.applyToCart("cart-A", CONTACT, "v-nope"))
        .isEqualTo(new Application.NotFound("v-nope"));
    assertThat(stub.seen("GET", "/api/v2/contacts/c-1/bonuschecks")).hasSize(before + 2);
    assertThat(status(vouchers, "v-2")).isEqualTo(Status.AVAILABLE);
  }

  @Test
  void aVoucherIssuedSinceTheLastImportIsFoundInTheEngineWhenApplied() {
    CartVouchers vouchers = imported();
    offer("v-new", 30);

    assertThat(vouchers.applyToCart("cart-A", CONTACT, "v-new").onCart()).isTrue();
  }

  @Test
  void redeemedAndExpiredVouchersAreNotAvailable() {
    offer("v-used", 30);
    offer("v-old", 1);
    CartVouchers vouchers = imported();
    captureOnCart(vouchers, "cart-A", "v-used");
    clock.advance(Duration.ofDays(2));
    vouchers.expireDue();

    assertThat(vouchers.applyToCart("cart-B", CONTACT, "v-used"))
        .isEqualTo(new Application.NotAvailable("v-used", Status.REDEEMED));
    assertThat(vouchers.applyToCart("cart-B", CONTACT, "v-old"))
        .isEqualTo(new Application.NotAvailable("v-old", Status.EXPIRED));
  }

  @Test
  void aVoucherPastItsDateIsRefusedEvenBeforeTheExpiryTaskRan() {
    offer("v-1", 1);
    CartVouchers vouchers = imported();
    clock.advance(Duration.ofDays(2));
    engine.down = true;

    assertThat(vouchers.applyToCart("cart-A", CONTACT, "v-1"))
        .isEqualTo(new Application.NotAvailable("v-1", Status.EXPIRED));
  }

  @Test
  void sixteenCartsRacingForOneVoucherGetExactlyOneApplication() throws Exception {
    int rounds = 10;
    for (int i = 0; i < rounds; i++) {
      offer("v-race-" + i, 30);
    }
    StamkundConnector connector = connector();
    CartVouchers first = vouchers(connector);
    // A second instance on the same file: another OMS process sharing the directory.
    CartVouchers second = vouchers(connector);
    first.refresh(CONTACT);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      for (int round = 0; round < rounds; round++) {
        String voucherId = "v-race-" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Application>> tries = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
          CartVouchers vouchers = t % 2 == 0 ? first : second;
          String cart = "cart-" + round + "-" + t;
          tries.add(
              pool.submit(
                  () -> {
                    start.await();
                    return vouchers.applyToCart(cart, CONTACT, voucherId);
                  }));
        }
        start.countDown();
        List<Application> outcomes = new ArrayList<>();
        for (Future<Application> f : tries) {
          outcomes.add(f.get(30, TimeUnit.SECONDS));
        }
        List<Application> won =
            outcomes.stream().filter(a -> a instanceof Application.Applied).toList();
        assertThat(won).as("round " + round).hasSize(1);
        assertThat(outcomes)
            .filteredOn(a -> a instanceof Application.OnAnotherCart)
            .as("round " + round)
            .hasSize(15);
        int winner = outcomes.indexOf(won.getFirst());
        assertThat(first.voucher(voucherId).orElseThrow().cartId())
            .isEqualTo("cart-" + round + "-" + winner);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void applyingWorksFromTheLocalCopyWhileTheEngineIsDown() {
    offer("v-1", 30);
    CartVouchers vouchers = imported();
    engine.down = true;

    assertThat(vouchers.applyToCart("cart-A", CONTACT, "v-1").onCart()).isTrue();
    assertThat(vouchers.applyToCart("cart-B", CONTACT, "v-1"))
        .isEqualTo(new Application.OnAnotherCart("v-1"));
  }

  @Test
  void removingAVoucherFromItsCartMakesItAvailableForAnother() {
    offer("v-1", 30);
    CartVouchers vouchers = imported();
    vouchers.applyToCart("cart-A", CONTACT, "v-1");

    assertThat(vouchers.removeFromCart("cart-B", "v-1")).as("not cart B's").isFalse();
    assertThat(vouchers.removeFromCart("cart-A", "v-1")).isTrue();

    CartVouchers.Voucher v = vouchers.voucher("v-1").orElseThrow();
    assertThat(v.status()).isEqualTo(Status.AVAILABLE);
    assertThat(v.cartId()).isNull();
    assertThat(vouchers.applyToCart("cart-B", CONTACT, "v-1").onCart()).isTrue();
  }

  // ---------------------------------------------------------------------------------------------
  // capture and credit

  @Test
  void captureRedeemsEveryVoucherOfTheCartInTheEngine() {
    engine.add(CONTACT, "v-1", "50.00", inDays(30));
    engine.add(CONTACT, "v-2", "100.00", inDays(30));
    engine.add(CONTACT, "v-3", "100.00", inDays(30));
    CartVouchers vouchers = imported();
    vouchers.applyToCart("cart-A", CONTACT, "v-1");
    vouchers.applyToCart("cart-A", CONTACT, "v-2");
    vouchers.applyToCart("cart-B", CONTACT, "v-3");

    List<Captured> captured = vouchers.capture("cart-A");

    assertThat(captured)
        .containsExactly(
            new Captured("v-1", new BigDecimal("50.00"), "SEK", EngineCall.SENT, null),
            new Captured("v-2", new BigDecimal("100.00"), "SEK", EngineCall.SENT, null));
    assertThat(engine.isRedeemed("v-1")).isTrue();
    assertThat(engine.isRedeemed("v-2")).isTrue();
    assertThat(engine.isRedeemed("v-3")).isFalse();
    assertThat(status(vouchers, "v-1")).isEqualTo(Status.REDEEMED);
    assertThat(status(vouchers, "v-3")).isEqualTo(Status.APPLIED);
    assertThat(vouchers.capture("cart-A")).as("nothing left to capture").isEmpty();
    assertThat(stub.seen("POST", "/api/v2/contacts/c-1/bonuschecks/v-1/redeem")).hasSize(1);
  }

  @Test
  void aCaptureWhileTheEngineIsDownIsBufferedAndReplayedLater() {
    offer("v-1", 30);
    StamkundConnector connector = connector();
    CartVouchers vouchers = imported(connector);
    vouchers.applyToCart("cart-A", CONTACT, "v-1");
    engine.down = true;

    List<Captured> captured = vouchers.capture("cart-A");

    assertThat(captured).extracting(Captured::engine).containsExactly(EngineCall.BUFFERED);
    assertThat(status(vouchers, "v-1")).isEqualTo(Status.REDEEMED);
    assertThat(connector.status().outbox().depthByKind()).containsEntry(Outbox.OTHER, 1L);
    assertThat(engine.isRedeemed("v-1")).isFalse();

    engine.down = false;
    assertThat(connector.replayNow()).isEqualTo(1);
    assertThat(engine.isRedeemed("v-1")).isTrue();
    assertThat(connector.status().outbox().depth()).isZero();
    // The engine now agrees; a refresh changes nothing.
    clock.advance(Duration.ofSeconds(1));
    assertThat(vouchers.refresh(CONTACT).changed()).isZero();
  }

  @Test
  void aRefreshWhileTheRedemptionIsBufferedKeepsTheVoucherRedeemed() {
    offer("v-1", 30);
    CartVouchers vouchers = imported();
    vouchers.applyToCart("cart-A", CONTACT, "v-1");
    engine.redeemDown = true;
    vouchers.capture("cart-A");
    clock.advance(Duration.ofSeconds(1));

    vouchers.refresh(CONTACT);

    assertThat(engine.isRedeemed("v-1")).isFalse();
    assertThat(status(vouchers, "v-1")).isEqualTo(Status.REDEEMED);
    assertThat(vouchers.applyToCart("cart-B", CONTACT, "v-1"))
        .isEqualTo(new Application.NotAvailable("v-1", Status.REDEEMED));
  }

  @Test
  void anAppliedVoucherIsLeftAloneByTheExpiryAndCapturedAfterItsDate() {
    offer("v-applied", 1);
    offer("v-idle", 1);
    CartVouchers vouchers = imported();
    vouchers.applyToCart("cart-A", CONTACT, "v-applied");
    clock.advance(Duration.ofDays(2));

    assertThat(vouchers.expireDue()).isEqualTo(1);

    assertThat(status(vouchers, "v-idle")).isEqualTo(Status.EXPIRED);
    assertThat(status(vouchers, "v-applied")).isEqualTo(Status.APPLIED);
    List<Captured> captured = vouchers.capture("cart-A");
    assertThat(captured).extracting(Captured::voucherId).containsExactly("v-applied");
    assertThat(captured.getFirst().engine())
        .as("the engine does not redeem an expired voucher")
        .isEqualTo(EngineCall.REFUSED);
    assertThat(captured.getFirst().errorCode()).isEqualTo("BonusCheckExpired");
    assertThat(status(vouchers, "v-applied")).isEqualTo(Status.REDEEMED);
  }

  @Test
  void creditingTheCartReactivatesItsVouchersInTheEngineAndHere() {
    offer("v-1", 30);
    CartVouchers vouchers = imported();
    captureOnCart(vouchers, "cart-A", "v-1");

    List<Credited> credited = vouchers.creditCart("cart-A");

    assertThat(credited)
        .containsExactly(new Credited("v-1", Status.AVAILABLE, EngineCall.SENT, null));
    assertThat(engine.isRedeemed("v-1")).isFalse();
    CartVouchers.Voucher v = vouchers.voucher("v-1").orElseThrow();
    assertThat(v.status()).isEqualTo(Status.AVAILABLE);
    assertThat(v.cartId()).isNull();
    assertThat(vouchers.creditCart("cart-A")).as("credited once").isEmpty();
    assertThat(vouchers.applyToCart("cart-B", CONTACT, "v-1").onCart()).isTrue();
  }

  @Test
  void aCreditBufferedWhileTheEngineIsAwayIsNotUndoneByARefreshAndIsReplayed() {
    offer("v-1", 30);
    StamkundConnector connector = connector();
    CartVouchers vouchers = imported(connector);
    captureOnCart(vouchers, "cart-A", "v-1");
    engine.reactivateDown = true;

    assertThat(vouchers.creditVoucher("v-1"))
        .contains(new Credited("v-1", Status.AVAILABLE, EngineCall.BUFFERED, null));
    clock.advance(Duration.ofSeconds(1));
    // The engine still shows it redeemed: its reactivation waits in the outbox.
    vouchers.refresh(CONTACT);
    assertThat(status(vouchers, "v-1")).isEqualTo(Status.AVAILABLE);

    engine.reactivateDown = false;
    assertThat(connector.replayNow()).isEqualTo(1);
    assertThat(engine.isRedeemed("v-1")).isFalse();
    clock.advance(Duration.ofSeconds(1));
    vouchers.refresh(CONTACT);
    assertThat(status(vouchers, "v-1")).isEqualTo(Status.AVAILABLE);
  }

  @Test
  void aCreditTheEngineRefusesLeavesTheVoucherRedeemed() {
    offer("v-1", 30);
    CartVouchers vouchers = imported();
    captureOnCart(vouchers, "cart-A", "v-1");
    engine.reactivationLimitReached = true;

    assertThat(vouchers.creditVoucher("v-1"))
        .contains(
            new Credited(
                "v-1",
                Status.REDEEMED,
                EngineCall.REFUSED,
                "RewardVoucherReactivationLimitReached"));
    assertThat(status(vouchers, "v-1")).isEqualTo(Status.REDEEMED);
  }

  @Test
  void aCreditAfterTheExpiryDateMakesTheVoucherExpiredWithoutCallingTheEngine() {
    offer("v-1", 1);
    CartVouchers vouchers = imported();
    captureOnCart(vouchers, "cart-A", "v-1");
    clock.advance(Duration.ofDays(2));

    assertThat(vouchers.creditVoucher("v-1"))
        .contains(new Credited("v-1", Status.EXPIRED, EngineCall.NOT_SENT, null));
    assertThat(stub.seen("POST", "/api/v2/promotions/reward-vouchers/")).isEmpty();
  }

  /** v-1 is captured while the engine is down, and the engine has it redeemed by the replay. */
  private void bufferARedemptionTheEngineHasAlready(StamkundConnector connector) {
    offer("v-1", 30);
    CartVouchers vouchers = imported(connector);
    vouchers.applyToCart("cart-A", CONTACT, "v-1");
    engine.down = true;
    vouchers.capture("cart-A");
    engine.down = false;
    // Redeemed by the till meanwhile, or the first attempt got through with its answer lost.
    engine.redeem("v-1");
  }

  @Test
  void aReplayedRedemptionTheEngineHadAlreadyCountsAsDeliveredWithTheListener() {
    StamkundConnector connector = connector(CartVouchers.outboxListener(OutboxListener.NONE));
    bufferARedemptionTheEngineHasAlready(connector);

    assertThat(connector.replayNow()).isEqualTo(1);
    assertThat(connector.status().outbox().dead()).isZero();
  }

  @Test
  void withoutTheListenerSuchAReplayIsKeptAsDead() {
    StamkundConnector connector = connector();
    bufferARedemptionTheEngineHasAlready(connector);

    connector.replayNow();
    assertThat(connector.status().outbox().dead()).isEqualTo(1);
  }

  @Test
  void aCaptureMarkLeftByAKilledProcessIsPutIntoTheOutboxWhenTheFileIsOpenedAgain()
      throws Exception {
    offer("v-1", 30);
    StamkundConnector connector = connector();
    CartVouchers vouchers = imported(connector);
    vouchers.applyToCart("cart-A", CONTACT, "v-1");
    vouchers.close();
    // What a process killed between the local capture and the engine call leaves behind.
    updateFile("update vouchers set status = 'REDEEMED', engine_todo = 'redeem' where id = 'v-1'");

    CartVouchers reopened = vouchers(connector);

    assertThat(connector.status().outbox().depthByKind()).containsEntry(Outbox.OTHER, 1L);
    assertThat(connector.replayNow()).isEqualTo(1);
    assertThat(engine.isRedeemed("v-1")).isTrue();
    assertThat(status(reopened, "v-1")).isEqualTo(Status.REDEEMED);
    assertThat(countInFile("select count(*) from vouchers where engine_todo is not null")).isZero();
  }

  /** Changes the vouchers file behind the back of {@link CartVouchers}. */
  private void updateFile(String update) throws SQLException {
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(CartVouchers.FILE));
        Statement s = db.createStatement()) {
      s.executeUpdate(update);
    }
  }

  private int countInFile(String query) throws SQLException {
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(CartVouchers.FILE));
        Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // retention

  @Test
  void redeemedAndExpiredVouchersArePurgedAfterTheRetentionPeriod() {
    offer("v-used", 60);
    offer("v-lapsed", 1);
    offer("v-kept", 60);
    CartVouchers vouchers = imported();
    captureOnCart(vouchers, "cart-A", "v-used");
    clock.advance(Duration.ofDays(2));
    assertThat(vouchers.expireDue()).isEqualTo(1);
    clock.advance(Duration.ofDays(11));
    assertThat(vouchers.purge()).as("not yet 14 days").isZero();
    clock.advance(Duration.ofDays(4));

    assertThat(vouchers.expireDue()).isZero();

    assertThat(vouchers.voucher("v-used")).isEmpty();
    assertThat(vouchers.voucher("v-lapsed")).isEmpty();
    assertThat(status(vouchers, "v-kept")).isEqualTo(Status.AVAILABLE);
  }

  @Test
  void badSettingsAreRefused() {
    StamkundConnector connector = connector();
    assertThatThrownBy(() -> CartVouchers.builder(connector).pageSize(501).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pageSize");
    assertThatThrownBy(() -> CartVouchers.builder(connector).listBudget(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("listBudget");
  }

  @Test
  void engineTimesAreReadWithOrWithoutAnOffset() {
    assertThat(EngineVoucher.instant("2026-03-31T23:59:59+02:00"))
        .isEqualTo(Instant.parse("2026-03-31T21:59:59Z"));
    assertThat(EngineVoucher.instant("2026-03-31T00:00:00Z"))
        .isEqualTo(Instant.parse("2026-03-31T00:00:00Z"));
    assertThat(EngineVoucher.instant("2026-03-31")).isNotNull();
    assertThat(EngineVoucher.instant("soon")).isNull();
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * The engine's bonus checks, kept in memory and served through the stub: list (paged), redeem and
   * reactivate with Stamkund's answers and error codes.
   */
  static final class FakeVouchers {

    private final MutableClock clock;
    private final Map<String, ObjectNode> byId = new ConcurrentHashMap<>();
    private final Map<String, String> contactOf = new ConcurrentHashMap<>();
    private final List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.Set<String> contacts = ConcurrentHashMap.newKeySet();
    volatile boolean down;
    volatile boolean redeemDown;
    volatile boolean reactivateDown;
    volatile boolean reactivationLimitReached;

    FakeVouchers(StubEngine stub, MutableClock clock) {
      this.clock = clock;
      contacts.add(CONTACT);
      contacts.add("c-2");
      stub.on("GET /api/v2/contacts/", this::onList);
      stub.on("POST /api/v2/contacts/", this::onRedeem);
      stub.on("POST /api/v2/promotions/reward-vouchers/", this::onReactivate);
    }

    void add(String contactId, String id, String amount, Instant expiresAt) {
      ObjectNode v = Json.object();
      v.put("id", id);
      v.put("checkNumber", "N-" + id);
      v.put("name", "Bonus check");
      v.putObject("value").put("currency", "SEK").put("amount", new BigDecimal(amount));
      v.put("expiresOn", expiresAt.toString());
      v.put("redeemed", false);
      v.putNull("redeemedOn");
      byId.put(id, v);
      contactOf.put(id, contactId);
      contacts.add(contactId);
      order.add(id);
    }

    void redeem(String id) {
      redeemAt(id, clock.instant());
    }

    private ObjectNode voucher(String id) {
      return java.util.Objects.requireNonNull(byId.get(id), id);
    }

    synchronized void redeemAt(String id, Instant at) {
      ObjectNode v = voucher(id);
      v.put("redeemed", true);
      v.put("redeemedOn", at.toString());
    }

    synchronized void extend(String id, Instant expiresAt) {
      voucher(id).put("expiresOn", expiresAt.toString());
    }

    void deleteContact(String contactId) {
      contacts.remove(contactId);
    }

    boolean isRedeemed(String id) {
      return voucher(id).path("redeemed").asBoolean();
    }

    private boolean expired(ObjectNode v) {
      return !Instant.parse(v.path("expiresOn").asString()).isAfter(clock.instant());
    }

    private static StubEngine.Answer error(int status, String code) {
      return StubEngine.Answer.json(
          status, "{\"statusCode\":" + status + ",\"errorCode\":\"" + code + "\"}");
    }

    private synchronized StubEngine.Answer onList(StubEngine.Seen s) {
      if (down) {
        return StubEngine.Answer.json(503, "");
      }
      String[] parts = s.target().split("\\?", -1)[0].split("/", -1);
      // /api/v2/contacts/{id}/bonuschecks
      String contactId = parts[4];
      if (!contacts.contains(contactId)) {
        return error(404, "ContactNotFound");
      }
      int offset = Integer.parseInt(query(s.target(), "offset", "0"));
      int count = Integer.parseInt(query(s.target(), "count", "100"));
      List<ObjectNode> mine =
          order.reversed().stream()
              .filter(id -> contactId.equals(contactOf.get(id)))
              .map(byId::get)
              .toList();
      ArrayNode items = Json.array();
      for (ObjectNode v : mine.stream().skip(offset).limit(count).toList()) {
        ObjectNode copy = v.deepCopy();
        copy.put("expired", !v.path("redeemed").asBoolean() && expired(v));
        items.add(copy);
      }
      ObjectNode page = Json.object();
      page.set("items", items);
      page.put("totalCount", mine.size());
      page.put("offset", offset);
      page.put("count", count);
      return StubEngine.Answer.json(200, Json.write(page));
    }

    private synchronized StubEngine.Answer onRedeem(StubEngine.Seen s) {
      if (down || redeemDown) {
        return StubEngine.Answer.json(503, "");
      }
      // /api/v2/contacts/{id}/bonuschecks/{voucherId}/redeem
      String[] parts = s.target().split("/", -1);
      ObjectNode v = byId.get(parts[6]);
      if (v == null || !parts[4].equals(contactOf.get(parts[6]))) {
        return error(404, "BonusCheckNotFound");
      }
      if (v.path("redeemed").asBoolean()) {
        return error(409, "BonusCheckAlreadyRedeemed");
      }
      if (expired(v)) {
        return error(409, "BonusCheckExpired");
      }
      redeem(parts[6]);
      return StubEngine.Answer.json(200, Json.write(v));
    }

    private synchronized StubEngine.Answer onReactivate(StubEngine.Seen s) {
      if (down || reactivateDown) {
        return StubEngine.Answer.json(503, "");
      }
      // /api/v2/promotions/reward-vouchers/{id}/reactivate
      String id = s.target().split("/", -1)[5];
      ObjectNode v = byId.get(id);
      if (v == null) {
        return error(404, "RewardVoucherNotFound");
      }
      if (expired(v)) {
        return error(409, "RewardVoucherExpired");
      }
      if (!v.path("redeemed").asBoolean()) {
        return error(409, "RewardVoucherAlreadyActivated");
      }
      if (reactivationLimitReached) {
        return error(409, "RewardVoucherReactivationLimitReached");
      }
      v.put("redeemed", false);
      v.putNull("redeemedOn");
      return StubEngine.Answer.json(200, "\"" + id + "\"");
    }

    private static String query(String target, String name, String fallback) {
      int q = target.indexOf('?');
      if (q < 0) {
        return fallback;
      }
      for (String pair : target.substring(q + 1).split("&", -1)) {
        String[] kv = pair.split("=", 2);
        if (kv[0].equals(name) && kv.length == 2) {
          return kv[1];
        }
      }
      return fallback;
    }
  }
}

package org.stamkund.server.loyalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stamkund.server.loyalty.LoyaltyFixtures.balance;
import static org.stamkund.server.loyalty.LoyaltyFixtures.member;
import static org.stamkund.server.loyalty.LoyaltyFixtures.parallel;
import static org.stamkund.server.loyalty.LoyaltyFixtures.receipt;
import static org.stamkund.server.loyalty.LoyaltyFixtures.send;
import static org.stamkund.server.loyalty.LoyaltyFixtures.unique;
import static org.stamkund.server.loyalty.LoyaltyFixtures.vouchers;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import org.stamkund.server.loyalty.LoyaltyFixtures.Contact;
import org.stamkund.server.loyalty.LoyaltyFixtures.Receipt;
import tools.jackson.databind.JsonNode;

/**
 * The loyalty invariants under real races: many threads, one server, one PostgreSQL. A receipt
 * earns once, a voucher is redeemed once, and a balance never drifts from its ledger.
 */
class LoyaltyRacesIntegrationTests extends IntegrationTest {

  @Autowired JdbcClient jdbc;
  @Autowired DataSource dataSource;

  @BeforeEach
  void defaultProgramme() {
    LoyaltyFixtures.restoreDefaults(api);
  }

  @AfterEach
  void restoreProgramme() {
    LoyaltyFixtures.restoreDefaults(api);
  }

  @Test
  void oneReceiptPostedTwentyTimesInParallelEarnsOnce() throws Exception {
    Contact member = member(api);
    Receipt receipt = receipt(member.email()).purchase("RACE-1", "123.45");
    List<Api.Response> answers =
        parallel(20, 20, i -> api.post("/api/v2/receipts", receipt.body()));

    assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.toString()).isEqualTo(202));
    assertThat(
            jdbc.sql("select count(*) from receipts where unique_receipt_id = ?")
                .param(receipt.uniqueReceiptId())
                .query(Long.class)
                .single())
        .isEqualTo(1);
    assertThat(movements(member, "Purchase")).isEqualTo(1);
    assertThat(
            jdbc.sql("select count(*) from receipt_lines where contact_id = ?::uuid")
                .param(member.id())
                .query(Long.class)
                .single())
        .isEqualTo(1);
    assertThat(balance(api, member.id())).isEqualTo(123);
    assertLedgerConsistent(member);
  }

  @Test
  void oneVoucherRedeemedByTwentyParallelCallsIsRedeemedOnce() throws Exception {
    Contact member = member(api);
    String voucher = voucherOf(member);
    String redeem = "/api/v2/contacts/" + member.id() + "/bonuschecks/" + voucher + "/redeem";
    List<Api.Response> answers = parallel(20, 20, i -> api.post(redeem, null));

    assertThat(answers.stream().filter(a -> a.status() == 200)).hasSize(1);
    assertThat(answers.stream().filter(a -> a.status() != 200))
        .hasSize(19)
        .allSatisfy(
            a -> {
              assertThat(a.status()).as(a.toString()).isEqualTo(409);
              assertThat(a.errorCode()).isEqualTo("BonusCheckAlreadyRedeemed");
            });
    assertThat(vouchers(api, member.id(), "redeemed").path("totalCount").asLong()).isEqualTo(1);
    assertThat(vouchers(api, member.id(), "available").path("totalCount").asLong()).isZero();
  }

  @Test
  void twentyParallelReactivationsAfterOneRedemptionSucceedOnce() throws Exception {
    Contact member = member(api);
    String voucher = voucherOf(member);
    Api.Response redeemed =
        api.post("/api/v2/contacts/" + member.id() + "/bonuschecks/" + voucher + "/redeem", null);
    assertThat(redeemed.status()).isEqualTo(200);
    String reactivate = "/api/v2/promotions/reward-vouchers/" + voucher + "/reactivate";
    List<Api.Response> answers = parallel(20, 20, i -> api.post(reactivate, null));

    assertThat(answers.stream().filter(a -> a.status() == 200))
        .hasSize(1)
        .allSatisfy(a -> assertThat(a.json().asString()).isEqualTo(voucher));
    assertThat(answers.stream().filter(a -> a.status() != 200))
        .hasSize(19)
        .allSatisfy(
            a -> {
              assertThat(a.status()).as(a.toString()).isEqualTo(409);
              assertThat(a.errorCode()).isEqualTo("RewardVoucherAlreadyActivated");
            });
    JsonNode available = vouchers(api, member.id(), "available");
    assertThat(available.path("totalCount").asLong()).isEqualTo(1);
    assertThat(available.path("items").get(0).path("reactivations").asInt()).isEqualTo(1);
  }

  @Test
  void fiftyReceiptsFromTenThreadsAreAllAppliedAndTheTotalStaysTheSumOfTheLedger()
      throws Exception {
    Contact member = member(api);
    fiftyReceiptsFromTenThreads(member);

    assertThat(
            jdbc.sql(
                    "select count(*) from receipts where contact_id = ?::uuid"
                        + " and status = 'Processed'")
                .param(member.id())
                .query(Long.class)
                .single())
        .isEqualTo(50);
    assertThat(movements(member, "Purchase")).isEqualTo(50);
    assertThat(movements(member, "BonusCheck"))
        .isEqualTo(vouchers(api, member.id(), "").path("totalCount").asLong());
    assertThat(total(member)).isEqualTo(sumOfMovements(member));
    assertThat(negativeLots(member)).isZero();
  }

  @Test
  void fiftyReceiptsFromTenThreadsConvertExactlyTheVouchersTheirPointsReach() throws Exception {
    Contact member = member(api);
    long earned = fiftyReceiptsFromTenThreads(member);

    long expectedVouchers = earned / 500;
    assertThat(vouchers(api, member.id(), "").path("totalCount").asLong())
        .isEqualTo(expectedVouchers);
    assertThat(movements(member, "BonusCheck")).isEqualTo(expectedVouchers);
    assertThat(balance(api, member.id())).isEqualTo(earned - 500 * expectedVouchers);
    assertLedgerConsistent(member);
  }

  /**
   * The same bug, step by step: receipt A reads the clock and then waits (here on an uncommitted
   * receipt row with A's id that a test transaction holds); meanwhile receipt B converts the
   * member's 500 points into a voucher. A then sees B's conversion as pending (valid_from after A's
   * clock), its available points as 100 + 500, and issues a second voucher the member never earned.
   */
  @Test
  void receiptThatWaitedDoesNotConvertPointsAnotherReceiptAlreadyConverted() throws Exception {
    // B must not queue behind A in A's group-commit lane: it names the member by contact id,
    // another key than A's e-mail, and goes to the other lane, which has less to do.
    Contact member = member(api);
    Receipt waiting = receipt(member.email()).purchase("WAIT-1", "100");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection holder = dataSource.getConnection()) {
      // An uncommitted row with A's unique receipt id: A's insert waits for it inside A's
      // transaction, after A has read the clock.
      holder.setAutoCommit(false);
      LoyaltyFixtures.holdReceiptId(holder, waiting.uniqueReceiptId());
      Future<Api.Response> first = pool.submit(() -> api.post("/api/v2/receipts", waiting.body()));
      LoyaltyFixtures.awaitWaitingOnHeldReceipt(jdbc);
      send(
          api,
          receipt(member.email())
              .purchase("CONVERT-1", "500")
              .set("contact.matchKeyType", "contactId")
              .set("contact.matchKey", member.id()));
      assertThat(vouchers(api, member.id(), "").path("totalCount").asLong()).isEqualTo(1);
      holder.rollback();
      Api.Response answer = first.get(60, TimeUnit.SECONDS);
      assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    } finally {
      pool.shutdownNow();
    }
    assertThat(balance(api, member.id())).isEqualTo(100);
    assertThat(vouchers(api, member.id(), "").path("totalCount").asLong()).isEqualTo(1);
    assertLedgerConsistent(member);
  }

  /** Posts 50 receipts for the member from 10 threads; returns the points they earn together. */
  private long fiftyReceiptsFromTenThreads(Contact member) throws Exception {
    List<Receipt> receipts = new ArrayList<>();
    long earned = 0;
    for (int i = 0; i < 50; i++) {
      long points = 37 + 11L * i;
      // .90 is rounded away: each receipt earns exactly its whole kronor
      receipts.add(receipt(member.email()).purchase("MANY-" + i, points + ".90"));
      earned += points;
    }
    List<Api.Response> answers =
        parallel(10, 50, i -> api.post("/api/v2/receipts", receipts.get(i).body()));
    assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.toString()).isEqualTo(202));
    return earned;
  }

  @Test
  void twentyParallelPostsWithOneIdempotencyKeyApplyOnce() throws Exception {
    Contact member = member(api);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("contactId", member.id());
    row.put("amount", 40);
    row.put("definitionId", 1);
    row.put("source", "it");
    row.put("description", "raced");
    List<Object> rows =
        List.of(
            row,
            Map.of(
                "contactId",
                UUID.randomUUID().toString(),
                "amount",
                1,
                "source",
                "it",
                "description",
                "nobody"));
    Map<String, String> header = Map.of("Idempotency-Key", unique("it-race-key"));
    List<Api.Response> answers =
        parallel(20, 20, i -> api.post("/api/v2/point-accounts/transactions", rows, header));

    assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.toString()).isEqualTo(202));
    JsonNode first = answers.getFirst().json();
    assertThat(first.path("missingContactIds").size()).isEqualTo(1);
    assertThat(answers).allSatisfy(a -> assertThat(a.json()).isEqualTo(first));
    assertThat(movements(member, "Adjustment")).isEqualTo(1);
    assertThat(balance(api, member.id())).isEqualTo(40);
    assertLedgerConsistent(member);
  }

  private String voucherOf(Contact member) {
    send(api, receipt(member.email()).purchase("V-" + member.id().substring(0, 6), "500"));
    JsonNode available = vouchers(api, member.id(), "available");
    assertThat(available.path("totalCount").asLong()).isEqualTo(1);
    return available.path("items").get(0).path("id").asString();
  }

  private long movements(Contact member, String type) {
    return jdbc.sql("select count(*) from point_movements where contact_id = ?::uuid and type = ?")
        .params(member.id(), type)
        .query(Long.class)
        .single();
  }

  /**
   * The account's total is the sum of its movements; no lot is below zero; what is left in the lots
   * is the balance (the balance here never goes negative).
   */
  private void assertLedgerConsistent(Contact member) {
    long total = total(member);
    assertThat(total).isEqualTo(sumOfMovements(member));
    assertThat(negativeLots(member)).isZero();
    assertThat(total).isNotNegative();
    assertThat(
            jdbc.sql(
                    "select coalesce(sum(remaining), 0) from point_lots where contact_id = ?::uuid")
                .param(member.id())
                .query(Long.class)
                .single())
        .isEqualTo(total);
  }

  private long total(Contact member) {
    return jdbc.sql("select total from point_accounts where contact_id = ?::uuid")
        .param(member.id())
        .query(Long.class)
        .single();
  }

  private long sumOfMovements(Contact member) {
    return jdbc.sql(
            "select coalesce(sum(amount), 0) from point_movements where contact_id = ?::uuid")
        .param(member.id())
        .query(Long.class)
        .single();
  }

  private long negativeLots(Contact member) {
    return jdbc.sql("select count(*) from point_lots where contact_id = ?::uuid and remaining < 0")
        .param(member.id())
        .query(Long.class)
        .single();
  }
}

package org.stamkund.server.loyalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stamkund.server.loyalty.LoyaltyFixtures.balance;
import static org.stamkund.server.loyalty.LoyaltyFixtures.member;
import static org.stamkund.server.loyalty.LoyaltyFixtures.receipt;
import static org.stamkund.server.loyalty.LoyaltyFixtures.send;
import static org.stamkund.server.loyalty.LoyaltyFixtures.vouchers;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

/**
 * A lane's batch applies receipts of many members with a statement per step for all of them: a
 * member's several receipts of one batch still apply in order, each seeing the one before, and a
 * return, a repeat and an unknown member in the same batch each have their own effect.
 */
class ReceiptBatchIntegrationTests extends IntegrationTest {

  @Autowired JdbcClient jdbc;
  @Autowired DataSource dataSource;
  @Autowired ReceiptManagement receipts;
  @Autowired org.stamkund.server.platform.StamkundProperties properties;

  @BeforeEach
  @AfterEach
  void defaultProgramme() {
    LoyaltyFixtures.restoreDefaults(api);
  }

  @Test
  void oneBatchOfManyMembersAppliesEachMembersReceiptsInOrderInOneTransaction() throws Exception {
    Contact holder = member(api);
    List<Contact> members = members(6);
    // The first member buys three things and returns the first; the others buy for 300, 250 and
    // 400: their second receipt reaches a voucher (500 points), their third starts afresh.
    List<Receipt> queued = new ArrayList<>();
    Contact first = members.getFirst();
    queued.add(receipt(first.email()).purchase("BATCH-A", "100"));
    queued.add(receipt(first.email()).purchase("BATCH-B", "120"));
    queued.add(receipt(first.email()).purchase("BATCH-C", "130"));
    queued.add(receipt(first.email()).returned("BATCH-A", 1, "100"));
    for (Contact m : members.subList(1, members.size())) {
      queued.add(receipt(m.email()).purchase("BATCH-X", "300"));
      queued.add(receipt(m.email()).purchase("BATCH-Y", "250"));
      queued.add(receipt(m.email()).purchase("BATCH-Z", "400"));
    }
    // A repeat in the same batch, and a shopper nobody knows yet.
    queued.add(queued.get(5));
    String stranger = Api.uniqueEmail();
    queued.add(receipt(stranger).purchase("BATCH-S", "75"));

    sendInOneBatch(holder, queued);

    assertThat(transactionsOf(queued)).as("the queued receipts committed together").isEqualTo(1);
    assertThat(
            jdbc.sql("select payload::text from receipts where unique_receipt_id = ?")
                .param(queued.getFirst().uniqueReceiptId())
                .query(String.class)
                .single())
        .as("the body is kept as sent, its fields in their order")
        .startsWith("{\"contact\":{\"matchKey\":");
    // The first member: 100 + 120 + 130 earned, the first purchase's 100 taken back.
    assertThat(balance(api, first.id())).isEqualTo(250);
    assertThat(vouchers(api, first.id(), "").path("totalCount").asLong()).isZero();
    assertThat(returnedQuantity(first, "BATCH-A")).isEqualTo(1);
    for (Contact m : members.subList(1, members.size())) {
      assertThat(balance(api, m.id())).as("950 earned, 500 converted").isEqualTo(450);
      assertThat(vouchers(api, m.id(), "").path("totalCount").asLong()).isEqualTo(1);
      assertThat(count("select count(*) from receipts where contact_id = ?::uuid", m))
          .as("the repeat counted once")
          .isEqualTo(3);
      assertThat(
              count(
                  "select count(*) from receipts where contact_id = ?::uuid"
                      + " and status = 'Processed'",
                  m))
          .isEqualTo(3);
    }
    for (Contact m : members) {
      assertThat(count("select total from point_accounts where contact_id = ?::uuid", m))
          .isEqualTo(count("select sum(amount) from point_movements where contact_id = ?::uuid", m))
          .isEqualTo(
              count(
                  "select coalesce(sum(remaining), 0) from point_lots where contact_id = ?::uuid",
                  m));
    }
    assertThat(
            jdbc.sql("select status from receipts where match_key = ?")
                .param(stranger.toLowerCase(Locale.ROOT))
                .query(String.class)
                .single())
        .isEqualTo("Unmatched");
  }

  @Test
  void returnsOfSeveralMembersInOneBatchTakeBackWhatTheirPurchasesEarned() throws Exception {
    Contact holder = member(api);
    List<Contact> members = members(3);
    Contact twice = members.get(0);
    Contact nothing = members.get(1);
    Contact mixed = members.get(2);
    send(api, receipt(twice.email()).purchase("RET-A", 2, "200"));
    send(api, receipt(mixed.email()).purchase("RET-M1", "400"));
    // Three lines of one receipt return a piece each of a purchase line of two: the second takes
    // what the first left, the third finds nothing left. A return of what the member never bought
    // takes nothing. A purchase of 700
    // with a return of 400 leaves 1,100 - 400 = 700 points, of which 500 become a voucher.
    Receipt threeLines =
        receipt(twice.email())
            .returned("RET-A", 1, "100")
            .returned("RET-A", 1, "100")
            .returned("RET-A", 1, "100");
    Receipt unmatched = receipt(nothing.email()).returned("RET-N", 1, "50");
    Receipt both = receipt(mixed.email()).purchase("RET-M2", "700").returned("RET-M1", 1, "400");
    List<Receipt> queued = List.of(threeLines, unmatched, both);

    sendInOneBatch(holder, queued);

    assertThat(transactionsOf(queued)).isEqualTo(1);
    assertThat(balance(api, twice.id())).isZero();
    assertThat(returnedQuantity(twice, "RET-A")).isEqualTo(2);
    assertThat(
            jdbc.sql(
                    "select points_taken_back from receipt_lines"
                        + " where contact_id = ?::uuid and type = 'PURCHASE'")
                .param(twice.id())
                .query(Long.class)
                .single())
        .isEqualTo(200);
    assertThat(
            jdbc.sql(
                    "select points from receipt_lines where receipt_id ="
                        + " (select id from receipts where unique_receipt_id = ?)"
                        + " order by line_index")
                .param(threeLines.uniqueReceiptId())
                .query(Long.class)
                .list())
        .containsExactly(-100L, -100L, 0L);
    assertThat(
            jdbc.sql(
                    "select points_returned from receipts"
                        + " where contact_id = ?::uuid and points_returned > 0")
                .param(twice.id())
                .query(Long.class)
                .single())
        .as("the purchase's receipt counts the points returned, for the levels")
        .isEqualTo(200);

    assertThat(balance(api, nothing.id())).isZero();
    assertThat(count("select count(*) from point_movements where contact_id = ?::uuid", nothing))
        .isZero();

    assertThat(balance(api, mixed.id())).isEqualTo(200);
    assertThat(vouchers(api, mixed.id(), "").path("totalCount").asLong()).isEqualTo(1);
    assertThat(
            jdbc.sql(
                    "select type || ' ' || amount from point_movements where contact_id = ?::uuid"
                        + " order by id")
                .param(mixed.id())
                .query(String.class)
                .list())
        .containsExactly("Purchase 400", "Purchase 700", "Return -400", "BonusCheck -500");

    for (Receipt r : queued) {
      assertThat(
              jdbc.sql("select status from receipts where unique_receipt_id = ?")
                  .param(r.uniqueReceiptId())
                  .query(String.class)
                  .single())
          .isEqualTo("Processed");
    }
    assertThat(
            jdbc.sql(
                    "select points || ' ' || earned_points || ' ' || group_amount::bigint"
                        + " from receipts where unique_receipt_id = any(?) order by receipt_number")
                .param(
                    new String[] {
                      threeLines.uniqueReceiptId(),
                      unmatched.uniqueReceiptId(),
                      both.uniqueReceiptId()
                    })
                .query(String.class)
                .list())
        .containsExactlyInAnyOrder("-200 0 -200", "0 0 0", "300 700 300");
    for (Contact m : members) {
      assertThat(count("select total from point_accounts where contact_id = ?::uuid", m))
          .isEqualTo(
              count(
                  "select coalesce(sum(amount), 0) from point_movements where contact_id = ?::uuid",
                  m))
          .isEqualTo(
              count(
                  "select coalesce(sum(remaining), 0) from point_lots where contact_id = ?::uuid",
                  m));
    }
  }

  @Test
  void purchaseWhosePointsBecomeVouchersLeavesItsLotWhatTheVouchersDidNotTakeInTheLedgersOrder() {
    Contact member = member(api);
    // 300 points in a first lot, then 800 more: 1,100 make two vouchers of 500. They take the
    // older lot first (oldest expiry first), then 700 of the new one, which keeps 100.
    assertThat(
            api.post("/api/v2/receipts", receipt(member.email()).purchase("LOT-A", "300").body())
                .status())
        .isEqualTo(202);
    assertThat(
            api.post("/api/v2/receipts", receipt(member.email()).purchase("LOT-B", "800").body())
                .status())
        .isEqualTo(202);

    assertThat(balance(api, member.id())).isEqualTo(100);
    assertThat(vouchers(api, member.id(), "").path("totalCount").asLong()).isEqualTo(2);
    assertThat(
            jdbc.sql(
                    "select l.remaining from point_lots l join point_movements m"
                        + " on m.id = l.movement_id where l.contact_id = ?::uuid order by m.id")
                .param(member.id())
                .query(Long.class)
                .list())
        .containsExactly(0L, 100L);
    assertThat(
            jdbc.sql(
                    "select type || ' ' || amount from point_movements where contact_id = ?::uuid"
                        + " order by id")
                .param(member.id())
                .query(String.class)
                .list())
        .as("the earning before the vouchers it paid for")
        .containsExactly("Purchase 300", "Purchase 800", "BonusCheck -500", "BonusCheck -500");
    assertThat(count("select total from point_accounts where contact_id = ?::uuid", member))
        .isEqualTo(
            count("select sum(amount) from point_movements where contact_id = ?::uuid", member))
        .isEqualTo(100);
  }

  @Test
  void aMembersActivityIsTheirLatestPurchaseAndNeverLaterThanTheReceiptArrived() {
    Contact member = member(api);
    String earlier = "2026-11-02T10:00:00+01:00";
    String later = "2026-11-20T10:00:00+01:00";
    for (String date : List.of(later, earlier)) {
      assertThat(
              api.post(
                      "/api/v2/receipts",
                      receipt(member.email()).purchase("ACT", "10").set("createdDate", date).body())
                  .status())
          .isEqualTo(202);
    }
    assertThat(lastActivity(member)).isEqualTo(java.time.OffsetDateTime.parse(later).toInstant());

    // A till whose clock runs an hour fast: the activity is when the receipt arrived.
    java.time.Instant before = java.time.Instant.now();
    String ahead =
        java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
            .plusHours(1)
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            .toString();
    assertThat(
            api.post(
                    "/api/v2/receipts",
                    receipt(member.email()).purchase("ACT", "10").set("createdDate", ahead).body())
                .status())
        .isEqualTo(202);
    assertThat(lastActivity(member)).isBetween(before, java.time.Instant.now());
  }

  @Test
  void theLanesBatchesAndTheReceiptsWaitingForThemAreInTheMetrics() {
    Contact member = member(api);
    double batches = metric("stamkund_receipts_batches_seconds_count{outcome=\"committed\"}");
    double receiptsInBatches = metric("stamkund_receipts_batch_size_receipts_sum");
    double waited = metric("stamkund_receipts_waited_seconds_total");

    assertThat(
            api.post("/api/v2/receipts", receipt(member.email()).purchase("MET", "10").body())
                .status())
        .isEqualTo(202);

    assertThat(metric("stamkund_receipts_batches_seconds_count{outcome=\"committed\"}"))
        .isEqualTo(batches + 1);
    assertThat(metric("stamkund_receipts_batch_size_receipts_sum"))
        .isEqualTo(receiptsInBatches + 1);
    assertThat(metric("stamkund_receipts_waiting_receipts")).isZero();
    assertThat(metric("stamkund_receipts_waited_seconds_total")).isGreaterThan(waited);
  }

  /** A sample's value in {@code /actuator/prometheus}; 0 when it is not there yet. */
  private double metric(String sample) {
    Api.Response metrics = api.get("/actuator/prometheus");
    assertThat(metrics.status()).as(metrics.toString()).isEqualTo(200);
    return metrics
        .text()
        .lines()
        .filter(line -> line.startsWith(sample + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1)))
        .sum();
  }

  private java.time.Instant lastActivity(Contact member) {
    return jdbc.sql("select last_activity from point_accounts where contact_id = ?::uuid")
        .param(member.id())
        .query((rs, n) -> rs.getTimestamp(1).toInstant())
        .single();
  }

  private List<Contact> members(int count) {
    List<Contact> members = new ArrayList<>();
    while (members.size() < count) {
      members.add(member(api));
    }
    return members;
  }

  /**
   * Sends the receipts one at a time while every lane is busy, so they queue in the order sent in
   * one lane, which takes them as one batch; each is answered 202. A receipt goes to the lane with
   * the least to do: each lane but one is kept busier than the holder's by a held receipt of a
   * member of its own and as many more of that member's behind it as there are receipts to queue,
   * so all of these go to the holder's lane.
   */
  private void sendInOneBatch(Contact holder, List<Receipt> queued) throws Exception {
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    List<Future<Api.Response>> answers = new ArrayList<>();
    List<Future<Api.Response>> others = new ArrayList<>();
    try (Connection holderTx = dataSource.getConnection()) {
      // Uncommitted rows with the held receipts' ids keep their lanes busy while the others queue.
      holderTx.setAutoCommit(false);
      int busy = 0;
      for (int lane = 1; lane < properties.receiptLanes(); lane++) {
        Contact blocker = member(api);
        Receipt blocking = receipt(blocker.email()).purchase("BATCH-BUSY", "1");
        LoyaltyFixtures.holdReceiptId(holderTx, blocking.uniqueReceiptId());
        others.add(pool.submit(() -> api.post("/api/v2/receipts", blocking.body())));
        LoyaltyFixtures.awaitWaitingOnHeldReceipts(jdbc, ++busy);
        for (int i = 0; i < queued.size(); i++) {
          Receipt behind = receipt(blocker.email()).purchase("BATCH-BEHIND", "1");
          others.add(pool.submit(() -> api.post("/api/v2/receipts", behind.body())));
          awaitQueued((busy - 1) * queued.size() + i + 1);
        }
      }
      Receipt held = receipt(holder.email()).purchase("BATCH-HOLD", "10");
      LoyaltyFixtures.holdReceiptId(holderTx, held.uniqueReceiptId());
      others.add(pool.submit(() -> api.post("/api/v2/receipts", held.body())));
      LoyaltyFixtures.awaitWaitingOnHeldReceipts(jdbc, busy + 1);
      // One at a time, so a member's receipts queue in the order they were sent.
      int waiting = receipts.waiting();
      for (Receipt r : queued) {
        answers.add(pool.submit(() -> api.post("/api/v2/receipts", r.body())));
        awaitQueued(waiting + answers.size());
      }
      holderTx.rollback();
      for (Future<Api.Response> answer : others) {
        assertThat(answer.get(60, TimeUnit.SECONDS).status()).isEqualTo(202);
      }
      for (Future<Api.Response> answer : answers) {
        Api.Response response = answer.get(60, TimeUnit.SECONDS);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** How many transactions committed these receipts. */
  private long transactionsOf(List<Receipt> queued) {
    return jdbc.sql(
            "select count(distinct xmin::text) from receipts where unique_receipt_id = any(?)")
        .param(queued.stream().map(Receipt::uniqueReceiptId).distinct().toArray(String[]::new))
        .query(Long.class)
        .single();
  }

  private void awaitQueued(int count) throws InterruptedException {
    for (int i = 0; i < 500 && receipts.waiting() < count; i++) {
      Thread.sleep(10);
    }
    assertThat(receipts.waiting()).as("receipts waiting for the lane").isEqualTo(count);
  }

  private long returnedQuantity(Contact member, String sku) {
    return jdbc.sql(
            "select returned_quantity::bigint from receipt_lines"
                + " where contact_id = ?::uuid and sku = ? and type = 'PURCHASE'")
        .params(member.id(), sku)
        .query(Long.class)
        .single();
  }

  private long count(String sql, Contact member) {
    return jdbc.sql(sql).param(member.id()).query(Long.class).single();
  }
}

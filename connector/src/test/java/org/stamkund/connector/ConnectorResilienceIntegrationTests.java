package org.stamkund.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stamkund.connector.EngineClients.member;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The connector against a real Stamkund server process that is killed and restarted, and behind a
 * TCP proxy that drops, delays and swallows connections. Set {@code STAMKUND_CONNECTOR_SMALL=1} to
 * stream a few hundred receipts instead of 12,000, for a quick run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectorResilienceIntegrationTests {

  private static final boolean SMALL = System.getenv("STAMKUND_CONNECTOR_SMALL") != null;
  private static final Duration BUDGET = Duration.ofMillis(300);
  // Generous: the machine running the tests may be busy; the point is "no hang", not a benchmark.
  private static final Duration TOLERANCE = Duration.ofMillis(1200);

  private Path work;
  private EngineProcess engine;

  @BeforeAll
  void startEngine() throws Exception {
    work = EngineProcess.workDirectory("connector-");
    engine = EngineProcess.start(work.resolve("engine"));
  }

  @AfterAll
  void stopEngine() throws Exception {
    engine.close();
  }

  private StamkundClient client(String url) {
    return EngineClients.client(url).purchaseBudget(BUDGET).build();
  }

  private StamkundConnector connector(StamkundClient client, Path dir) {
    return EngineClients.connector(client, dir).replicaSyncInterval(Duration.ofHours(1)).build();
  }

  /** A connector for the OMS tests: no replica, its own directory. */
  private StamkundConnector withoutReplica(StamkundClient client, String dir) {
    return StamkundConnector.builder()
        .client(client)
        .directory(work.resolve(dir))
        .replica(false)
        .build();
  }

  private static void awaitDrained(StamkundConnector c, Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < end) {
      if (c.status().outbox().depth() == 0) {
        return;
      }
      Thread.sleep(200);
    }
    assertThat(c.status().outbox().depth()).as("outbox drained in " + max).isZero();
  }

  private static long receiptsOf(StamkundClient client, String contactId) {
    JsonNode page =
        client
            .send(
                ApiRequest.get(
                        "test.transactions", "/api/v2/contacts/" + contactId + "/transactions")
                    .query("count", 1))
            .json();
    return page.path("totalCount").asLong();
  }

  private static void assertBalanceMatches(StamkundClient client, String contactId, long receipts) {
    long balance = client.pointAccounts(contactId).path("items").get(0).path("balance").asLong();
    long vouchers = client.bonusChecks(contactId, null, 0, 1).path("totalCount").asLong();
    // Default programme: 1 point per krona, 500 points become one voucher.
    assertThat(balance + 500 * vouchers).isEqualTo(100 * receipts);
  }

  /** One till: its own client, connector, outbox, replica and member. */
  private record Till(
      StamkundClient client, StamkundConnector connector, String contactId, String email)
      implements AutoCloseable {
    @Override
    public void close() {
      connector.close();
      client.close();
    }
  }

  private Till till(String name) throws InterruptedException {
    StamkundClient client = client(engine.url());
    StamkundConnector c = connector(client, work.resolve(name));
    String email = name + "-" + UUID.randomUUID() + "@example.com";
    String contactId = member(client, email);
    // The feed shows a change once every older transaction has ended: sync until it is there.
    ContactReplica replica = java.util.Objects.requireNonNull(c.replica());
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (replica.byId(contactId).isEmpty() && System.nanoTime() < end) {
      c.syncReplicaNow();
      Thread.sleep(100);
    }
    assertThat(replica.byId(contactId)).isPresent();
    c.start();
    return new Till(client, c, contactId, email);
  }

  /**
   * Four tills stream 10,000 receipts (set {@code STAMKUND_CONNECTOR_SMALL=1} for 400) in five
   * stages: up, killed, restarting and up, killed, restarting and up. Every till waits for the
   * others between stages, so both outages see receipts from all of them; the restarts run while
   * the tills keep selling.
   */
  @Test
  @Order(1)
  void receiptsFromFourTillsWhileTheEngineIsKilledTwiceArriveExactlyOnce() throws Exception {
    int tills = 4;
    int stages = 5;
    int perStage = SMALL ? 20 : 500;
    AtomicReference<@Nullable Thread> restarting = new AtomicReference<>();
    AtomicInteger stage = new AtomicInteger();
    CyclicBarrier between =
        new CyclicBarrier(
            tills,
            () -> {
              try {
                int next = stage.incrementAndGet();
                Thread r = restarting.getAndSet(null);
                if (r != null) {
                  r.join();
                }
                if (next == 1 || next == 3) {
                  engine.kill();
                } else if (next == 2 || next == 4) {
                  restarting.set(
                      Thread.ofPlatform()
                          .start(
                              () -> {
                                try {
                                  engine.restart();
                                } catch (Exception e) {
                                  throw new IllegalStateException(e);
                                }
                              }));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    List<Till> all = new ArrayList<>();
    try {
      for (int t = 0; t < tills; t++) {
        all.add(till("till-" + t));
      }
      String laterEmail = "later-" + UUID.randomUUID() + "@example.com";
      List<Future<Long>> slowest = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(tills)) {
        for (int t = 0; t < tills; t++) {
          Till till = all.get(t);
          boolean first = t == 0;
          slowest.add(
              pool.submit(
                  () -> {
                    long slowestMs = 0;
                    for (int s = 0; s < stages; s++) {
                      if (s > 0) {
                        between.await(2, TimeUnit.MINUTES);
                      }
                      boolean down = s == 1 || s == 3;
                      for (int i = 0; i < perStage; i++) {
                        int n = s * perStage + i;
                        Shopper shopper =
                            n % 10 == 0
                                ? Shopper.withEmail(till.email())
                                : Shopper.withContactId(till.contactId());
                        ReceiptOutcome out =
                            till.connector()
                                .submitReceipt(
                                    TestData.receipt("kill-" + till.contactId() + "-" + n),
                                    shopper);
                        assertThat(out.delivery())
                            .isIn(
                                ReceiptOutcome.Delivery.DELIVERED,
                                ReceiptOutcome.Delivery.BUFFERED);
                        slowestMs = Math.max(slowestMs, out.elapsed().toMillis());
                        if (down && n % 10 == 0) {
                          assertThat(out.keySource()).isEqualTo(ReceiptOutcome.KeySource.REPLICA);
                        }
                        if (first && s == 1 && i == 1) {
                          assertLookupsAndUnknownShoppersWhileDown(till, laterEmail);
                        }
                      }
                    }
                    return slowestMs;
                  }));
        }
        for (Future<Long> f : slowest) {
          assertThat(f.get(10, TimeUnit.MINUTES))
              .as("a purchase never waits much past the budget, up, down or restarting")
              .isLessThan(BUDGET.plus(TOLERANCE).toMillis());
        }
      }
      Thread r = restarting.get();
      if (r != null) {
        r.join();
      }
      long perTill = (long) stages * perStage;
      for (Till till : all) {
        awaitDrained(till.connector(), Duration.ofMinutes(3));
        assertThat(receiptsOf(till.client(), till.contactId())).isEqualTo(perTill);
        assertBalanceMatches(till.client(), till.contactId(), perTill);
        ConnectorStatus status = till.connector().status();
        assertThat(status.outbox().lastSuccess()).isNotNull();
        assertThat(status.outbox().dead()).isZero();
        assertThat(status.circuitOpenings()).isPositive();
      }
      String later = member(all.get(0).client(), laterEmail);
      assertThat(receiptsOf(all.get(0).client(), later)).isEqualTo(1);
    } finally {
      for (Till till : all) {
        till.close();
      }
    }
  }

  /** While the engine is down: the replica answers with its age; an unknown shopper is tagged. */
  private static void assertLookupsAndUnknownShoppersWhileDown(Till till, String laterEmail) {
    LookupResult r = till.connector().lookup(ContactKey.EMAIL, till.email(), null);
    assertThat(r).isInstanceOf(LookupResult.FromReplica.class);
    assertThat(((LookupResult.FromReplica) r).contact().id()).isEqualTo(till.contactId());
    assertThat(((LookupResult.FromReplica) r).replicaAge()).isNotNull();
    // A shopper nobody knows yet: tagged with the secondary key, attached when they join.
    ReceiptOutcome later =
        till.connector()
            .submitReceipt(
                TestData.receipt("later-" + laterEmail),
                new Shopper(null, null, laterEmail, null, null));
    assertThat(later.keySource()).isEqualTo(ReceiptOutcome.KeySource.SECONDARY_KEY);
    assertThat(later.matchKeyType()).isEqualTo(MatchKeyType.EMAIL);
    assertThat(till.connector().status().outbox().depth()).isPositive();
  }

  @Test
  @Order(2)
  void aPurchaseNeverWaitsPastTheBudgetWhenTheEngineHangs() throws Exception {
    try (TcpProxy proxy = new TcpProxy(engine.port());
        StamkundClient client = client(proxy.url());
        StamkundConnector c = connector(client, work.resolve("till-2"))) {
      String contactId = member(client, "hang-" + UUID.randomUUID() + "@example.com");
      proxy.mode(TcpProxy.Mode.BLACKHOLE);
      long slowest = 0;
      for (int i = 0; i < 20; i++) {
        ReceiptOutcome out =
            c.submitReceipt(
                TestData.receipt("hang-" + contactId + "-" + i),
                Shopper.withEmail("someone-" + i + "@example.com"));
        slowest = Math.max(slowest, out.elapsed().toMillis());
        assertThat(out.delivery()).isEqualTo(ReceiptOutcome.Delivery.BUFFERED);
      }
      assertThat(slowest).isLessThan(BUDGET.plus(TOLERANCE).toMillis());
      assertThat(c.lookup(ContactKey.EMAIL, "nobody@example.com", null))
          .isInstanceOf(LookupResult.Unavailable.class);
      proxy.mode(TcpProxy.Mode.PASS);
    }
  }

  @Test
  @Order(3)
  void receiptsStreamedThroughDroppedAndDelayedConnectionsArriveExactlyOnce() throws Exception {
    int n = SMALL ? 300 : 2_000;
    try (TcpProxy proxy = new TcpProxy(engine.port());
        StamkundClient client = client(proxy.url());
        StamkundConnector c = connector(client, work.resolve("till-3"))) {
      String contactId = member(client, "chaos-" + UUID.randomUUID() + "@example.com");
      c.start();
      AtomicBoolean stop = new AtomicBoolean();
      Thread chaos =
          Thread.ofPlatform()
              .start(
                  () -> {
                    TcpProxy.Mode[] modes = {
                      TcpProxy.Mode.PASS,
                      TcpProxy.Mode.DROP,
                      TcpProxy.Mode.PASS,
                      TcpProxy.Mode.DELAY,
                      TcpProxy.Mode.BLACKHOLE,
                      TcpProxy.Mode.DELAY
                    };
                    int k = 0;
                    while (!stop.get()) {
                      proxy.delay(k % 2 == 0 ? 150 : 400);
                      proxy.mode(modes[k++ % modes.length]);
                      try {
                        Thread.sleep(250);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
      long slowest = 0;
      try {
        for (int i = 0; i < n; i++) {
          ReceiptOutcome out =
              c.submitReceipt(
                  TestData.receipt("chaos-" + contactId + "-" + i),
                  Shopper.withContactId(contactId));
          slowest = Math.max(slowest, out.elapsed().toMillis());
        }
      } finally {
        stop.set(true);
        chaos.join();
        proxy.mode(TcpProxy.Mode.PASS);
      }
      assertThat(slowest).isLessThan(BUDGET.plus(TOLERANCE).toMillis());
      awaitDrained(c, Duration.ofSeconds(90));
      assertThat(receiptsOf(client, contactId)).isEqualTo(n);
      assertBalanceMatches(client, contactId, n);
    }
  }

  private static String phone() {
    return "+4670"
        + (1_000_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(8_999_999));
  }

  private static org.stamkund.connector.checkout.CheckoutCustomer shopper(
      String email, String phone) {
    return new org.stamkund.connector.checkout.CheckoutCustomer(
        "First",
        "Last",
        "Address 1",
        "12345",
        "City",
        email,
        phone,
        "SE",
        null,
        true,
        false,
        false);
  }

  @Test
  @Order(4)
  void theCheckoutEnrolsAfterThePurchaseAndABufferedEnrolmentRecovers() throws Exception {
    java.util.List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
    org.stamkund.connector.checkout.EnrolmentReport report =
        new org.stamkund.connector.checkout.EnrolmentReport() {
          @Override
          public void recovered(String checkoutId, String contactId) {
            reports.add(checkoutId + " " + contactId);
          }

          @Override
          public void needsManualFix(String checkoutId, JsonNode enrolment, String reason) {
            reports.add(checkoutId + " manual " + reason);
          }
        };
    try (TcpProxy proxy = new TcpProxy(engine.port());
        StamkundClient client = client(proxy.url());
        StamkundConnector c =
            StamkundConnector.builder()
                .client(client)
                .directory(work.resolve("checkout"))
                .replica(false)
                .replayBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 2))
                .listener(
                    new org.stamkund.connector.checkout.EnrolmentListener(
                        report, OutboxListener.NONE))
                .build()) {
      var flow =
          new org.stamkund.connector.checkout.CheckoutMembership(
              c, "Walley", "WEB-1", Duration.ofSeconds(5), 5, true);
      // Scenario 1: not a member, applies, the purchase's receipt joins the new member.
      String email = "walley-" + UUID.randomUUID() + "@example.com";
      String mobile = phone();
      var membership = flow.identify(new Shopper(null, null, email, mobile, null));
      assertThat(membership.offerToApply()).isTrue();
      ReceiptOutcome receipt =
          c.submitReceipt(
              TestData.receipt("walley-" + email), new Shopper(null, null, email, mobile, null));
      assertThat(receipt.keySource()).isEqualTo(ReceiptOutcome.KeySource.SECONDARY_KEY);
      var enrolled = flow.purchaseCompleted("chk-1", membership, true, shopper(email, mobile));
      assertThat(enrolled.scenario())
          .isEqualTo(org.stamkund.connector.checkout.MembershipOutcome.Scenario.ENROLLED);
      assertThat(enrolled.memberNumber()).isNotBlank();
      assertThat(receiptsOf(client, java.util.Objects.requireNonNull(enrolled.contactId())))
          .isEqualTo(1);
      Contact member =
          client.contact(java.util.Objects.requireNonNull(enrolled.contactId())).orElseThrow();
      assertThat(member.isMember()).isTrue();
      assertThat(member.json().path("meta").path("source").asString()).isEqualTo("Walley");
      assertThat(member.attribute("createdInStore")).isEqualTo("WEB-1");
      // Already a member now.
      assertThat(flow.identify(Shopper.withEmail(email)))
          .isInstanceOf(org.stamkund.connector.checkout.Membership.Member.class);
      // Scenario 3.
      assertThat(
              flow.purchaseCompleted(
                      "chk-3",
                      new org.stamkund.connector.checkout.Membership.NotMember(),
                      false,
                      shopper("x@example.com", phone()))
                  .scenario())
          .isEqualTo(org.stamkund.connector.checkout.MembershipOutcome.Scenario.DECLINED);
      // Scenario 2: the engine is unreachable at PurchaseCompleted; the enrolment is retried.
      client.circuitBreaker().onSuccess();
      String email2 = "walley2-" + UUID.randomUUID() + "@example.com";
      proxy.mode(TcpProxy.Mode.DROP);
      var failed =
          flow.purchaseCompleted(
              "chk-2",
              new org.stamkund.connector.checkout.Membership.NotMember(),
              true,
              shopper(email2, phone()));
      assertThat(failed.scenario())
          .isEqualTo(org.stamkund.connector.checkout.MembershipOutcome.Scenario.ENROLMENT_FAILED);
      assertThat(failed.retrying()).isTrue();
      proxy.mode(TcpProxy.Mode.PASS);
      c.start();
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (reports.isEmpty() && System.nanoTime() < end) {
        Thread.sleep(100);
      }
      assertThat(reports).hasSize(1);
      assertThat(reports.getFirst()).startsWith("chk-2 ").doesNotContain("manual");
      String recovered = reports.getFirst().substring("chk-2 ".length());
      assertThat(client.contact(recovered).orElseThrow().email()).isEqualTo(email2);
      assertThat(c.status().outbox().depth()).isZero();
    }
  }

  @Test
  @Order(5)
  void theOmsSyncFollowsTheOperationTableAgainstTheEngine() throws Exception {
    try (StamkundClient client = client(engine.url());
        StamkundConnector c = withoutReplica(client, "oms")) {
      var options =
          org.stamkund.connector.oms.OmsOptions.defaults()
              .withConnectorPrefix("BikeShop")
              .withSyncDelete(true);
      var oms = new org.stamkund.connector.oms.OmsSync(c, options);
      String email = "oms-" + UUID.randomUUID() + "@example.com";
      var privateCustomer =
          new org.stamkund.connector.oms.OmsCustomer(
              "cust-1",
              "SWE",
              false,
              "Per",
              "Olsson",
              email,
              null,
              java.util.List.of(),
              java.util.Map.of());
      var created = oms.exportCustomer(privateCustomer);
      assertThat(created.action())
          .isEqualTo(org.stamkund.connector.oms.CustomerSyncResult.Action.CREATED);
      assertThat(java.util.Objects.requireNonNull(created.externalId()).id())
          .isEqualTo("BikeShop_" + java.util.Objects.requireNonNull(created.contactId()));
      assertThat(
              client
                  .contact(java.util.Objects.requireNonNull(created.contactId()))
                  .orElseThrow()
                  .contactType())
          .isEqualToIgnoringCase("Contact");

      var joined =
          new org.stamkund.connector.oms.OmsCustomer(
              "cust-1",
              "SWE",
              true,
              "Per",
              "Olsson",
              email,
              null,
              java.util.List.of(java.util.Objects.requireNonNull(created.externalId())),
              java.util.Map.of());
      var promoted = oms.exportCustomer(joined);
      assertThat(promoted.operations()).contains("POST /contacts/{id}/promoteToMember");
      Contact member =
          client.contact(java.util.Objects.requireNonNull(created.contactId())).orElseThrow();
      assertThat(member.isMember()).isTrue();
      assertThat(member.memberNumber()).isNotBlank();

      var left =
          new org.stamkund.connector.oms.OmsCustomer(
              "cust-1",
              "SWE",
              false,
              "Per",
              "Olsson",
              email,
              null,
              java.util.List.of(java.util.Objects.requireNonNull(created.externalId())),
              java.util.Map.of());
      assertThat(oms.exportCustomer(left).operations())
          .contains("POST /contacts/{id}/updateContactType");
      assertThat(
              client
                  .contact(java.util.Objects.requireNonNull(created.contactId()))
                  .orElseThrow()
                  .contactType())
          .isEqualToIgnoringCase("Contact");

      // Vouchers: 500 points become one; redeemed on capture, reactivated on credit.
      String buyerEmail = "oms-buyer-" + UUID.randomUUID() + "@example.com";
      String buyer = member(client, buyerEmail);
      for (int i = 0; i < 5; i++) {
        c.submitReceipt(TestData.receipt("oms-" + buyer + "-" + i), Shopper.withContactId(buyer));
      }
      JsonNode vouchers = oms.availableVouchers(buyer);
      assertThat(vouchers.path("totalCount").asLong()).isEqualTo(1);
      String voucherId = vouchers.path("items").get(0).path("id").asString();
      assertThat(oms.redeemVoucherOnCapture(buyer, voucherId)).isTrue();
      assertThat(oms.availableVouchers(buyer).path("totalCount").asLong()).isZero();
      oms.reactivateVoucherOnCredit(voucherId);
      assertThat(oms.availableVouchers(buyer).path("totalCount").asLong()).isEqualTo(1);
      // Order status as an order, for the transactional e-mail.
      var order =
          new org.stamkund.connector.oms.OmsOrder(
              "O-" + UUID.randomUUID(),
              "SWE",
              "web-se",
              java.util.List.of(),
              "SEK",
              java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC),
              java.util.List.of(
                  new org.stamkund.connector.oms.OmsOrder.Line(
                      "l-1",
                      "TS-1",
                      "T-shirt",
                      1,
                      new java.math.BigDecimal("200.00"),
                      new java.math.BigDecimal("25"),
                      java.util.Map.of())),
              java.util.Map.of("card", new java.math.BigDecimal("200.00")),
              java.util.List.of(),
              java.util.List.of());
      assertThat(oms.sendOrderStatus(order, buyer, "Shipped", "Paid")).isTrue();
      // A personal promotion: checked before capture, redeemed after, then no longer usable.
      JsonNode definition =
          client
              .send(
                  ApiRequest.post(
                      "test.promotion",
                      "/api/v2/promotions/multichannels",
                      Json.object()
                          .put("name", "Ten off")
                          .set(
                              "redemptionChannels",
                              Json.array()
                                  .add(
                                      Json.object()
                                          .put("type", "ECOM")
                                          .put("valueType", "EXTERNALOFFER")
                                          .put("value", "TENOFF")))))
              .json();
      String promotionId = definition.path("id").asString();
      client.send(
          ApiRequest.post("test.activate", "/admin/promotions/" + promotionId + "/activate", null));
      String instance =
          client
              .send(
                  ApiRequest.post(
                      "test.assign",
                      "/api/v2/contacts/" + buyer + "/promotions/" + promotionId + "/assign",
                      null))
              .json()
              .path("id")
              .asString();
      assertThat(oms.checkPromotionsBeforeCapture(buyer, java.util.List.of(instance)).allUsable())
          .isTrue();
      assertThat(oms.redeemPromotionsAfterCapture(java.util.List.of(instance))).isEqualTo(1);
      var after = oms.checkPromotionsBeforeCapture(buyer, java.util.List.of(instance));
      assertThat(after.allUsable()).isFalse();
      assertThat(after.items().getFirst().errorCode()).isEqualTo("PromotionAlreadyRedeemed");

      assertThat(oms.deleteCustomer(left).action())
          .isEqualTo(org.stamkund.connector.oms.CustomerSyncResult.Action.DELETED);
      assertThat(client.contact(java.util.Objects.requireNonNull(created.contactId()))).isEmpty();
    }
  }

  @Test
  @Order(7)
  void theProductDataExportIsImportedByTheEngine() {
    String sku = "export-" + java.util.UUID.randomUUID();
    try (StamkundClient client = client(engine.url())) {
      ApiResponse answer =
          client.send(
              org.stamkund.connector.oms.ProductDataExport.request(
                  org.stamkund.connector.oms.ProductDataExport.toXml(
                      java.util.List.of(
                          new org.stamkund.connector.oms.ProductDataExport.Product(
                              sku, "Trail shoe", "Stride", "Shoes", "Running"),
                          new org.stamkund.connector.oms.ProductDataExport.Product(
                              sku + "-2", "Sock & co", null, "Socks", null)))));
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      assertThat(answer.json().path("imported").asLong()).isEqualTo(2);
      assertThat(answer.json().path("failed").asLong()).isZero();
    }
  }

  @Test
  @Order(6)
  void eachMappingOptionBehavesAsTheSeedSaysAgainstTheEngine() throws Exception {
    try (StamkundClient client = client(engine.url());
        StamkundConnector c = withoutReplica(client, "oms-options")) {
      var defaults = org.stamkund.connector.oms.OmsOptions.defaults();
      java.util.function.BiFunction<Boolean, String, org.stamkund.connector.oms.OmsCustomer>
          customer =
              (member, email) ->
                  new org.stamkund.connector.oms.OmsCustomer(
                      "cust-" + email,
                      "SWE",
                      member,
                      "Eva",
                      "Berg",
                      email,
                      phone(),
                      java.util.List.of(),
                      java.util.Map.of("newsletter", true));

      // ExportMembersOnly: a private customer is not exported at all.
      var membersOnly =
          new org.stamkund.connector.oms.OmsSync(
              c,
              defaults.withMapping(
                  org.stamkund.connector.oms.ContactTypeMapping.EXPORT_MEMBERS_ONLY));
      String privateEmail = "private-" + UUID.randomUUID() + "@example.com";
      assertThat(membersOnly.exportCustomer(customer.apply(false, privateEmail)).action())
          .isEqualTo(org.stamkund.connector.oms.CustomerSyncResult.Action.SKIPPED);
      assertThat(client.contactId(ContactKey.EMAIL, privateEmail, null)).isEmpty();

      // ExportAllCustomersAsMember: a private customer becomes a Member.
      var allAsMember =
          new org.stamkund.connector.oms.OmsSync(
              c,
              defaults.withMapping(
                  org.stamkund.connector.oms.ContactTypeMapping.EXPORT_ALL_CUSTOMERS_AS_MEMBER));
      var asMember = allAsMember.exportCustomer(customer.apply(false, privateEmail));
      assertThat(
              client
                  .contact(java.util.Objects.requireNonNull(asMember.contactId()))
                  .orElseThrow()
                  .isMember())
          .isTrue();

      // ConsentMapping to a preference, and IgnoreConsents leaving it alone.
      var mapped =
          new org.stamkund.connector.oms.OmsSync(
              c, defaults.withConsentMapping(java.util.Map.of("newsletter", "acceptsEmail")));
      String consentEmail = "consent-" + UUID.randomUUID() + "@example.com";
      var withConsent = mapped.exportCustomer(customer.apply(true, consentEmail));
      String consentId = java.util.Objects.requireNonNull(withConsent.contactId());
      assertThat(
              client
                  .contact(consentId)
                  .orElseThrow()
                  .json()
                  .path("preferences")
                  .path("acceptsEmail")
                  .asBoolean())
          .isTrue();
      client.updateContact(
          consentId, Json.object().set("preferences", Json.object().put("acceptsEmail", false)));
      var ignoring =
          new org.stamkund.connector.oms.OmsSync(
              c,
              defaults
                  .withIgnoreConsents(true)
                  .withConsentMapping(java.util.Map.of("newsletter", "acceptsEmail")));
      ignoring.exportCustomer(customer.apply(true, consentEmail));
      assertThat(
              client
                  .contact(consentId)
                  .orElseThrow()
                  .json()
                  .path("preferences")
                  .path("acceptsEmail")
                  .asBoolean())
          .as("the engine is master of consents")
          .isFalse();

      // ConsentMapping to one of the engine's consents, with the OMS's answer and source.
      client.send(
          new ApiRequest(
              "test.consent",
              "PUT",
              "/admin/consents/memberTerms",
              java.util.Map.of(),
              java.util.Map.of(),
              "{\"name\": \"Member terms\"}"));
      var toConsent =
          new org.stamkund.connector.oms.OmsSync(
              c, defaults.withConsentMapping(java.util.Map.of("newsletter", "memberTerms")));
      String termsId =
          java.util.Objects.requireNonNull(
              toConsent
                  .exportCustomer(
                      customer.apply(true, "terms-" + UUID.randomUUID() + "@example.com"))
                  .contactId());
      JsonNode consents = client.contact(termsId).orElseThrow().json().path("consents");
      assertThat(consents.size()).isEqualTo(1);
      assertThat(consents.get(0).path("id").asString()).isEqualTo("memberTerms");
      assertThat(consents.get(0).path("value").asBoolean()).isTrue();
      assertThat(consents.get(0).path("source").asString()).isEqualTo("OMS");

      // UniqueIdentifier Phone: a contact created elsewhere is found by phone, not duplicated.
      String mobile = phone();
      String elsewhere =
          client
              .createContact(
                  Json.object()
                      .put("contactType", "Member")
                      .put("email", "elsewhere-" + UUID.randomUUID() + "@example.com")
                      .put("mobilePhone", mobile),
                  "Shopify",
                  null)
              .id();
      var byPhone =
          new org.stamkund.connector.oms.OmsSync(
              c, defaults.withUniqueIdentifier(org.stamkund.connector.oms.UniqueIdentifier.PHONE));
      var found =
          byPhone.exportCustomer(
              new org.stamkund.connector.oms.OmsCustomer(
                  "cust-phone",
                  "SWE",
                  true,
                  "Ola",
                  "Nord",
                  null,
                  mobile,
                  java.util.List.of(),
                  java.util.Map.of()));
      assertThat(found.action())
          .isEqualTo(org.stamkund.connector.oms.CustomerSyncResult.Action.UPDATED);
      assertThat(found.contactId()).isEqualTo(elsewhere);
      assertThat(client.contact(elsewhere).orElseThrow().attribute("firstName")).isEqualTo("Ola");

      // A market this instance is disabled for is left alone.
      var notNorway =
          new org.stamkund.connector.oms.OmsSync(
              c, defaults.withMarkets(java.util.Set.of(), java.util.Set.of("NOR")));
      assertThat(
              notNorway
                  .exportCustomer(
                      new org.stamkund.connector.oms.OmsCustomer(
                          "cust-nor",
                          "NOR",
                          true,
                          "Kari",
                          "Nordmann",
                          "nor-" + UUID.randomUUID() + "@example.com",
                          null,
                          java.util.List.of(),
                          java.util.Map.of()))
                  .action())
          .isEqualTo(org.stamkund.connector.oms.CustomerSyncResult.Action.SKIPPED);
    }
  }
}

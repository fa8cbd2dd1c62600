package org.stamkund.connector.oms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.stamkund.connector.EngineClients;
import org.stamkund.connector.EngineProcess;
import org.stamkund.connector.MatchKeyType;
import org.stamkund.connector.OutboxListener;
import org.stamkund.connector.Receipt;
import org.stamkund.connector.StamkundClient;
import org.stamkund.connector.StamkundConnector;
import org.stamkund.connector.TestData;
import org.stamkund.connector.oms.CartVouchers.Application;
import org.stamkund.connector.oms.CartVouchers.Captured;
import org.stamkund.connector.oms.CartVouchers.Credited;
import org.stamkund.connector.oms.CartVouchers.EngineCall;
import org.stamkund.connector.oms.CartVouchers.Status;
import tools.jackson.databind.JsonNode;

/**
 * Vouchers on carts against a real Stamkund server process: the default programme turns a member's
 * receipts into vouchers, an OMS applies, captures and credits them, and a capture made while the
 * server is killed reaches it once it is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CartVouchersIntegrationTests {

  private Path work;
  private EngineProcess engine;

  @BeforeAll
  void startEngine() throws Exception {
    work = EngineProcess.workDirectory("vouchers-");
    engine = EngineProcess.start(work.resolve("engine"));
  }

  @AfterAll
  void stopEngine() throws Exception {
    engine.close();
  }

  private StamkundClient client() {
    return EngineClients.client(engine.url()).build();
  }

  private StamkundConnector connector(StamkundClient client, Path dir) {
    return EngineClients.connector(client, dir)
        .replica(false)
        .listener(CartVouchers.outboxListener(OutboxListener.NONE))
        .build();
  }

  /** A member with {@code vouchers} vouchers: 100 kr a receipt, 500 points to a voucher. */
  private static String memberWithVouchers(StamkundClient client, int vouchers) {
    String contactId =
        EngineClients.member(client, "vouchers-" + UUID.randomUUID() + "@example.com");
    for (int i = 0; i < 5 * vouchers; i++) {
      Receipt receipt =
          TestData.receipt("vouchers-" + contactId + "-" + i)
              .withContact(new Receipt.ReceiptContact(contactId, MatchKeyType.CONTACT_ID, null));
      client.sendReceipt(receipt);
    }
    assertThat(availableInEngine(client, contactId)).hasSize(vouchers);
    return contactId;
  }

  private static List<String> availableInEngine(StamkundClient client, String contactId) {
    return ids(client.bonusChecks(contactId, "available", 0, 100));
  }

  private static List<String> redeemedInEngine(StamkundClient client, String contactId) {
    return ids(client.bonusChecks(contactId, "redeemed", 0, 100));
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    for (JsonNode item : page.path("items")) {
      ids.add(item.path("id").asString());
    }
    return ids;
  }

  @Test
  @Order(1)
  void aVoucherHeldByOneCartIsRefusedToAnotherRedeemedOnCaptureAndReactivatedOnCredit() {
    try (StamkundClient client = client();
        StamkundConnector connector = connector(client, work.resolve("oms-1"));
        CartVouchers vouchers = CartVouchers.open(connector)) {
      connector.start();
      String contactId = memberWithVouchers(client, 2);

      CartVouchers.Refreshed refreshed = vouchers.refresh(contactId);
      assertThat(refreshed.listed()).isEqualTo(2);
      CartVouchers.VoucherList list = vouchers.list(contactId);
      assertThat(list.fresh()).isTrue();
      assertThat(list.available()).hasSize(2);
      String voucherId = list.available().getFirst().id();

      Application a = vouchers.applyToCart("cart-A", contactId, voucherId);
      assertThat(a).isInstanceOf(Application.Applied.class);
      Application.Applied applied = (Application.Applied) a;
      assertThat(applied.amount()).isPositive();
      assertThat(applied.currency()).isNotBlank();
      assertThat(vouchers.applyToCart("cart-B", contactId, voucherId))
          .isEqualTo(new Application.OnAnotherCart(voucherId));
      assertThat(vouchers.applyToCart("cart-A", contactId, voucherId))
          .isInstanceOf(Application.AlreadyOnThisCart.class);

      List<Captured> captured = vouchers.capture("cart-A");
      assertThat(captured)
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.voucherId()).isEqualTo(voucherId);
                assertThat(c.engine()).isEqualTo(EngineCall.SENT);
              });
      assertThat(redeemedInEngine(client, contactId)).containsExactly(voucherId);
      assertThat(availableInEngine(client, contactId)).doesNotContain(voucherId).hasSize(1);
      assertThat(vouchers.applyToCart("cart-B", contactId, voucherId))
          .isEqualTo(new Application.NotAvailable(voucherId, Status.REDEEMED));

      List<Credited> credited = vouchers.creditCart("cart-A");
      assertThat(credited)
          .containsExactly(new Credited(voucherId, Status.AVAILABLE, EngineCall.SENT, null));
      assertThat(availableInEngine(client, contactId)).contains(voucherId).hasSize(2);
      assertThat(redeemedInEngine(client, contactId)).isEmpty();
      // A refresh agrees, and the credited voucher serves another cart.
      vouchers.refresh(contactId);
      assertThat(vouchers.voucher(voucherId).orElseThrow().status()).isEqualTo(Status.AVAILABLE);
      assertThat(vouchers.applyToCart("cart-B", contactId, voucherId).onCart()).isTrue();
      assertThat(connector.status().outbox().dead()).isZero();
    }
  }

  @Test
  @Order(2)
  void aCaptureWhileTheEngineIsKilledIsBufferedAndReplayedAfterItRestarts() throws Exception {
    try (StamkundClient client = client();
        StamkundConnector connector = connector(client, work.resolve("oms-2"));
        CartVouchers vouchers = CartVouchers.open(connector)) {
      connector.start();
      String contactId = memberWithVouchers(client, 1);
      vouchers.refresh(contactId);
      String voucherId = vouchers.list(contactId).available().getFirst().id();
      assertThat(vouchers.applyToCart("cart-C", contactId, voucherId).onCart()).isTrue();

      engine.kill();

      // The local copy answers, with its age; the cart's hold still keeps other carts off.
      CartVouchers.VoucherList list = vouchers.list(contactId);
      assertThat(list.fresh()).isFalse();
      assertThat(list.age()).isNotNull();
      assertThat(list.vouchers())
          .singleElement()
          .satisfies(v -> assertThat(v.status()).isEqualTo(Status.APPLIED));
      assertThat(vouchers.applyToCart("cart-D", contactId, voucherId))
          .isEqualTo(new Application.OnAnotherCart(voucherId));
      List<Captured> captured = vouchers.capture("cart-C");
      assertThat(captured).extracting(Captured::engine).containsExactly(EngineCall.BUFFERED);
      assertThat(vouchers.voucher(voucherId).orElseThrow().status()).isEqualTo(Status.REDEEMED);
      assertThat(connector.status().outbox().depth()).isEqualTo(1);

      engine.restart();

      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (connector.status().outbox().depth() > 0 && System.nanoTime() < end) {
        Thread.sleep(200);
      }
      assertThat(connector.status().outbox().depth()).as("the outbox replayed it").isZero();
      assertThat(connector.status().outbox().dead()).isZero();
      assertThat(redeemedInEngine(client, contactId)).containsExactly(voucherId);
      assertThat(availableInEngine(client, contactId)).isEmpty();
    }
  }
}

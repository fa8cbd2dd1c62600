package org.stamkund.server.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import org.stamkund.engine.program.LoyaltyProgram;
import org.stamkund.server.Api;
import tools.jackson.databind.JsonNode;

/**
 * Shared pieces of the loyalty integration tests: members created through the API, a receipt
 * builder with every required field, balances and parallel callers. Every value is unique, as the
 * database is shared.
 */
final class LoyaltyFixtures {

  /** The store the receipts name unless a test says otherwise. */
  static final String STORE = "it-loyalty-store";

  private LoyaltyFixtures() {}

  /** A contact created through the API. */
  record Contact(String id, String email) {}

  /** A new Member (the default contact type) with a unique e-mail address. */
  static Contact member(Api api) {
    return contact(api, "Member");
  }

  /** A new contact of the given contact type with a unique e-mail address. */
  static Contact contact(Api api, String contactType) {
    String email = Api.uniqueEmail();
    Api.Response created =
        api.post("/api/v2/contacts", Map.of("contactType", contactType, "email", email));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return new Contact(created.json().path("id").asString(), email);
  }

  /** A unique id with a readable prefix. */
  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  /** A receipt for the contact with this e-mail address, with every required header field. */
  static Receipt receipt(String email) {
    return new Receipt(email);
  }

  /** The programme defaults, as the wire shows them. */
  static ProgramBody defaults() {
    return ProgramBody.of(LoyaltyProgram.defaults());
  }

  /** Puts the default programme in force (a no-op unless an earlier test failed to clean up). */
  static void restoreDefaults(Api api) {
    Api.Response restored = api.put("/admin/loyalty/program", defaults());
    assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
  }

  /** The member's usable balance as {@code GET /api/v2/point-accounts} shows it. */
  static long balance(Api api, String contactId) {
    Api.Response accounts = api.get("/api/v2/point-accounts?contactId=" + contactId);
    assertThat(accounts.status()).as(accounts.toString()).isEqualTo(200);
    return accounts.json().path("items").get(0).path("balance").asLong();
  }

  /** Posts a receipt and expects 202. */
  static void send(Api api, Receipt receipt) {
    Api.Response answer = api.post("/api/v2/receipts", receipt.body());
    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
  }

  /** The member's vouchers of one list: all, available or redeemed. */
  static JsonNode vouchers(Api api, String contactId, String which) {
    Api.Response page =
        api.get(
            "/api/v2/contacts/"
                + contactId
                + "/bonuschecks"
                + (which.isEmpty() ? "" : "/" + which));
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    return page.json();
  }

  /**
   * Inserts, in the caller's open transaction on {@code holder}, an uncommitted receipt row with
   * {@code uniqueReceiptId}: a receipt posted with that id waits for it inside its lane's
   * transaction until the holder rolls back.
   */
  static void holdReceiptId(java.sql.Connection holder, String uniqueReceiptId)
      throws java.sql.SQLException {
    try (java.sql.PreparedStatement insert =
        holder.prepareStatement(
            """
            insert into receipts (id, unique_receipt_id, match_key_type, match_key,
                receipt_number, created_date, store_external_id, currency, exchange_rate,
                total_gross_price, payload, status, received_at)
            values (gen_random_uuid(), ?, 'email', 'held', 'held', now(), 'held', 'SEK', 1,
                0, '{}', 'Unmatched', now())
            """)) {
      insert.setString(1, uniqueReceiptId);
      insert.executeUpdate();
    }
  }

  /** Waits until a receipt's insert waits on a row {@link #holdReceiptId} holds. */
  static void awaitWaitingOnHeldReceipt(org.springframework.jdbc.core.simple.JdbcClient jdbc)
      throws InterruptedException {
    awaitWaitingOnHeldReceipts(jdbc, 1);
  }

  /** Waits until {@code count} receipts' inserts wait on rows {@link #holdReceiptId} holds. */
  static void awaitWaitingOnHeldReceipts(
      org.springframework.jdbc.core.simple.JdbcClient jdbc, int count) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      long waiting =
          jdbc.sql(
                  "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                      + " and query like '%insert into receipts%'")
              .query(Long.class)
              .single();
      if (waiting >= count) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("fewer than " + count + " receipts waited on held receipt rows");
  }

  /**
   * Runs {@code calls} calls from {@code threads} threads, all released at once, and returns the
   * answers in call order.
   */
  static <T> List<T> parallel(int threads, int calls, IntFunction<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch ready = new CountDownLatch(Math.min(threads, calls));
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        int index = i;
        Callable<T> task =
            () -> {
              if (index < threads) {
                ready.countDown();
              }
              go.await();
              return call.apply(index);
            };
        futures.add(pool.submit(task));
      }
      assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      List<T> answers = new ArrayList<>();
      for (Future<T> f : futures) {
        answers.add(f.get(120, TimeUnit.SECONDS));
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A receipt as {@code POST /api/v2/receipts} takes it (reference §3.2): created an hour ago, in
   * ISO-8601 with an offset, in SEK at {@link #STORE}. Lines added with {@link #purchase} or {@link
   * #returned} keep {@code totalGrossPrice} and the card payment in step.
   */
  static final class Receipt {

    private final Map<String, Object> body = new LinkedHashMap<>();
    private final List<Object> items = new ArrayList<>();
    private final Map<String, Object> payment = new LinkedHashMap<>();
    private final String uniqueReceiptId = unique("it-receipt");
    private final String receiptNumber = "N" + UUID.randomUUID().toString().substring(0, 8);
    private BigDecimal total = BigDecimal.ZERO;

    private Receipt(String email) {
      Map<String, Object> contact = new LinkedHashMap<>();
      contact.put("matchKey", email);
      contact.put("matchKeyType", "email");
      body.put("contact", contact);
      body.put("uniqueReceiptId", uniqueReceiptId);
      body.put("receiptNumber", receiptNumber);
      body.put(
          "createdDate",
          OffsetDateTime.now(ZoneOffset.ofHours(1))
              .minusHours(1)
              .truncatedTo(ChronoUnit.SECONDS)
              .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      body.put("storeExternalId", STORE);
      body.put("currency", "SEK");
      body.put("totalGrossPrice", total);
      payment.put("type", "card");
      payment.put("value", total);
      List<Object> payments = new ArrayList<>();
      payments.add(payment);
      body.put("paymentMethods", payments);
      body.put("items", items);
    }

    /** A PURCHASE line of one piece at this price. */
    Receipt purchase(String sku, String price) {
      return line("PURCHASE", sku, BigDecimal.ONE, new BigDecimal(price));
    }

    /** A PURCHASE line of {@code quantity} pieces, together at this price. */
    Receipt purchase(String sku, int quantity, String price) {
      return line("PURCHASE", sku, BigDecimal.valueOf(quantity), new BigDecimal(price));
    }

    /** A RETURN line (negative quantity, positive price). */
    Receipt returned(String sku, int quantity, String price) {
      return line("RETURN", sku, BigDecimal.valueOf(-Math.abs(quantity)), new BigDecimal(price));
    }

    private Receipt line(String type, String sku, BigDecimal quantity, BigDecimal price) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("type", type);
      item.put("sku", sku);
      item.put("quantity", quantity);
      item.put("grossPaidPrice", price);
      item.put("taxAmount", price.multiply(new BigDecimal("0.2")));
      item.put("taxPercent", new BigDecimal("25"));
      item.put("articleNumber", "A-" + sku);
      item.put("articleName", "Article " + sku);
      items.add(item);
      total = type.equals("RETURN") ? total.subtract(price) : total.add(price);
      body.put("totalGrossPrice", total);
      payment.put("value", total);
      return this;
    }

    /** The id it was built with (also after a test removed or changed the field). */
    String uniqueReceiptId() {
      return uniqueReceiptId;
    }

    /** The number it was built with (also after a test removed or changed the field). */
    String receiptNumber() {
      return receiptNumber;
    }

    /**
     * Sets the value at a path such as {@code currency}, {@code contact.matchKeyType} or {@code
     * items[0].quantity}.
     */
    Receipt set(String path, Object value) {
      Parent parent = parent(path);
      Map<String, Object> map = parent.map();
      List<Object> list = parent.list();
      if (map != null) {
        map.put(parent.key(), value);
      } else if (list != null) {
        list.set(parent.index(), value);
      }
      return this;
    }

    /** Removes the value at a path (see {@link #set}). */
    Receipt without(String path) {
      Parent parent = parent(path);
      Map<String, Object> map = parent.map();
      List<Object> list = parent.list();
      if (map != null) {
        map.remove(parent.key());
      } else if (list != null) {
        list.remove(parent.index());
      }
      return this;
    }

    Map<String, Object> body() {
      return body;
    }

    private record Parent(
        @Nullable Map<String, Object> map, String key, @Nullable List<Object> list, int index) {}

    @SuppressWarnings("unchecked")
    private Parent parent(String path) {
      Object node = body;
      String[] segments = path.split("\\.");
      for (int s = 0; s < segments.length; s++) {
        String segment = segments[s];
        String name = segment.contains("[") ? segment.substring(0, segment.indexOf('[')) : segment;
        boolean last = s == segments.length - 1;
        if (!segment.contains("[")) {
          if (last) {
            return new Parent((Map<String, Object>) node, name, null, -1);
          }
          node = Objects.requireNonNull(((Map<String, Object>) node).get(name), path);
        } else {
          int index =
              Integer.parseInt(segment.substring(segment.indexOf('[') + 1, segment.indexOf(']')));
          List<Object> list =
              (List<Object>) Objects.requireNonNull(((Map<String, Object>) node).get(name), path);
          if (last) {
            return new Parent(null, "", list, index);
          }
          node = list.get(index);
        }
      }
      throw new IllegalArgumentException(path);
    }
  }
}

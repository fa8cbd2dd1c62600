package org.stamkund.bench;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Realistic requests: members' e-mail addresses by number, receipts of 1-8 lines with 5% returns
 * and 1% repeats of an earlier receipt.
 */
final class Workload {

  private static final List<String> SKUS =
      List.of(
          "SHIRT", "JEANS", "SOCKS", "CAP", "JACKET", "SHOES", "BELT", "SCARF", "GLOVES", "TEE");

  private final String run;
  private final int members;
  private final AtomicLong receipts = new AtomicLong();

  Workload(String run, int members) {
    this.run = run;
    this.members = members;
  }

  static String email(String run, long member) {
    return "m" + member + "-" + run + "@bench.example";
  }

  String randomMemberEmail() {
    return email(run, ThreadLocalRandom.current().nextLong(members));
  }

  /** A bulk body of {@code count} new members starting at {@code first}. */
  String bulkBody(String prefix, long first, int count) {
    StringBuilder body = new StringBuilder(count * 160).append('[');
    for (long i = first; i < first + count; i++) {
      if (i > first) {
        body.append(',');
      }
      body.append("{\"email\":\"")
          .append(email(prefix, i))
          .append("\",\"firstName\":\"Bench\",\"lastName\":\"Member")
          .append(i)
          .append("\",\"city\":\"Stockholm\",\"countryCode\":\"SE\",")
          .append("\"preferences\":{\"acceptsEmail\":true}}");
    }
    return body.append(']').toString();
  }

  /** The next receipt: 1% repeat an earlier id, 5% are returns. */
  String receipt() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long number = receipts.incrementAndGet();
    String id =
        random.nextInt(100) == 0 && number > 1
            ? run + "-r" + random.nextLong(1, number)
            : run + "-r" + number;
    boolean isReturn = random.nextInt(100) < 5;
    int lines = random.nextInt(1, 9);
    StringBuilder items = new StringBuilder();
    long total = 0;
    for (int l = 0; l < lines; l++) {
      String sku = SKUS.get(random.nextInt(SKUS.size()));
      int price = random.nextInt(49, 1500);
      total += isReturn ? -price : price;
      if (l > 0) {
        items.append(',');
      }
      items
          .append("{\"type\":\"")
          .append(isReturn ? "RETURN" : "PURCHASE")
          .append("\",\"sku\":\"")
          .append(sku)
          .append("\",\"quantity\":")
          .append(isReturn ? -1 : 1)
          .append(",\"grossPaidPrice\":")
          .append(price)
          .append(",\"taxAmount\":")
          .append(price / 5)
          .append(",\"taxPercent\":25,\"articleNumber\":\"")
          .append(sku)
          .append("\",\"articleName\":\"")
          .append(sku)
          .append("\"}");
    }
    String created =
        OffsetDateTime.now(ZoneOffset.ofHours(1))
            .minusMinutes(5)
            .truncatedTo(ChronoUnit.SECONDS)
            .toString();
    return "{\"contact\":{\"matchKey\":\""
        + randomMemberEmail()
        + "\",\"matchKeyType\":\"email\"},\"uniqueReceiptId\":\""
        + id
        + "\",\"receiptNumber\":\""
        + number
        + "\",\"createdDate\":\""
        + created
        + "\",\"storeExternalId\":\"store-"
        + random.nextInt(20)
        + "\",\"currency\":\"SEK\",\"totalGrossPrice\":"
        + total
        + ",\"paymentMethods\":[{\"type\":\"card\",\"value\":"
        + total
        + "}],\"items\":["
        + items
        + "]}";
  }
}

package org.stamkund.server.loyalty;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stamkund.engine.points.Returns;
import org.stamkund.engine.receipts.ReceiptLine;
import org.stamkund.server.platform.CopyRows;

/**
 * The purchase lines that receipts' returns take back: read for all the receipts in one statement,
 * matched in memory line by line, and written back in two, so that a receipt with returns costs a
 * lane's round no statements of its own (docs/performance.md, "Twenty-second session"). The
 * members' point accounts must be locked by the caller, who holds this for one transaction.
 */
final class ReturnedLines {

  /** A member's purchase lines of one article. */
  private record Article(UUID contactId, String sku) {}

  /** A purchase line still open to returns, with its date. */
  private record Open(Returns.PurchasedLine line, Instant createdDate) {}

  /** What a line gave back in all: units, points and amount. */
  private record Taken(BigDecimal quantity, long points, BigDecimal groupAmount) {

    static Taken of(Returns.Takeback t) {
      return new Taken(t.quantity(), t.points(), t.groupAmount());
    }

    Taken plus(Taken t) {
      return new Taken(quantity.add(t.quantity), points + t.points, groupAmount.add(t.groupAmount));
    }
  }

  private final JdbcClient jdbc;
  private final Map<Article, List<Open>> open = new HashMap<>();
  private final Map<Returns.LineRef, Taken> taken = new LinkedHashMap<>();

  private ReturnedLines(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Reads, and locks, the members' purchase lines of the articles their returns name: one statement
   * for all of them. Lines of a member and another member's article come along and are not used.
   *
   * @param returns each member's return lines
   */
  static ReturnedLines read(JdbcClient jdbc, Map<UUID, List<ReceiptLine>> returns) {
    ReturnedLines lines = new ReturnedLines(jdbc);
    Set<String> skus = new java.util.HashSet<>();
    returns.values().forEach(l -> l.forEach(line -> skus.add(line.sku())));
    if (skus.isEmpty()) {
      return lines;
    }
    jdbc.sql(
            """
            select contact_id, sku, receipt_id, line_index, quantity, returned_quantity, points,
                   points_taken_back, group_amount, created_date
            from receipt_lines
            where contact_id = any(?::uuid[]) and sku = any(?::text[]) and type = 'PURCHASE'
              and returned_quantity < quantity
            for update
            """)
        .params(returns.keySet().toArray(UUID[]::new), skus.toArray(String[]::new))
        .query(
            rs -> {
              lines
                  .open
                  .computeIfAbsent(
                      new Article(rs.getObject(1, UUID.class), rs.getString(2)),
                      a -> new ArrayList<>())
                  .add(
                      new Open(
                          new Returns.PurchasedLine(
                              new Returns.LineRef(rs.getObject(3, UUID.class), rs.getInt(4)),
                              rs.getBigDecimal(5),
                              rs.getBigDecimal(6),
                              rs.getLong(7),
                              rs.getLong(8),
                              rs.getBigDecimal(9)),
                          rs.getTimestamp(10).toInstant()));
            });
    return lines;
  }

  /**
   * What a return line takes back: the member's purchase lines of its article bought on or before
   * the return first (a return delivered late must not take from a later purchase), most recent
   * first. Recorded here, so the next return line sees what is left.
   */
  List<Returns.Takeback> take(UUID contactId, ReceiptLine line, Instant returnedAt) {
    List<Open> lines = open.get(new Article(contactId, line.sku()));
    if (lines == null) {
      return List.of();
    }
    // Compared as stored: the lines' dates are the purchases' to the microsecond.
    lines.sort(order(CopyRows.stored(returnedAt)));
    List<Returns.Takeback> takebacks =
        Returns.match(line.quantity().negate(), lines.stream().map(Open::line).toList());
    for (Returns.Takeback t : takebacks) {
      for (int i = 0; i < lines.size(); i++) {
        Open o = lines.get(i);
        if (o.line().line().equals(t.line())) {
          lines.set(i, new Open(o.line().after(t), o.createdDate()));
        }
      }
      taken.merge(t.line(), Taken.of(t), Taken::plus);
    }
    return takebacks;
  }

  /**
   * Bought on or before the return first, then most recent first; ties in PostgreSQL's order of
   * receipt ids (their bytes, unsigned) and line positions, last first.
   */
  private static Comparator<Open> order(Instant returnedAt) {
    Comparator<UUID> byBytes =
        (a, b) -> {
          int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
          return high != 0
              ? high
              : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
        };
    Comparator<Open> bought = Comparator.comparing(o -> o.createdDate().isAfter(returnedAt));
    return bought
        .thenComparing(Open::createdDate, Comparator.reverseOrder())
        .thenComparing(o -> o.line().line().receiptId(), byBytes.reversed())
        .thenComparing(o -> o.line().line().index(), Comparator.reverseOrder());
  }

  /**
   * Writes what the returns took back: one statement for the purchase lines, one for their
   * receipts' returned points and amounts, which the levels count at the purchases' dates.
   *
   * @return the receipts returned from
   */
  Set<UUID> write() {
    Map<UUID, Taken> receipts = new LinkedHashMap<>();
    taken.forEach((line, t) -> receipts.merge(line.receiptId(), t, Taken::plus));
    if (taken.isEmpty()) {
      return receipts.keySet();
    }
    jdbc.sql(
            """
            update receipt_lines l
            set returned_quantity = l.returned_quantity + u.quantity,
                points_taken_back = l.points_taken_back + u.points
            from unnest(?::uuid[], ?::int[], ?::numeric[], ?::bigint[])
                 as u(receipt_id, line_index, quantity, points)
            where l.receipt_id = u.receipt_id and l.line_index = u.line_index
              and l.receipt_id = any(?::uuid[])
            """)
        .params(
            taken.keySet().stream().map(Returns.LineRef::receiptId).toArray(UUID[]::new),
            taken.keySet().stream().map(Returns.LineRef::index).toArray(Integer[]::new),
            taken.values().stream().map(Taken::quantity).toArray(BigDecimal[]::new),
            taken.values().stream().map(Taken::points).toArray(Long[]::new),
            taken.keySet().stream().map(Returns.LineRef::receiptId).toArray(UUID[]::new))
        .update();
    jdbc.sql(
            """
            update receipts r
            set points_returned = r.points_returned + u.points,
                amount_returned = r.amount_returned + u.amount
            from unnest(?::uuid[], ?::bigint[], ?::numeric[]) as u(id, points, amount)
            where r.id = u.id and r.id = any(?::uuid[])
            """)
        .params(
            receipts.keySet().toArray(UUID[]::new),
            receipts.values().stream().map(Taken::points).toArray(Long[]::new),
            receipts.values().stream().map(Taken::groupAmount).toArray(BigDecimal[]::new),
            receipts.keySet().toArray(UUID[]::new))
        .update();
    return receipts.keySet();
  }

  /**
   * Of these receipts, in their order, those with nothing left to return: one statement. Counted
   * rather than {@code not exists}, and the line type a filter, not a condition, so that no plan
   * can prefer the index of all purchase lines to the receipts' own (in the benchmark a condition
   * took 7.4 ms a call, a filter 0.02 ms).
   */
  List<UUID> fullyReturned(Collection<UUID> receiptIds) {
    if (receiptIds.isEmpty()) {
      return List.of();
    }
    Set<UUID> returned =
        new java.util.HashSet<>(
            jdbc.sql(
                    """
            select receipt_id from receipt_lines where receipt_id = any(?::uuid[])
            group by receipt_id
            having count(*) filter (where type = 'PURCHASE' and returned_quantity < quantity) = 0
            """)
                .param(receiptIds.toArray(UUID[]::new))
                .query(UUID.class)
                .list());
    return receiptIds.stream().filter(returned::contains).toList();
  }
}

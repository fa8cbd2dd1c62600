package org.stamkund.server.loyalty;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Voucher numbers, drawn from {@code voucher_number_seq} a block at a time and handed out in
 * ascending order: a receipt lane issuing a hundred vouchers a batch then reads the sequence once
 * every few batches instead of once a batch (docs/performance.md, "Twenty-first session"). Numbers
 * stay unique across nodes, since each block comes from the one sequence; a node that stops leaves
 * the rest of its block unused, a gap like the ones a rolled-back transaction always left.
 */
final class VoucherNumbers {

  /** How many numbers one read of the sequence draws, at the least. */
  static final int BLOCK = 512;

  private final JdbcClient jdbc;
  private final ArrayDeque<Long> drawn = new ArrayDeque<>();

  VoucherNumbers(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The next {@code count} numbers, ascending. */
  synchronized List<String> take(int count) {
    if (drawn.size() < count) {
      drawn.addAll(
          jdbc.sql("select nextval('voucher_number_seq') from generate_series(1, ?)")
              .param(Math.max(BLOCK, count - drawn.size()))
              .query(Long.class)
              .list());
    }
    List<String> numbers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      numbers.add(Long.toString(drawn.removeFirst()));
    }
    return numbers;
  }
}

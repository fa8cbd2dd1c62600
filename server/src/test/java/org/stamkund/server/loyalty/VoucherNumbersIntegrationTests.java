package org.stamkund.server.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stamkund.server.IntegrationTest;

/** Voucher numbers drawn a block at a time: unique, ascending, and from the one sequence. */
class VoucherNumbersIntegrationTests extends IntegrationTest {

  @Autowired JdbcClient jdbc;

  private long sequence() {
    return jdbc.sql("select last_value from voucher_number_seq").query(Long.class).single();
  }

  @Test
  void numbersAreHandedOutInOrderAndTheSequenceIsReadOnceABlock() {
    VoucherNumbers numbers = new VoucherNumbers(jdbc);
    List<String> first = numbers.take(3);
    long afterFirst = sequence();
    List<String> second = numbers.take(5);

    assertThat(afterFirst).isEqualTo(Long.parseLong(first.getFirst()) + VoucherNumbers.BLOCK - 1);
    assertThat(sequence()).as("the second take came from the block").isEqualTo(afterFirst);
    List<Long> all = new ArrayList<>();
    first.forEach(n -> all.add(Long.parseLong(n)));
    second.forEach(n -> all.add(Long.parseLong(n)));
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i)).isEqualTo(all.get(i - 1) + 1);
    }
  }

  @Test
  void aTakeLargerThanWhatIsLeftDrawsWhatItLacks() {
    VoucherNumbers numbers = new VoucherNumbers(jdbc);
    numbers.take(VoucherNumbers.BLOCK - 2);
    List<String> large = numbers.take(VoucherNumbers.BLOCK * 2 + 7);

    assertThat(large).hasSize(VoucherNumbers.BLOCK * 2 + 7).doesNotHaveDuplicates();
    List<Long> values = large.stream().map(Long::parseLong).toList();
    assertThat(values).isSorted();
  }

  @Test
  void twoNodesAndManyCallersNeverHandOutANumberTwice() throws Exception {
    // Two pools stand for two servers on one database.
    List<VoucherNumbers> nodes = List.of(new VoucherNumbers(jdbc), new VoucherNumbers(jdbc));
    List<Callable<List<String>>> callers = new ArrayList<>();
    for (int c = 0; c < 16; c++) {
      VoucherNumbers node = nodes.get(c % 2);
      int size = 1 + c * 13;
      callers.add(
          () -> {
            List<String> taken = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
              List<String> one = node.take(size);
              assertThat(one.stream().map(Long::parseLong).toList()).isSorted();
              taken.addAll(one);
            }
            return taken;
          });
    }
    Set<String> seen = Collections.synchronizedSet(new HashSet<>());
    int total = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<List<String>> f : pool.invokeAll(callers)) {
        List<String> taken = f.get();
        total += taken.size();
        seen.addAll(taken);
      }
    }
    assertThat(seen).hasSize(total);
  }
}

package org.stamkund.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementsTests {

  private static Statements.Counters counters(String query, double ms, long calls) {
    return new Statements.Counters(query, ms, 0, calls, calls, 0, calls * 4, 0, calls * 1024.0);
  }

  private static Statements.Snapshot snapshot(Statements.Counters... statements) {
    Map<String, Statements.Counters> byId = new java.util.HashMap<>();
    for (Statements.Counters s : statements) {
      byId.put(s.query(), s);
    }
    return new Statements.Snapshot(byId);
  }

  @Test
  void onlyWhatRanInsideTheWindowsIsCountedAndWindowsAddUp(@TempDir Path dir) throws Exception {
    Statements measured = new Statements();
    // First window: "insert" ran 5 times; "select" not at all; "copy" appeared.
    measured.add(
        snapshot(counters("insert", 100, 10), counters("select", 30, 3)),
        snapshot(counters("insert", 150, 15), counters("select", 30, 3), counters("copy", 8, 2)));
    // Between the windows (a warm-up, another scenario's turn) "insert" ran 100 times more.
    measured.add(
        snapshot(counters("insert", 1150, 115), counters("copy", 8, 2)),
        snapshot(counters("insert", 1170, 117), counters("copy", 20, 5)));
    // A window with no snapshot (pg_stat_statements not installed) adds nothing.
    measured.add(null, snapshot(counters("select", 999, 99)));

    Path file = dir.resolve("statements.txt");
    measured.write(file);

    List<String> lines = Files.readAllLines(file);
    assertThat(lines.getFirst()).startsWith("total_ms calls mean_ms");
    // insert: 50 ms over 5 calls, then 20 ms over 2; copy: 8 ms over 2, then 12 over 3.
    assertThat(lines.subList(1, lines.size()))
        .containsExactly(
            "70.0 7 10.000 0.0 7 0 28 0 7.0 insert", "20.0 5 4.000 0.0 5 0 20 0 5.0 copy");
  }
}

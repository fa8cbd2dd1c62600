package org.stamkund.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What PostgreSQL's statements did in a scenario's measured windows only: {@code
 * pg_stat_statements}' counters are read as each window starts and ends, and the differences are
 * added up. A scenario's warm-up, and the other scenario it takes turns with, are left out.
 */
final class Statements {

  /** One statement's counters (totals, so that differences and sums are meaningful). */
  record Counters(
      String query,
      double ms,
      double planMs,
      long calls,
      long rows,
      long blocksRead,
      long blocksHit,
      long blocksDirtied,
      double walBytes) {

    Counters minus(Counters earlier) {
      return new Counters(
          query,
          ms - earlier.ms,
          planMs - earlier.planMs,
          calls - earlier.calls,
          rows - earlier.rows,
          blocksRead - earlier.blocksRead,
          blocksHit - earlier.blocksHit,
          blocksDirtied - earlier.blocksDirtied,
          walBytes - earlier.walBytes);
    }

    Counters plus(Counters other) {
      return new Counters(
          query,
          ms + other.ms,
          planMs + other.planMs,
          calls + other.calls,
          rows + other.rows,
          blocksRead + other.blocksRead,
          blocksHit + other.blocksHit,
          blocksDirtied + other.blocksDirtied,
          walBytes + other.walBytes);
    }
  }

  /** The counters of every statement at one moment, by query id and nesting level. */
  record Snapshot(Map<String, Counters> byStatement) {}

  private final Map<String, Counters> measured = new HashMap<>();

  /** The counters now, or null when {@code pg_stat_statements} is not installed. */
  static @Nullable Snapshot read(String jdbcUrl) {
    Map<String, Counters> now = new HashMap<>();
    try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    """
                    select queryid::text || '/' || toplevel::text, query,
                           total_exec_time + total_plan_time, total_plan_time, calls, rows,
                           shared_blks_read, shared_blks_hit, shared_blks_dirtied, wal_bytes
                    from pg_stat_statements where query not like '%pg_stat_statements%'
                    """)) {
      while (rs.next()) {
        now.put(
            rs.getString(1),
            new Counters(
                rs.getString(2).replaceAll("\\s+", " "),
                rs.getDouble(3),
                rs.getDouble(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getLong(7),
                rs.getLong(8),
                rs.getLong(9),
                rs.getDouble(10)));
      }
    } catch (SQLException notInstalled) {
      return null;
    }
    return new Snapshot(now);
  }

  /** Adds what happened between two snapshots of one window; nothing when either is missing. */
  synchronized void add(@Nullable Snapshot before, @Nullable Snapshot after) {
    if (before == null || after == null) {
      return;
    }
    after
        .byStatement()
        .forEach(
            (id, now) -> {
              Counters earlier = before.byStatement().get(id);
              // A statement evicted and seen again since counts from zero.
              Counters window =
                  earlier == null || now.calls() < earlier.calls() ? now : now.minus(earlier);
              if (window.calls() > 0) {
                measured.merge(id, window, Counters::plus);
              }
            });
  }

  /**
   * Writes the 40 statements that took PostgreSQL the most time in the measured windows: per
   * statement its total, calls, mean, planning, rows, blocks read and hit and dirtied, and
   * write-ahead log.
   */
  synchronized void write(Path file) throws IOException {
    StringBuilder out =
        new StringBuilder(
            "total_ms calls mean_ms plan_ms rows blocks_read hit dirtied wal_kib query\n");
    measured.values().stream()
        .sorted(Comparator.comparingDouble(Counters::ms).reversed())
        .limit(40)
        .forEach(
            s ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "%.1f %d %.3f %.1f %d %d %d %d %.1f %s%n",
                        s.ms(),
                        s.calls(),
                        s.ms() / s.calls(),
                        s.planMs(),
                        s.rows(),
                        s.blocksRead(),
                        s.blocksHit(),
                        s.blocksDirtied(),
                        s.walBytes() / 1024,
                        s.query())));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, out);
  }
}

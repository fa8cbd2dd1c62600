package org.stamkund.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * A measured window second by second ({@code --timeline}): each second's calls and latencies next
 * to what the machine did in it, the time tasks stalled waiting for the disk and for a core
 * (Linux's pressure stall information) and the dirty pages waiting to be written; and what
 * PostgreSQL did: its write-ahead log's flushes to disk and the time they took, the checkpointer's
 * buffers written, and what its busy backends were waiting for (pg_stat_activity, sampled every 20
 * ms: the mean number of backends in each wait, "CPU:" and the statement's start for none). A
 * scenario's tail that comes in bursts shows which of them came with it.
 */
final class Timeline implements AutoCloseable {

  private static final long SAMPLE_MILLIS = 20;

  private static volatile boolean enabled;
  private static volatile @Nullable String database;

  private final @Nullable Connection postgres;
  private final @Nullable Thread sampler;
  private final Map<String, Integer> waits = new TreeMap<>();
  private int samples;
  private long[] postgresCounters = new long[3];

  private long ioStallMicros;
  private long cpuStallMicros;
  private long stolenTicks;
  private int second;

  private Timeline(@Nullable Connection postgres) throws SQLException {
    this.ioStallMicros = stalled("io");
    this.cpuStallMicros = stalled("cpu");
    this.stolenTicks = stolen();
    this.postgres = postgres;
    if (postgres == null) {
      this.sampler = null;
    } else {
      this.postgresCounters = counters(postgres);
      Connection sampling = DriverManager.getConnection(database, "postgres", "postgres");
      this.sampler =
          Thread.ofPlatform().daemon().name("timeline-waits").start(() -> sample(sampling));
    }
  }

  static void enable() {
    enabled = true;
  }

  static boolean enabled() {
    return enabled;
  }

  /** The PostgreSQL whose write-ahead log, checkpoints and waits the timeline shows. */
  static void database(String jdbcUrl) {
    database = jdbcUrl;
  }

  /** A timeline of the window starting now; null unless {@code --timeline} was given. */
  static @Nullable Timeline start() {
    if (!enabled) {
      return null;
    }
    System.err.println(
        "timeline: second calls p50_ms p99_ms max_ms io_stall_ms cpu_stall_ms steal_ms dirty_mib"
            + " writeback_mib wal_flushes wal_flush_ms checkpoint_buffers backends_waiting");
    try {
      String url = database;
      return new Timeline(
          url == null ? null : DriverManager.getConnection(url, "postgres", "postgres"));
    } catch (SQLException e) {
      throw new IllegalStateException("the timeline cannot read PostgreSQL's statistics", e);
    }
  }

  /** Counts the waits of PostgreSQL's busy client backends until interrupted. */
  private void sample(Connection sampling) {
    try (sampling;
        Statement s = sampling.createStatement()) {
      while (!Thread.currentThread().isInterrupted()) {
        try (ResultSet rs =
            s.executeQuery(
                """
                select coalesce(wait_event_type || ':' || wait_event,
                                'CPU:' || left(regexp_replace(query, '\\s+', ' ', 'g'), 50))
                from pg_stat_activity
                where state = 'active' and backend_type = 'client backend'
                  and pid <> pg_backend_pid()
                """)) {
          synchronized (waits) {
            while (rs.next()) {
              waits.merge(rs.getString(1), 1, Integer::sum);
            }
            samples++;
          }
        }
        Thread.sleep(SAMPLE_MILLIS);
      }
    } catch (InterruptedException | SQLException e) {
      // the window ended, or PostgreSQL went away with it
    }
  }

  /** Write-ahead log flushes, their milliseconds, and checkpoint buffers written, since reset. */
  private static long[] counters(Connection postgres) throws SQLException {
    try (Statement s = postgres.createStatement();
        ResultSet rs =
            s.executeQuery(
                """
                select w.wal_sync, w.wal_sync_time::bigint, c.buffers_written
                from pg_stat_wal w, pg_stat_checkpointer c
                """)) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
    }
  }

  /** The mean number of busy backends in each wait since the last call, the most first. */
  private String waitsSinceLast() {
    synchronized (waits) {
      int n = Math.max(1, samples);
      String line =
          waits.entrySet().stream()
              .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
              .limit(4)
              .map(
                  e -> String.format(Locale.ROOT, "%s=%.1f", e.getKey(), e.getValue() / (double) n))
              .collect(Collectors.joining(","));
      waits.clear();
      samples = 0;
      return line.isEmpty() ? "-" : line;
    }
  }

  /** Prints one second's line. */
  void second(Histogram latencies) {
    long io = stalled("io");
    long cpu = stalled("cpu");
    long steal = stolen();
    String database = "- - - -";
    if (postgres != null) {
      try {
        long[] now = counters(postgres);
        database =
            (now[0] - postgresCounters[0])
                + " "
                + (now[1] - postgresCounters[1])
                + " "
                + (now[2] - postgresCounters[2])
                + " "
                + waitsSinceLast();
        postgresCounters = now;
      } catch (SQLException e) {
        database = "? ? ? ?";
      }
    }
    System.err.println(
        String.format(
            Locale.ROOT,
            "timeline: %d %d %.1f %.1f %.1f %d %d %d %d %d %s",
            ++second,
            latencies.getTotalCount(),
            latencies.getValueAtPercentile(50) / 1e6,
            latencies.getValueAtPercentile(99) / 1e6,
            latencies.getMaxValue() / 1e6,
            (io - ioStallMicros) / 1000,
            (cpu - cpuStallMicros) / 1000,
            (steal - stolenTicks) * 10,
            memory("Dirty:") / 1024,
            memory("Writeback:") / 1024,
            database));
    ioStallMicros = io;
    cpuStallMicros = cpu;
    stolenTicks = steal;
  }

  @Override
  public void close() {
    if (sampler != null) {
      sampler.interrupt();
    }
    if (postgres != null) {
      try {
        postgres.close();
      } catch (SQLException e) {
        // nothing left to read
      }
    }
  }

  /**
   * Time the hypervisor ran something else while this machine's cores had work, since boot, in
   * ticks of 10 ms (/proc/stat); -1 where the kernel tells none.
   */
  private static long stolen() {
    try (var lines = Files.lines(Path.of("/proc/stat"))) {
      String[] cpu = lines.findFirst().orElse("").trim().split("\\s+");
      return cpu.length > 8 && cpu[0].equals("cpu") ? Long.parseLong(cpu[8]) : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Microseconds some task stalled on a resource since boot; -1 where the kernel tells none. */
  private static long stalled(String resource) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/pressure", resource))) {
        if (line.startsWith("some ")) {
          return Long.parseLong(line.substring(line.indexOf("total=") + "total=".length()).strip());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no pressure stall information: the column stays -1
    }
    return -1;
  }

  /** A line of /proc/meminfo in KiB; -1 where there is none. */
  private static long memory(String name) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/meminfo"));
      for (String line : lines) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).replace("kB", "").strip());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the column stays -1
    }
    return -1;
  }
}

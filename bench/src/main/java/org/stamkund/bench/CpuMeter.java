package org.stamkund.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * CPU time the server and PostgreSQL spend, read from {@code /proc}: it divides by the calls of a
 * scenario into CPU milliseconds per call, a figure that other load on the machine barely moves.
 * Also the write-ahead log PostgreSQL writes: bytes per call, a figure nothing else moves at all;
 * and how long the server's threads and PostgreSQL's processes were ready to run but waited for a
 * core ({@code schedstat}), which tells a saturated machine from a slow path.
 */
final class CpuMeter {

  /** Linux reports process times in clock ticks of 1/100 s (USER_HZ). */
  private static final double MS_PER_TICK = 10;

  private final long serverPid;
  private final Path postmasterPidFile;
  private final String jdbcUrl;

  private final boolean statements;
  private final Http server;

  /**
   * @param statements whether each sample also reads {@code pg_stat_statements}' counters
   * @param server the server under test, whose receipt lanes each sample reads
   */
  CpuMeter(long serverPid, Path postgresDataDir, String jdbcUrl, boolean statements, Http server) {
    this.server = server;
    this.serverPid = serverPid;
    this.postmasterPidFile = postgresDataDir.resolve("postmaster.pid");
    this.jdbcUrl = jdbcUrl;
    this.statements = statements;
  }

  /**
   * CPU milliseconds so far: the server's, PostgreSQL's (postmaster and its children) and the load
   * generator's (this process, which shares the machine); and the position in the write-ahead log,
   * in bytes; with {@code --statements}, every statement's counters; the server's receipt lanes;
   * and the milliseconds the server's threads and PostgreSQL's live processes have waited for a
   * core (a thread or process that ended takes its waits with it).
   */
  record Sample(
      double serverMs,
      double postgresMs,
      double loadMs,
      long walBytes,
      Statements.@Nullable Snapshot statements,
      @Nullable Lanes lanes,
      double serverWaitMs,
      double postgresWaitMs) {}

  Sample sample() {
    long postmaster = postmaster();
    return new Sample(
        ticks(Path.of("/proc", Long.toString(serverPid))) * MS_PER_TICK,
        postmaster > 0 ? postgresTicks(postmaster) * MS_PER_TICK : 0,
        ticks(ProcessHandle.current().pid()) * MS_PER_TICK,
        walPosition(),
        statements ? Statements.read(jdbcUrl) : null,
        Lanes.read(server),
        waitedNanos(serverPid) / 1e6,
        postmaster > 0 ? postgresWaitedNanos(postmaster) / 1e6 : 0);
  }

  /** The nanoseconds all of a process's threads have been ready to run but waited for a core. */
  static long waitedNanos(long pid) {
    try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      return threads.mapToLong(t -> waitedNanos(t.resolve("schedstat"))).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  private static long waitedNanos(Path schedstat) {
    try {
      return waitedNanos(Files.readString(schedstat));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** {@code schedstat}: time on a core, time waiting for one (both ns), and slices run. */
  static long waitedNanos(String schedstat) {
    String[] fields = schedstat.strip().split(" ");
    return fields.length > 1 ? Long.parseLong(fields[1]) : 0;
  }

  /** The postmaster's waits for a core and its live children's (each one thread). */
  private static long postgresWaitedNanos(long postmaster) {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return waitedNanos(postmaster)
          + procs
              .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
              .filter(p -> parentIs(p, postmaster))
              .mapToLong(p -> waitedNanos(p.resolve("schedstat")))
              .sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  /**
   * The postmaster's CPU, its live children's, and its ended children's (a backend whose connection
   * closed, an autovacuum worker done with its table). A child that ends while the children are
   * read would count twice or not at all, so they are read again until no child ended meanwhile.
   */
  private static long postgresTicks(long postmaster) {
    Path proc = Path.of("/proc", Long.toString(postmaster));
    long ended = endedChildrenTicks(proc);
    for (int attempt = 0; ; attempt++) {
      long live = liveChildrenTicks(postmaster);
      long endedAfter = endedChildrenTicks(proc);
      if (endedAfter == ended || attempt == 10) {
        return ticks(proc) + endedAfter + live;
      }
      ended = endedAfter;
    }
  }

  private static long liveChildrenTicks(long postmaster) {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .mapToLong(p -> parentIs(p, postmaster) ? ticks(p) : 0)
          .sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  /**
   * CPU milliseconds the server's JIT compiler threads have spent so far. While they still work,
   * the server runs code not yet compiled for the scenario and competes with it for the cores.
   */
  double serverJitMs() {
    long ticks = 0;
    try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(serverPid), "task"))) {
      ticks = threads.filter(CpuMeter::isJitCompiler).mapToLong(CpuMeter::ticks).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
    return ticks * MS_PER_TICK;
  }

  /** HotSpot names them "C1 CompilerThread0", "C2 CompilerThread0", … (comm keeps 15 bytes). */
  private static boolean isJitCompiler(Path thread) {
    try {
      String name = Files.readString(thread.resolve("comm")).strip();
      return name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler");
    } catch (IOException e) {
      return false;
    }
  }

  private long walPosition() {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl);
        java.sql.ResultSet rs =
            c.createStatement().executeQuery("select pg_current_wal_lsn() - '0/0'::pg_lsn")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      return 0;
    }
  }

  private long postmaster() {
    try {
      return Long.parseLong(Files.readAllLines(postmasterPidFile).getFirst().strip());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long ticks(long pid) {
    return ticks(Path.of("/proc", Long.toString(pid)));
  }

  /** utime + stime, fields 14 and 15 of {@code stat} (after the parenthesised command name). */
  private static long ticks(Path proc) {
    return ownTicks(fields(proc));
  }

  /**
   * cutime + cstime, fields 16 and 17 of {@code stat}: the CPU of the process's children that have
   * ended and been waited for.
   */
  private static long endedChildrenTicks(Path proc) {
    return endedChildrenTicks(fields(proc));
  }

  static long endedChildrenTicks(String[] fields) {
    return fields.length > 14 ? Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : 0;
  }

  /** utime + stime of the fields of a {@code stat} after its command name. */
  static long ownTicks(String[] fields) {
    return fields.length > 12 ? Long.parseLong(fields[11]) + Long.parseLong(fields[12]) : 0;
  }

  private static boolean parentIs(Path proc, long parent) {
    String[] f = fields(proc);
    return f.length > 1 && f[1].equals(Long.toString(parent));
  }

  /** The fields of {@code stat} after the command name: state is [0], ppid [1], utime [11]. */
  private static String[] fields(Path proc) {
    try {
      return fields(Files.readString(proc.resolve("stat")));
    } catch (IOException | RuntimeException e) {
      return new String[0];
    }
  }

  static String[] fields(String stat) {
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }
}

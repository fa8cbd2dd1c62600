package org.stamkund.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * {@code bench/run}: a fresh PostgreSQL 17 and a freshly started server on it, seeded with N
 * members; then bulk imports (three, the median reported), the changes feed, key lookups and
 * receipts against the server, the same database work by plain JDBC as the ceiling, and the
 * server's memory.
 *
 * <p>Options: {@code --contacts N} (default 100,000), {@code --quick} (10,000 members, a few
 * seconds a scenario), {@code --seconds S}, {@code --warm-up S} (the least warm-up, 15; quick 5),
 * {@code --warm-up-max S} (the most: a scenario of the server warms up past the least until the
 * server's JIT compilers are quiet; 180, quick the least), {@code --clients C} (64), {@code
 * --server-jar P}, {@code --report P}, {@code --server-heap H} (the server's {@code -Xmx}, default
 * 768m as {@code bin/server} runs it), {@code --only S,…} (some of bulk, feed, lookups, receipts,
 * ceilings: for profiling one scenario; the others report zero).
 */
public final class BenchRun {

  private BenchRun() {}

  /** How many times the bulk import runs, each with new members; the report gives the median. */
  static final int BULK_IMPORTS = 3;

  /** Settings of a run. */
  public record Options(
      int contacts,
      int bulkContacts,
      Duration warmUp,
      Duration warmUpMax,
      Duration measured,
      int clients,
      Path serverJar,
      Path report,
      String serverHeap,
      java.util.Map<String, String> postgresConfig,
      java.util.Set<String> only) {

    /** The scenarios a run may be limited to with {@code --only}. */
    static final java.util.Set<String> SCENARIOS =
        java.util.Set.of("bulk", "feed", "lookups", "receipts", "ceilings");

    /** The warm-up of a scenario the server runs: until its JIT compilers are quiet. */
    Load.WarmUp serverWarmUp(CpuMeter cpu) {
      return new Load.WarmUp(warmUp, warmUpMax, cpu::serverJitMs);
    }

    /** The warm-up of a ceiling: no server, so no JIT to wait for. */
    Load.WarmUp ceilingWarmUp() {
      return Load.WarmUp.fixed(warmUp);
    }

    boolean runs(String scenario) {
      return only.isEmpty() || only.contains(scenario);
    }

    static Options parse(String[] args) {
      boolean quick = false;
      Integer contacts = null;
      Integer seconds = null;
      Integer warmUpSeconds = null;
      Integer warmUpMaxSeconds = null;
      int clients = 64;
      Path jar = Path.of("server/target/stamkund-server.jar");
      Path report = Path.of("bench/target/bench-report.json");
      String heap = "768m";
      java.util.Map<String, String> postgres = new java.util.LinkedHashMap<>();
      java.util.Set<String> only = new java.util.TreeSet<>();
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--quick" -> quick = true;
          case "--timeline" -> {
            Timeline.enable();
            // the time the write-ahead log's flushes take, for the timeline
            postgres.put("track_wal_io_timing", "on");
          }
          case "--contacts" -> contacts = Integer.parseInt(args[++i].replace("_", ""));
          case "--seconds" -> seconds = Integer.parseInt(args[++i]);
          case "--warm-up" -> warmUpSeconds = Integer.parseInt(args[++i]);
          case "--warm-up-max" -> warmUpMaxSeconds = Integer.parseInt(args[++i]);
          case "--clients" -> clients = Integer.parseInt(args[++i]);
          case "--server-jar" -> jar = Path.of(args[++i]);
          case "--report" -> report = Path.of(args[++i]);
          case "--server-heap" -> heap = args[++i];
          case "--statements" -> {
            postgres.put("shared_preload_libraries", "pg_stat_statements");
            postgres.put("pg_stat_statements.track_planning", "on");
          }
          case "--pg" -> {
            String[] setting = args[++i].split("=", 2);
            postgres.put(setting[0], setting[1]);
          }
          case "--only" -> {
            for (String scenario : args[++i].split(",")) {
              if (!SCENARIOS.contains(scenario)) {
                throw new IllegalArgumentException(
                    "--only takes some of " + new java.util.TreeSet<>(SCENARIOS));
              }
              only.add(scenario);
            }
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      int n = contacts != null ? contacts : quick ? 10_000 : 100_000;
      int s = seconds != null ? seconds : quick ? 4 : 30;
      Duration warmUp = Duration.ofSeconds(warmUpSeconds != null ? warmUpSeconds : quick ? 5 : 15);
      Duration warmUpMax =
          warmUpMaxSeconds != null
              ? Duration.ofSeconds(warmUpMaxSeconds)
              : quick ? warmUp : Duration.ofSeconds(180);
      if (warmUpMax.compareTo(warmUp) < 0) {
        throw new IllegalArgumentException("--warm-up-max is shorter than --warm-up");
      }
      return new Options(
          n,
          quick ? 10_000 : 100_000,
          warmUp,
          warmUpMax,
          Duration.ofSeconds(s),
          clients,
          jar,
          report,
          heap,
          java.util.Map.copyOf(postgres),
          java.util.Set.copyOf(only));
    }
  }

  public static void main(String[] args) throws Exception {
    Report report = run(Options.parse(args));
    System.out.println(report.markdown());
  }

  public static Report run(Options options) throws Exception {
    if (!Files.isRegularFile(options.serverJar())) {
      throw new IllegalStateException(
          "no server jar at " + options.serverJar() + "; build it first (bench/run does)");
    }
    Path work = Files.createTempDirectory("stamkund-bench");
    String run = UUID.randomUUID().toString().substring(0, 8);
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(work.resolve("postgres"))
            .setCleanDataDirectory(true)
            .setServerConfig("max_connections", "300")
            .setServerConfig("shared_buffers", "1GB")
            // As the server's own embedded PostgreSQL runs; the ceiling runs on it too. Durable
            // commits, which the launcher turns off by default (until the sixteenth session the
            // benchmark ran without them).
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("max_wal_size", "8GB")
            .setServerConfig("checkpoint_timeout", "15min")
            // New write-ahead log files are created, not zero-filled: filling 16 MB and flushing
            // it held up the commit that crossed into the file for about 50 ms, a hundredth of
            // the commits of a busy hour (docs/performance.md, "Nineteenth session").
            .setServerConfig("wal_init_zero", "off")
            // Backends have the pages they evict written soon, as the server's own embedded
            // PostgreSQL does (docs/performance.md, "Twenty-sixth session").
            .setServerConfig("backend_flush_after", "256kB");
    // --pg name=value: extra settings, e.g. log_min_duration_statement=0 to see where time goes.
    options.postgresConfig().forEach(builder::setServerConfig);
    try (EmbeddedPostgres postgres = builder.start()) {
      String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
      Timeline.database(jdbcUrl);
      try (ServerProcess server =
          ServerProcess.start(options.serverJar(), jdbcUrl, work, options.serverHeap())) {
        Http http = new Http(server.base(), ServerProcess.KEY);
        boolean statements = options.postgresConfig().containsKey("shared_preload_libraries");
        CpuMeter cpu =
            new CpuMeter(server.pid(), work.resolve("postgres"), jdbcUrl, statements, http);
        Workload workload = new Workload(run, options.contacts());
        step("seeding " + options.contacts() + " members");
        CpuMeter.Sample seedBefore = cpu.sample();
        long seedStarted = System.nanoTime();
        bulk(http, workload, run, options.contacts());
        double seedSeconds = (System.nanoTime() - seedStarted) / 1e9;
        CpuMeter.Sample seedAfter = cpu.sample();
        step(
            String.format(
                java.util.Locale.ROOT,
                "seeded at %,.0f members/s; CPU per member: server %.0f µs, PostgreSQL %.0f µs",
                options.contacts() / seedSeconds,
                (seedAfter.serverMs() - seedBefore.serverMs()) * 1000 / options.contacts(),
                (seedAfter.postgresMs() - seedBefore.postgresMs()) * 1000 / options.contacts()));
        // The seeded club is one whose database has long been vacuumed and analysed, as below
        // after the imports: otherwise autovacuum reads the freshly seeded tables during the
        // bulk import and bills its CPU to the import.
        step("vacuum and analyse after seeding");
        sql(jdbcUrl, "vacuum (analyze)");
        List<Double> bulkRates = new ArrayList<>();
        double[] bulkCpuUs = {0, 0};
        if (statements) {
          sql(jdbcUrl, "create extension if not exists pg_stat_statements");
        }
        if (options.runs("bulk")) {
          // Several imports, their median reported: one takes about two seconds here, and a
          // collection or a burst of other work on the two cores moves it by a fifth.
          step(
              String.format(
                  java.util.Locale.ROOT,
                  "%d bulk imports of %,d new members each",
                  BULK_IMPORTS,
                  options.bulkContacts()));
          CpuMeter.Sample bulkBefore = cpu.sample();
          for (int i = 0; i < BULK_IMPORTS; i++) {
            long started = System.nanoTime();
            bulk(http, workload, run + "n" + i, options.bulkContacts());
            bulkRates.add(options.bulkContacts() / ((System.nanoTime() - started) / 1e9));
          }
          CpuMeter.Sample bulkAfter = cpu.sample();
          double imported = (double) BULK_IMPORTS * options.bulkContacts();
          bulkCpuUs[0] = (bulkAfter.serverMs() - bulkBefore.serverMs()) * 1000 / imported;
          bulkCpuUs[1] = (bulkAfter.postgresMs() - bulkBefore.postgresMs()) * 1000 / imported;
          if (statements) {
            Statements importing = new Statements();
            importing.add(bulkBefore.statements(), bulkAfter.statements());
            writeStatements(importing, options.report().resolveSibling("bulk-statements.txt"));
          }
        }
        double changesRate = 0;
        if (options.runs("feed")) {
          step("changes feed");
          changesRate = changes(http, options.bulkContacts());
        }
        // A club's database has long been vacuumed and analysed; right after the imports,
        // autovacuum would do it during the first scenario and bill its CPU to it.
        step("vacuum and analyse after the imports");
        sql(jdbcUrl, "vacuum (analyze)");
        Load.Result lookups = Load.NONE;
        Load.Result lookupCeiling = Load.NONE;
        Load.Result receipts = Load.NONE;
        Load.Result receiptCeiling = Load.NONE;
        double rss;
        // Each engine scenario is measured in turns with its ceiling (Load.alternate).
        try (Ceilings ceilings =
            options.runs("ceilings")
                ? new Ceilings(jdbcUrl, options.clients(), workload, run)
                : null) {
          long[] flip = {0};
          HttpLoad lookup =
              new HttpLoad(
                  server.base(),
                  ServerProcess.KEY,
                  () -> {
                    String email = workload.randomMemberEmail();
                    return new HttpLoad.Call(
                        "GET",
                        ++flip[0] % 2 == 0
                            ? "/api/v2/contacts/Member/bykey/" + email
                            : "/api/v2/contacts/id?email=" + email,
                        null,
                        200);
                  });
          List<Load.Result> measured =
              scenario(
                  options,
                  cpu,
                  "key lookups",
                  options.runs("lookups") ? lookup : null,
                  ceilings == null ? null : Load.threads(client -> ceilings.lookup()));
          lookups = measured.get(0);
          lookupCeiling = measured.get(1);
          if (statements) {
            writeMeasured(lookups, options.report().resolveSibling("lookup-statements.txt"));
            writeMeasured(
                lookupCeiling, options.report().resolveSibling("lookup-ceiling-statements.txt"));
          }
          measured =
              scenario(
                  options,
                  cpu,
                  "receipts",
                  options.runs("receipts")
                      ? new HttpLoad(
                          server.base(),
                          ServerProcess.KEY,
                          () ->
                              new HttpLoad.Call(
                                  "POST", "/api/v2/receipts", workload.receipt(), 202))
                      : null,
                  ceilings == null ? null : Load.threads(client -> ceilings.receipt()));
          receipts = measured.get(0);
          receiptCeiling = measured.get(1);
          rss = server.residentMiB();
          if (statements) {
            writeMeasured(receipts, options.report().resolveSibling("receipt-statements.txt"));
            writeMeasured(
                receiptCeiling, options.report().resolveSibling("receipt-ceiling-statements.txt"));
          }
        }
        Report report =
            new Report(
                receipts,
                receiptCeiling,
                lookups,
                lookupCeiling,
                List.copyOf(bulkRates),
                bulkCpuUs[0],
                bulkCpuUs[1],
                changesRate,
                rss,
                options.contacts(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                postgresVersion(jdbcUrl),
                inHugePages(jdbcUrl),
                WriteBack.read(Path.of("/proc/sys/vm")),
                commit());
        report.write(options.report());
        return report;
      }
    }
  }

  /**
   * Measures a scenario of the server and its plain-JDBC ceiling in alternating slices, or
   * whichever of them runs alone; a scenario not run reports zeros.
   */
  private static List<Load.Result> scenario(
      Options options,
      CpuMeter cpu,
      String name,
      Load.@Nullable Clients engine,
      Load.@Nullable Clients ceiling)
      throws Exception {
    int clients = options.clients();
    if (engine != null && ceiling != null) {
      int slices = (int) Math.max(1, options.measured().toSeconds() / 10);
      step(
          String.format(
              "%s, %d clients, taking turns with its ceiling (%d × %d s each)",
              name, clients, slices, options.measured().toSeconds() / slices));
      return Load.alternate(
          clients,
          options.measured(),
          slices,
          cpu,
          options.serverWarmUp(cpu),
          engine,
          options.ceilingWarmUp(),
          ceiling);
    }
    if (engine != null) {
      step(name + ", " + clients + " clients");
      return List.of(
          Load.run(clients, options.serverWarmUp(cpu), options.measured(), cpu, engine), Load.NONE);
    }
    if (ceiling != null) {
      step(name + ": the same database work by plain JDBC");
      return List.of(
          Load.NONE, Load.run(clients, options.ceilingWarmUp(), options.measured(), cpu, ceiling));
    }
    return List.of(Load.NONE, Load.NONE);
  }

  private static void step(String what) {
    System.out.println("bench: " + what);
  }

  /** Posts members in calls of 4,000 from two clients; returns when all are committed. */
  private static void bulk(Http http, Workload workload, String prefix, int count)
      throws Exception {
    List<Future<?>> calls = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      for (int first = 0; first < count; first += 4000) {
        int from = first;
        int size = Math.min(4000, count - first);
        calls.add(
            pool.submit(
                () ->
                    http.post(
                        "/api/v2/contacts/bulk?contactType=Member",
                        workload.bulkBody(prefix, from, size),
                        200)));
      }
      for (Future<?> call : calls) {
        call.get();
      }
    }
  }

  /** Reads the last {@code wanted} changes through the cursor feed; ids per second. */
  private static double changes(Http http, int wanted) throws Exception {
    long read = 0;
    String cursor = "";
    long started = System.nanoTime();
    while (read < wanted) {
      String page =
          http.get(
              "/api/v2/contacts/changes/feed?count=10000"
                  + (cursor.isEmpty() ? "" : "&after=" + cursor),
              200);
      int n = count(page, "\"contactId\"");
      read += n;
      int at = page.lastIndexOf("\"next\":\"");
      cursor = page.substring(at + 8, page.indexOf('"', at + 8));
      if (n == 0) {
        break;
      }
    }
    return read / ((System.nanoTime() - started) / 1e9);
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static void sql(String jdbcUrl, String sql) throws Exception {
    try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** A scenario's statements in its measured windows, by PostgreSQL time (--statements). */
  private static void writeMeasured(Load.Result scenario, Path file) throws IOException {
    if (scenario.calls() > 0) {
      writeStatements(scenario.statements(), file);
    }
  }

  private static void writeStatements(Statements statements, Path file) throws IOException {
    statements.write(file);
    step("statements by PostgreSQL time: " + file);
  }

  private static String postgresVersion(String jdbcUrl) throws Exception {
    try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("show server_version")) {
      rs.next();
      return "PostgreSQL " + rs.getString(1);
    }
  }

  /**
   * Whether PostgreSQL's shared memory is in huge pages: it is when the machine has enough reserved
   * ({@code vm.nr_hugepages}), and a receipt then costs PostgreSQL less CPU (docs/performance.md,
   * "Twenty-fifth session"), so runs compare only when they agree on it.
   */
  private static boolean inHugePages(String jdbcUrl) throws Exception {
    try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select current_setting('huge_pages_status'),"
                    + " current_setting('shared_memory_size_in_huge_pages')")) {
      rs.next();
      boolean on = rs.getString(1).equals("on");
      if (!on && !rs.getString(2).equals("-1")) {
        step(
            "PostgreSQL's shared memory was not in huge pages; with "
                + rs.getString(2)
                + " reserved (as root: sysctl vm.nr_hugepages="
                + rs.getString(2)
                + ") it would be (README, \"Huge pages\")");
      }
      return on;
    }
  }

  private static String commit() {
    try {
      Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").start();
      String out = new String(git.getInputStream().readAllBytes()).strip();
      return git.waitFor() == 0 && !out.isEmpty() ? out : "unknown";
    } catch (Exception e) {
      return "unknown";
    }
  }
}

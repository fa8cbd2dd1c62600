package org.stamkund.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The figures of one run, as a Markdown table and as {@code bench-report.json}. */
record Report(
    Load.Result receipts,
    Load.Result receiptsCeiling,
    Load.Result lookups,
    Load.Result lookupsCeiling,
    List<Double> bulkImports,
    double bulkServerCpuUsPerContact,
    double bulkPostgresCpuUsPerContact,
    double changesIdsPerSecond,
    double serverRssMiB,
    long contacts,
    int cores,
    String jdk,
    String postgres,
    boolean postgresHugePages,
    WriteBack writeBack,
    String commit) {

  /** The bulk imports' median rate, contacts a second; 0 when none ran. */
  double bulkContactsPerSecond() {
    if (bulkImports.isEmpty()) {
      return 0;
    }
    List<Double> sorted = bulkImports.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  String markdown() {
    return String.join(
        "\n",
        "| scenario | per second | p50 ms | p99 ms | p99.9 ms | ceiling per second | ratio | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        row("receipts", receipts, receiptsCeiling.perSecond()),
        row("key lookups", lookups, lookupsCeiling.perSecond()),
        ceilingRow("receipts, plain JDBC (the ceiling)", receiptsCeiling),
        ceilingRow("key lookups, plain JDBC (the ceiling)", lookupsCeiling),
        String.format(
            Locale.ROOT,
            "| bulk import | %,.0f contacts (median of %s) | | | | | | |",
            bulkContactsPerSecond(),
            String.join(
                " / ",
                bulkImports.stream()
                    .map(rate -> String.format(Locale.ROOT, "%,.0f", rate))
                    .toList())),
        String.format(Locale.ROOT, "| changes feed | %,.0f ids | | | | | | |", changesIdsPerSecond),
        String.format(
            Locale.ROOT, "| server memory | %,.0f MiB resident | | | | | | |", serverRssMiB),
        "",
        String.format(
            Locale.ROOT,
            "CPU per receipt: server %.2f ms, PostgreSQL %.2f ms, load generator %.2f ms (plain"
                + " JDBC: PostgreSQL %.2f ms, load generator %.2f ms); write-ahead log per receipt:"
                + " %.1f KiB (plain JDBC: %.1f KiB).",
            receipts.serverCpuMsPerCall(),
            receipts.postgresCpuMsPerCall(),
            receipts.loadCpuMsPerCall(),
            receiptsCeiling.postgresCpuMsPerCall(),
            receiptsCeiling.loadCpuMsPerCall(),
            receipts.walKbPerCall(),
            receiptsCeiling.walKbPerCall()),
        String.format(
            Locale.ROOT,
            "Waiting for a core, ready to run: per receipt server %.2f ms, PostgreSQL %.2f ms; per"
                + " lookup server %.3f ms, PostgreSQL %.3f ms.",
            receipts.serverWaitMsPerCall(),
            receipts.postgresWaitMsPerCall(),
            lookups.serverWaitMsPerCall(),
            lookups.postgresWaitMsPerCall()),
        String.format(
            Locale.ROOT,
            "Receipt lanes: %,.0f batches, %.1f receipts a batch, %.1f ms a batch to its commit,"
                + " %.1f ms a receipt waiting for its batch to start, %,.0f applied one by one.",
            receipts.lanes().batches(),
            receipts.lanes().receiptsPerBatch(),
            receipts.lanes().msPerBatch(),
            receipts.lanes().msWaitedPerReceipt(),
            receipts.lanes().oneByOne()),
        String.format(
            Locale.ROOT,
            "CPU per lookup: server %.3f ms, PostgreSQL %.3f ms, load generator %.3f ms (plain"
                + " JDBC: PostgreSQL %.3f ms, load generator %.3f ms).",
            lookups.serverCpuMsPerCall(),
            lookups.postgresCpuMsPerCall(),
            lookups.loadCpuMsPerCall(),
            lookupsCeiling.postgresCpuMsPerCall(),
            lookupsCeiling.loadCpuMsPerCall()),
        String.format(
            Locale.ROOT,
            "CPU per imported contact: server %.0f µs, PostgreSQL %.0f µs.",
            bulkServerCpuUsPerContact,
            bulkPostgresCpuUsPerContact),
        String.format(
            Locale.ROOT,
            "Warm-up, uncounted (at least --warm-up, then until the server's JIT compilers were"
                + " quiet, at most --warm-up-max): lookups %.0f s, receipts %.0f s.",
            lookups.warmUpSeconds(),
            receipts.warmUpSeconds()),
        "",
        String.format(
            Locale.ROOT,
            "%,d members; %d cores; JDK %s; %s, shared memory in huge pages: %s; dirty pages"
                + " written back from %s; commit %s",
            contacts,
            cores,
            jdk,
            postgres,
            postgresHugePages ? "yes" : "no",
            writeBack.from(),
            commit));
  }

  private static String row(String name, Load.Result r, double ceiling) {
    return String.format(
        Locale.ROOT,
        "| %s | %,.0f | %.2f | %.2f | %.2f | %,.0f | %.2f | %d |",
        name,
        r.perSecond(),
        r.p50Ms(),
        r.p99Ms(),
        r.p999Ms(),
        ceiling,
        ratio(r, ceiling),
        r.errors());
  }

  /** A ceiling's own throughput and latency, at the same concurrency as the engine's scenario. */
  private static String ceilingRow(String name, Load.Result r) {
    return String.format(
        Locale.ROOT,
        "| %s | %,.0f | %.2f | %.2f | %.2f | | | %d |",
        name,
        r.perSecond(),
        r.p50Ms(),
        r.p99Ms(),
        r.p999Ms(),
        r.errors());
  }

  private static double ratio(Load.Result r, double ceiling) {
    return ceiling == 0 ? 0 : r.perSecond() / ceiling;
  }

  String json() {
    return String.format(
        Locale.ROOT,
        """
        {"receipts": %s,
         "receiptLanes": {"batches": %.0f, "receiptsPerBatch": %.2f, "msPerBatch": %.2f,
                          "msWaitedPerReceipt": %.2f, "batchesAppliedOneByOne": %.0f},
         "lookups": %s,
         "receiptsCeiling": %s,
         "lookupsCeiling": %s,
         "bulkImport": {"contactsPerSecond": %.1f, "imports": [%s],
                        "serverCpuUsPerContact": %.1f, "postgresCpuUsPerContact": %.1f},
         "changesFeed": {"idsPerSecond": %.1f},
         "memory": {"serverRssMiB": %.1f},
         "contacts": %d, "cores": %d, "jdk": "%s", "postgres": "%s", "postgresHugePages": %b,
         "dirtyWriteBackFrom": "%s", "commit": "%s"}
        """,
        scenario(receipts, receiptsCeiling.perSecond()),
        receipts.lanes().batches(),
        receipts.lanes().receiptsPerBatch(),
        receipts.lanes().msPerBatch(),
        receipts.lanes().msWaitedPerReceipt(),
        receipts.lanes().oneByOne(),
        scenario(lookups, lookupsCeiling.perSecond()),
        scenario(receiptsCeiling, 0),
        scenario(lookupsCeiling, 0),
        bulkContactsPerSecond(),
        String.join(
            ", ",
            bulkImports.stream().map(rate -> String.format(Locale.ROOT, "%.1f", rate)).toList()),
        bulkServerCpuUsPerContact,
        bulkPostgresCpuUsPerContact,
        changesIdsPerSecond,
        serverRssMiB,
        contacts,
        cores,
        jdk,
        postgres,
        postgresHugePages,
        writeBack.from(),
        commit);
  }

  private static String scenario(Load.Result r, double ceiling) {
    return String.format(
        Locale.ROOT,
        "{\"perSecond\": %.1f, \"p50Ms\": %.3f, \"p99Ms\": %.3f, \"p999Ms\": %.3f,"
            + " \"ceilingPerSecond\": %.1f, \"ratio\": %.3f, \"calls\": %d, \"errors\": %d,"
            + " \"serverCpuMsPerCall\": %.3f, \"postgresCpuMsPerCall\": %.3f,"
            + " \"loadGeneratorCpuMsPerCall\": %.3f, \"walKiBPerCall\": %.2f,"
            + " \"serverWaitMsPerCall\": %.3f, \"postgresWaitMsPerCall\": %.3f,"
            + " \"warmUpSeconds\": %.1f}",
        r.perSecond(),
        r.p50Ms(),
        r.p99Ms(),
        r.p999Ms(),
        ceiling,
        ratio(r, ceiling),
        r.calls(),
        r.errors(),
        r.serverCpuMsPerCall(),
        r.postgresCpuMsPerCall(),
        r.loadCpuMsPerCall(),
        r.walKbPerCall(),
        r.serverWaitMsPerCall(),
        r.postgresWaitMsPerCall(),
        r.warmUpSeconds());
  }

  void write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, json());
  }
}

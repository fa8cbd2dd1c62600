package org.stamkund.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The figures of one run, as a Markdown table and as {@code bench-report.json}. */
record Report(
    Load.Result receipts,
    double receiptsCeiling,
    Load.Result lookups,
    double lookupsCeiling,
    double bulkContactsPerSecond,
    double changesIdsPerSecond,
    double serverRssMiB,
    long contacts,
    int cores,
    String jdk,
    String postgres,
    String commit) {

  String markdown() {
    return String.join(
        "\n",
        "| scenario | per second | p50 ms | p99 ms | p99.9 ms | ceiling per second | ratio | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        row("receipts", receipts, receiptsCeiling),
        row("key lookups", lookups, lookupsCeiling),
        String.format(
            Locale.ROOT, "| bulk import | %,.0f contacts | | | | | | |", bulkContactsPerSecond),
        String.format(Locale.ROOT, "| changes feed | %,.0f ids | | | | | | |", changesIdsPerSecond),
        String.format(
            Locale.ROOT, "| server memory | %,.0f MiB resident | | | | | | |", serverRssMiB),
        "",
        String.format(
            Locale.ROOT,
            "%,d members; %d cores; JDK %s; %s; commit %s",
            contacts,
            cores,
            jdk,
            postgres,
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

  private static double ratio(Load.Result r, double ceiling) {
    return ceiling == 0 ? 0 : r.perSecond() / ceiling;
  }

  String json() {
    return String.format(
        Locale.ROOT,
        """
        {"receipts": %s,
         "lookups": %s,
         "bulkImport": {"contactsPerSecond": %.1f},
         "changesFeed": {"idsPerSecond": %.1f},
         "memory": {"serverRssMiB": %.1f},
         "contacts": %d, "cores": %d, "jdk": "%s", "postgres": "%s", "commit": "%s"}
        """,
        scenario(receipts, receiptsCeiling),
        scenario(lookups, lookupsCeiling),
        bulkContactsPerSecond,
        changesIdsPerSecond,
        serverRssMiB,
        contacts,
        cores,
        jdk,
        postgres,
        commit);
  }

  private static String scenario(Load.Result r, double ceiling) {
    return String.format(
        Locale.ROOT,
        "{\"perSecond\": %.1f, \"p50Ms\": %.3f, \"p99Ms\": %.3f, \"p999Ms\": %.3f,"
            + " \"ceilingPerSecond\": %.1f, \"ratio\": %.3f, \"calls\": %d, \"errors\": %d}",
        r.perSecond(),
        r.p50Ms(),
        r.p99Ms(),
        r.p999Ms(),
        ceiling,
        ratio(r, ceiling),
        r.calls(),
        r.errors());
  }

  void write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, json());
  }
}

package org.stamkund.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The quick benchmark runs end to end in the suite, so the benchmark cannot rot. */
class BenchQuickIntegrationTests {

  @Test
  void quickRunMeasuresEveryScenarioAndWritesTheReport() throws Exception {
    Path report = Path.of("target/bench-quick-report.json");
    Report figures =
        BenchRun.run(
            BenchRun.Options.parse(
                new String[] {
                  "--quick",
                  "--seconds",
                  "3",
                  "--server-jar",
                  "../server/target/stamkund-server.jar",
                  "--report",
                  report.toString()
                }));
    System.out.println(figures.markdown());
    assertThat(figures.receipts().calls()).isPositive();
    assertThat(figures.receipts().errors()).isZero();
    assertThat(figures.lookups().calls()).isPositive();
    assertThat(figures.lookups().errors()).isZero();
    assertThat(figures.receiptsCeiling().perSecond()).isPositive();
    assertThat(figures.receipts().serverCpuMsPerCall()).isPositive();
    assertThat(figures.receipts().postgresCpuMsPerCall()).isPositive();
    assertThat(figures.lookups().loadCpuMsPerCall()).isPositive();
    assertThat(figures.lookupsCeiling().perSecond()).isPositive();
    assertThat(figures.lookupsCeiling().p99Ms()).isPositive();
    assertThat(figures.bulkContactsPerSecond()).isPositive();
    assertThat(figures.changesIdsPerSecond()).isPositive();
    assertThat(figures.serverRssMiB()).isPositive();
    // The measured receipts went through the lanes' batches (give or take a batch at each edge of
    // a window), and the lanes' counters say so.
    assertThat(figures.receipts().lanes().receipts())
        .isCloseTo(
            (double) figures.receipts().calls(),
            org.assertj.core.data.Percentage.withPercentage(10));
    assertThat(figures.receipts().lanes().msPerBatch()).isPositive();
    assertThat(figures.receipts().lanes().msWaitedPerReceipt()).isPositive();
    // 64 clients saturate the machine: the server and PostgreSQL wait for cores.
    assertThat(
            figures.receipts().serverWaitMsPerCall() + figures.receipts().postgresWaitMsPerCall())
        .isPositive();
    assertThat(figures.receiptsCeiling().lanes()).isEqualTo(Lanes.NONE);
    String json = Files.readString(report);
    for (String field :
        new String[] {
          "\"receipts\"",
          "\"lookups\"",
          "\"receiptsCeiling\"",
          "\"receiptLanes\"",
          "\"msWaitedPerReceipt\"",
          "\"postgresWaitMsPerCall\"",
          "\"lookupsCeiling\"",
          "\"ceilingPerSecond\"",
          "\"ratio\"",
          "\"p999Ms\"",
          "\"bulkImport\"",
          "\"contactsPerSecond\"",
          "\"changesFeed\"",
          "\"idsPerSecond\"",
          "\"serverRssMiB\"",
          "\"serverCpuMsPerCall\"",
          "\"cores\"",
          "\"jdk\"",
          "\"postgres\"",
          "\"commit\""
        }) {
      assertThat(json).contains(field);
    }
  }
}

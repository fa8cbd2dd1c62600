package org.stamkund.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTests {

  private static Report withBulkImports(List<Double> rates) {
    return new Report(
        Load.NONE,
        Load.NONE,
        Load.NONE,
        Load.NONE,
        rates,
        10,
        20,
        0,
        0,
        1000,
        2,
        "25",
        "17",
        true,
        new WriteBack(33_554_432, 10),
        "abc");
  }

  @Test
  void theBulkImportIsTheMedianOfItsImports() {
    assertThat(withBulkImports(List.of(61_000.0, 43_000.0, 52_000.0)).bulkContactsPerSecond())
        .isEqualTo(52_000.0);
    assertThat(withBulkImports(List.of(40_000.0, 50_000.0)).bulkContactsPerSecond())
        .isEqualTo(45_000.0);
    assertThat(withBulkImports(List.of()).bulkContactsPerSecond()).isZero();
  }

  @Test
  void theTableAndTheJsonShowEveryImportBesideTheMedian() {
    Report report = withBulkImports(List.of(61_000.0, 43_000.0, 52_000.0));

    assertThat(report.markdown())
        .contains("| bulk import | 52,000 contacts (median of 61,000 / 43,000 / 52,000) |");
    assertThat(report.json().replaceAll("\\s+", " "))
        .contains("\"bulkImport\": {\"contactsPerSecond\": 52000.0,")
        .contains("\"imports\": [61000.0, 43000.0, 52000.0]");
  }

  @Test
  void theReportSaysWhetherPostgresqlHadHugePages() {
    Report report = withBulkImports(List.of());

    assertThat(report.markdown()).contains("; 17, shared memory in huge pages: yes; dirty pages");
    assertThat(report.json().replaceAll("\\s+", " ")).contains("\"postgresHugePages\": true,");
  }

  @Test
  void theReportSaysWhenTheKernelWritesDirtyPagesBack() {
    Report report = withBulkImports(List.of());

    assertThat(report.markdown()).contains("; dirty pages written back from 32 MiB; commit abc");
    assertThat(report.json().replaceAll("\\s+", " "))
        .contains("\"dirtyWriteBackFrom\": \"32 MiB\",");
  }
}

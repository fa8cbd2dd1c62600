package org.stamkund.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** What the server says at start about the embedded PostgreSQL's shared memory. */
class SharedMemoryNoteTests {

  @Test
  void inHugePages() {
    assertThat(EmbeddedDatabaseConfiguration.sharedMemory("on", "145"))
        .isEqualTo("embedded PostgreSQL's shared memory is in huge pages");
  }

  @Test
  void notInHugePagesSaysHowManyToReserve() {
    assertThat(EmbeddedDatabaseConfiguration.sharedMemory("off", "145"))
        .startsWith("embedded PostgreSQL's shared memory is not in huge pages: with 145 of them")
        .contains("vm.nr_hugepages");
  }

  @Test
  void whereTheSystemHasNoneItSaysSo() {
    assertThat(EmbeddedDatabaseConfiguration.sharedMemory("off", "-1"))
        .isEqualTo("embedded PostgreSQL's shared memory is not in huge pages (not supported here)");
  }

  @Test
  void aDatabaseItCannotAskIsANoteNotAFailedStart() {
    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    nowhere.setUrl("jdbc:postgresql://127.0.0.1:1/postgres?connectTimeout=2");

    assertThat(EmbeddedDatabaseConfiguration.sharedMemory(nowhere))
        .startsWith(
            "could not tell whether the embedded PostgreSQL's shared memory is in huge pages: ");
  }
}

package org.stamkund.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Without a datasource the server starts its own PostgreSQL in the data directory, prints one admin
 * key on a fresh database, keeps its data across restarts, and commits durably.
 */
class EmbeddedDatabaseIntegrationTests {

  @TempDir Path dataDir;

  @Test
  void freshServerPrintsOneKeyAndKeepsItsDataAcrossARestart() throws Exception {
    String key;
    String contactId;
    String email = Api.uniqueEmail();
    try (Started first = start()) {
      Matcher printed = Pattern.compile("(stk_[A-Za-z0-9_-]{20,})").matcher(first.output());
      assertThat(printed.find()).as("the server prints a key on first start").isTrue();
      key = printed.group(1);
      Api api = new Api(first.base(), key);
      assertThat(api.get("/actuator/health").json().path("status").asString()).isEqualTo("UP");
      Api.Response created = api.post("/api/v2/contacts", Map.of("email", email));
      assertThat(created.status()).isEqualTo(201);
      contactId = created.json().path("id").asString();
    }
    assertThat(Files.isDirectory(dataDir.resolve("postgres"))).isTrue();

    try (Started second = start()) {
      assertThat(second.output()).doesNotContain("stk_");
      Api api = new Api(second.base(), key);
      Api.Response found = api.get("/api/v2/contacts/" + contactId);
      assertThat(found.status()).isEqualTo(200);
      assertThat(found.json().path("attributes").path("email").asString()).isEqualTo(email);
    }
  }

  @Test
  void commitsReachTheDiskBeforeTheyAreAcknowledgedAndNeverWaitForALogFileToBeZeroFilled() {
    try (Started server = start()) {
      JdbcClient jdbc = server.context().getBean(JdbcClient.class);
      assertThat(jdbc.sql("show fsync").query(String.class).single()).isEqualTo("on");
      assertThat(jdbc.sql("show synchronous_commit").query(String.class).single()).isEqualTo("on");
      assertThat(jdbc.sql("show full_page_writes").query(String.class).single()).isEqualTo("on");
      // A new write-ahead log file is created at its size, not filled with zeros first; used
      // ones are still recycled.
      assertThat(jdbc.sql("show wal_init_zero").query(String.class).single()).isEqualTo("off");
      assertThat(jdbc.sql("show wal_recycle").query(String.class).single()).isEqualTo("on");
    }
  }

  @Test
  void theServerSaysWhetherPostgresqlsSharedMemoryIsInHugePages() {
    try (Started server = start()) {
      JdbcClient jdbc = server.context().getBean(JdbcClient.class);
      String status = jdbc.sql("show huge_pages_status").query(String.class).single();
      String pages = jdbc.sql("show shared_memory_size_in_huge_pages").query(String.class).single();
      assertThat(jdbc.sql("show huge_pages").query(String.class).single()).isEqualTo("try");
      assertThat(server.output())
          .contains(
              status.equals("on")
                  ? "embedded PostgreSQL's shared memory is in huge pages"
                  : "embedded PostgreSQL's shared memory is not in huge pages: with "
                      + pages
                      + " of them reserved (vm.nr_hugepages)");
    }
  }

  @Test
  void backendsHaveThePagesTheyEvictWrittenSoonAndTheServerSaysWhenTheKernelWritesBack()
      throws Exception {
    try (Started server = start()) {
      JdbcClient jdbc = server.context().getBean(JdbcClient.class);
      assertThat(jdbc.sql("show backend_flush_after").query(String.class).single())
          .isEqualTo("256kB");
      Path setting = Path.of("/proc/sys/vm/dirty_background_bytes");
      if (!Files.isReadable(setting)) {
        assertThat(server.output())
            .contains("could not tell when the kernel writes dirty pages back to disk");
        return;
      }
      long bytes;
      try (java.io.InputStream in = Files.newInputStream(setting)) {
        bytes = Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
      }
      assertThat(server.output())
          .contains(
              bytes == 0
                  ? "the kernel lets dirty pages gather up to "
                  : "the kernel writes dirty pages back to disk from " + bytes / 1024 + " KiB on");
    }
  }

  private record Started(ConfigurableApplicationContext context, String base, String output)
      implements AutoCloseable {
    @Override
    public void close() {
      context.close();
    }
  }

  private Started start() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      ConfigurableApplicationContext context =
          new SpringApplicationBuilder(StamkundServer.class)
              .run(
                  "--server.port=0",
                  "--stamkund.data-dir=" + dataDir,
                  "--stamkund.bootstrap-api-key=");
      String port = context.getEnvironment().getProperty("local.server.port");
      return new Started(
          context, "http://localhost:" + port, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }
}

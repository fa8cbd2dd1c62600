package org.stamkund.server.platform;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Without {@code spring.datasource.url}, starts an embedded PostgreSQL 17 whose data lives in
 * {@code <data-dir>/postgres} and survives restarts.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    prefix = "spring.datasource",
    name = "url",
    havingValue = "embedded:never-matches",
    matchIfMissing = true)
class EmbeddedDatabaseConfiguration {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres(StamkundProperties properties) {
    Path directory = properties.dataDir().resolve("postgres").toAbsolutePath();
    try {
      Files.createDirectories(directory);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(directory)
              .setCleanDataDirectory(false)
              .setServerConfig("max_connections", "200")
              .setServerConfig("shared_buffers", "256MB")
              // Durable commits: the embedded PostgreSQL's launcher starts it with fsync off and
              // synchronous_commit off, as suits tests; a receipt acknowledged must survive the
              // machine going down.
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              // Checkpoints further apart: fewer full-page images in the WAL of a write-heavy
              // day (about a fifth less PostgreSQL CPU per receipt in the benchmark), for at most a
              // minute or so more of recovery after a crash.
              .setServerConfig("max_wal_size", "8GB")
              .setServerConfig("checkpoint_timeout", "15min")
              // New write-ahead log files are created, not zero-filled: filling 16 MB and flushing
              // it held up the commit that crossed into the file for about 50 ms, a hundredth of
              // the commits of a busy hour (docs/performance.md, "Nineteenth session").
              .setServerConfig("wal_init_zero", "off")
              // A backend that writes out a page it evicts asks the kernel to write it to disk
              // soon, every 256 kB, so less gathers for the kernel's bursts that the commits'
              // flushes wait behind: at most 390-480 MiB dirty in the benchmark against 700-1,050
              // (docs/performance.md, "Twenty-sixth session").
              .setServerConfig("backend_flush_after", "256kB")
              .start();
      log.info(
          "embedded PostgreSQL started on port {} with data in {}", postgres.getPort(), directory);
      log.info(sharedMemory(postgres.getPostgresDatabase()));
      log.info(writeBack(Path.of("/proc/sys/vm")));
      return postgres;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL in " + directory, e);
    }
  }

  /**
   * Whether PostgreSQL's shared memory is in huge pages, and how many it would take. PostgreSQL
   * uses them when the machine has enough reserved ({@code huge_pages = try}, its default), and a
   * receipt then costs it 12-23% less CPU in the benchmark: fewer misses of the processor's address
   * cache over the shared buffers (docs/performance.md, "Twenty-fifth session").
   */
  static String sharedMemory(DataSource postgres) {
    try (Connection c = postgres.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select current_setting('huge_pages_status'),"
                    + " current_setting('shared_memory_size_in_huge_pages')")) {
      rs.next();
      return sharedMemory(rs.getString(1), rs.getString(2));
    } catch (SQLException e) {
      // A note for the operator; the server starts either way.
      return "could not tell whether the embedded PostgreSQL's shared memory is in huge pages: "
          + e.getMessage();
    }
  }

  static String sharedMemory(String status, String pagesItTakes) {
    if (status.equals("on")) {
      return "embedded PostgreSQL's shared memory is in huge pages";
    }
    if (pagesItTakes.equals("-1")) {
      return "embedded PostgreSQL's shared memory is not in huge pages (not supported here)";
    }
    return "embedded PostgreSQL's shared memory is not in huge pages: with "
        + pagesItTakes
        + " of them reserved (vm.nr_hugepages) it would be, and would cost it less CPU"
        + " (README, \"Huge pages\")";
  }

  /**
   * When the kernel writes the pages PostgreSQL wrote back to disk ({@code vm} is normally {@code
   * /proc/sys/vm}). Left to a share of memory ({@code vm.dirty_background_ratio}, Linux's default),
   * it lets hundreds of MiB gather and writes them in bursts, and every commit's flush of the
   * write-ahead log meanwhile waits: seconds with receipts of 226-375 ms in the benchmark. From 32
   * MiB on ({@code vm.dirty_background_bytes}) it writes them steadily: no such seconds, but a
   * higher p99 in the full runs (docs/performance.md, "Twenty-sixth session"). A trade the operator
   * makes, so the server only says which it is.
   */
  static String writeBack(Path vm) {
    try {
      return writeBack(
          Long.parseLong(firstLine(vm.resolve("dirty_background_bytes"))),
          firstLine(vm.resolve("dirty_background_ratio")));
    } catch (IOException | NumberFormatException e) {
      // Not Linux, or not readable: a note for the operator; the server starts either way.
      return "could not tell when the kernel writes dirty pages back to disk";
    }
  }

  /**
   * A file's first line. Not {@link Files#readString}: a file under {@code /proc} says its size is
   * 0, and that read only its first character ("3" of 33554432).
   */
  private static String firstLine(Path file) throws IOException {
    return Files.readAllLines(file).stream().findFirst().orElse("").strip();
  }

  static String writeBack(long bytes, String ratio) {
    if (bytes > 0) {
      return "the kernel writes dirty pages back to disk from " + bytes / 1024 + " KiB on";
    }
    return "the kernel lets dirty pages gather up to "
        + ratio
        + "% of memory before writing them back, in bursts (vm.dirty_background_bytes: README,"
        + " \"Writing back\")";
  }

  @Bean
  @ConfigurationProperties("spring.datasource.hikari")
  DataSource dataSource(EmbeddedPostgres postgres) {
    HikariDataSource dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
    dataSource.setUsername("postgres");
    dataSource.setPassword("postgres");
    return dataSource;
  }
}

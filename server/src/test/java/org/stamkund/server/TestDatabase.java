package org.stamkund.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One embedded PostgreSQL for the whole test JVM, started on first use. */
public final class TestDatabase {

  private static @org.jspecify.annotations.Nullable EmbeddedPostgres postgres;

  private TestDatabase() {}

  public static synchronized String jdbcUrl() {
    if (postgres == null) {
      try {
        Path dir = Files.createTempDirectory("stamkund-test-pg");
        postgres =
            EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(true)
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", "off")
                .start();
        EmbeddedPostgres started = postgres;
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        started.close();
                      } catch (IOException ignored) {
                        // the JVM is going down anyway
                      }
                    }));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return postgres.getJdbcUrl("postgres", "postgres");
  }
}

package org.stamkund.connector;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Stamkund server for integration tests: {@code server/target/stamkund-server.jar} run as
 * its own process on an embedded PostgreSQL the test owns, so the server can be killed and started
 * again on the same database.
 */
public final class EngineProcess implements AutoCloseable {

  public static final String KEY = "stk_connector_it_key";

  private final EmbeddedPostgres postgres;
  private final Path work;
  private final Path jar;
  private final int port;
  private Process process;
  private int starts;

  private EngineProcess(EmbeddedPostgres postgres, Path work, Path jar, int port) throws Exception {
    this.postgres = postgres;
    this.work = work;
    this.jar = jar;
    this.port = port;
    this.process = launch();
  }

  /**
   * A new directory for a test class's work under {@code target/it-work}, so the server's logs are
   * there to read when a test fails.
   */
  public static Path workDirectory(String prefix) throws IOException {
    return Files.createTempDirectory(Files.createDirectories(Path.of("target", "it-work")), prefix);
  }

  public static EngineProcess start(Path work) throws Exception {
    Path jar =
        Path.of(System.getProperty("stamkund.server.jar", "../server/target/stamkund-server.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "build the server first: " + jar.toAbsolutePath() + " is missing");
    }
    Files.createDirectories(work);
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(work.resolve("postgres"))
            .setCleanDataDirectory(true)
            .setServerConfig("max_connections", "100")
            .start();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return new EngineProcess(postgres, work, jar, port);
  }

  private Process launch() throws Exception {
    starts++;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                jar.toAbsolutePath().toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    work.resolve("server-" + starts + ".log").toFile()));
    Map<String, String> env = builder.environment();
    env.put("SERVER_PORT", Integer.toString(port));
    env.put("SPRING_DATASOURCE_URL", postgres.getJdbcUrl("postgres", "postgres"));
    env.put("SPRING_DATASOURCE_USERNAME", "postgres");
    env.put("SPRING_DATASOURCE_PASSWORD", "postgres");
    env.put("STAMKUND_BOOTSTRAP_API_KEY", KEY);
    env.put("STAMKUND_DATA_DIR", work.resolve("data").toString());
    Files.createDirectories(work.resolve("data"));
    Process p = builder.start();
    awaitHealthy(p);
    return p;
  }

  private void awaitHealthy(Process p) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(150));
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      while (Instant.now().isBefore(deadline)) {
        if (!p.isAlive()) {
          throw new IllegalStateException("the server exited while starting; see " + work);
        }
        try {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(url() + "/actuator/health"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // still starting
        }
        Thread.sleep(250);
      }
    }
    throw new IllegalStateException("the server did not become healthy in 150 s; see " + work);
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Kills the server without warning (SIGKILL), as a crash or a pulled plug would. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Starts the server again on the same port and database. */
  public void restart() throws Exception {
    if (process.isAlive()) {
      kill();
    }
    process = launch();
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    postgres.close();
  }
}

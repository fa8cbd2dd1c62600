package org.stamkund.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The server under test, started from its jar as its own process on a PostgreSQL of ours. */
final class ServerProcess implements AutoCloseable {

  static final String KEY = "stk_bench_key";

  private final Process process;
  private final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * @param heap the server's maximum heap ({@code -Xmx}), as {@code bin/server} sets it
   */
  static ServerProcess start(Path jar, String jdbcUrl, Path workDir, String heap) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx" + heap));
    // More JVM options for the server only, e.g. a profiler agent.
    String extra = System.getenv().getOrDefault("STAMKUND_BENCH_SERVER_JVM_OPTS", "").strip();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("server.log").toFile());
    Map<String, String> env = builder.environment();
    env.put("SERVER_PORT", Integer.toString(port));
    env.put("SPRING_DATASOURCE_URL", jdbcUrl);
    env.put("SPRING_DATASOURCE_USERNAME", "postgres");
    env.put("SPRING_DATASOURCE_PASSWORD", "postgres");
    env.put("STAMKUND_BOOTSTRAP_API_KEY", KEY);
    env.put("STAMKUND_DATA_DIR", workDir.resolve("data").toString());
    Files.createDirectories(workDir.resolve("data"));
    ServerProcess server = new ServerProcess(builder.start(), port);
    server.awaitHealthy();
    return server;
  }

  String base() {
    return "http://localhost:" + port;
  }

  private void awaitHealthy() throws Exception {
    Http http = new Http(base(), KEY);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the server exited while starting; see server.log");
      }
      try {
        http.get("/actuator/health", 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("the server did not become healthy in 120 s");
  }

  long pid() {
    return process.pid();
  }

  /** Resident set size of the server process, in MiB. */
  double residentMiB() throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return -1;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}

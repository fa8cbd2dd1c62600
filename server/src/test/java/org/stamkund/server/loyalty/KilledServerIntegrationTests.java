package org.stamkund.server.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import org.stamkund.server.StamkundServer;
import org.stamkund.server.TestDatabase;

/** Killing the server (SIGKILL) while receipts stream in loses no receipt that was answered 202. */
class KilledServerIntegrationTests {

  @Test
  void noReceiptAnsweredAcceptedIsLostWhenTheServerIsKilled() throws Exception {
    Path logs = Files.createTempDirectory("stamkund-killed");
    Process first = startServer(logs.resolve("first.log"));
    String email = Api.uniqueEmail();
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    AtomicInteger failures = new AtomicInteger();
    try {
      Api api = awaitHealthy(first);
      assertThat(api.post("/api/v2/contacts", Map.of("email", email)).status()).isEqualTo(201);
      AtomicBoolean running = new AtomicBoolean(true);
      ExecutorService writers = Executors.newFixedThreadPool(8);
      String run = email.substring(2, 14);
      AtomicInteger sequence = new AtomicInteger();
      for (int t = 0; t < 8; t++) {
        writers.submit(
            () -> {
              while (running.get()) {
                String id = "kill-" + run + "-" + sequence.incrementAndGet();
                try {
                  if (api.post("/api/v2/receipts", receipt(email, id)).status() == 202) {
                    accepted.add(id);
                  }
                } catch (RuntimeException e) {
                  failures.incrementAndGet();
                  if (!first.isAlive()) {
                    return;
                  }
                }
              }
            });
      }
      Thread.sleep(3_000);
      first.destroyForcibly();
      first.waitFor(30, TimeUnit.SECONDS);
      running.set(false);
      writers.shutdown();
      assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      first.destroyForcibly();
    }
    assertThat(accepted).as("receipts answered 202 before the kill").hasSizeGreaterThan(20);
    System.out.println(
        "KILLED SERVER: "
            + accepted.size()
            + " receipts answered 202, "
            + failures.get()
            + " requests cut off by the kill");

    Process second = startServer(logs.resolve("second.log"));
    try {
      awaitHealthy(second);
      JdbcClient jdbc = JdbcClient.create(new DriverManagerDataSource(TestDatabase.jdbcUrl()));
      List<@org.jspecify.annotations.Nullable String> stored =
          jdbc.sql(
                  "select unique_receipt_id from receipts where status = 'Processed'"
                      + " and unique_receipt_id = any(?)")
              .param(accepted.toArray(String[]::new))
              .query(String.class)
              .list();
      assertThat(stored).containsExactlyInAnyOrderElementsOf(accepted);
      String contactId =
          jdbc.sql("select id::text from contacts where email = ?")
              .param(email)
              .query(String.class)
              .single();
      long total =
          jdbc.sql("select total from point_accounts where contact_id = ?::uuid")
              .param(contactId)
              .query(Long.class)
              .single();
      long ledger =
          jdbc.sql(
                  "select coalesce(sum(amount), 0) from point_movements where contact_id = ?::uuid")
              .param(contactId)
              .query(Long.class)
              .single();
      long earned =
          jdbc.sql("select coalesce(sum(points), 0) from receipts where contact_id = ?::uuid")
              .param(contactId)
              .query(Long.class)
              .single();
      assertThat(total).isEqualTo(ledger);
      long converted =
          jdbc.sql("select coalesce(sum(points), 0) from vouchers where contact_id = ?::uuid")
              .param(contactId)
              .query(Long.class)
              .single();
      assertThat(total).isEqualTo(earned - converted);
    } finally {
      second.destroyForcibly();
      second.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static Map<String, Object> receipt(String email, String id) {
    String created = OffsetDateTime.now(ZoneOffset.ofHours(1)).minusHours(1).withNano(0).toString();
    return Map.of(
        "contact",
        Map.of("matchKey", email, "matchKeyType", "email"),
        "uniqueReceiptId",
        id,
        "receiptNumber",
        id,
        "createdDate",
        created,
        "storeExternalId",
        "kill-test",
        "currency",
        "SEK",
        "totalGrossPrice",
        123,
        "paymentMethods",
        List.of(Map.of("type", "card", "value", 123)),
        "items",
        List.of(
            Map.of(
                "type",
                "PURCHASE",
                "sku",
                "K1",
                "quantity",
                1,
                "grossPaidPrice",
                123,
                "taxAmount",
                24.6,
                "taxPercent",
                25,
                "articleNumber",
                "K1",
                "articleName",
                "Kill test article")));
  }

  private static final Map<Process, Integer> PORTS = new ConcurrentHashMap<>();

  private static Process startServer(Path log) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StamkundServer.class.getName());
    command.add("--server.port=" + port);
    command.add("--spring.datasource.url=" + TestDatabase.jdbcUrl());
    command.add("--spring.datasource.username=postgres");
    command.add("--spring.datasource.password=postgres");
    command.add("--spring.datasource.hikari.maximum-pool-size=10");
    command.add("--stamkund.bootstrap-api-key=" + IntegrationTest.KEY);
    command.add("--stamkund.crypto.keys=1:" + IntegrationTest.AES_KEY);
    command.add("--stamkund.crypto.index-key=" + IntegrationTest.INDEX_KEY);
    command.add("--db-scheduler.enabled=false");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .directory(new File(System.getProperty("java.io.tmpdir")))
            .start();
    PORTS.put(process, port);
    return process;
  }

  private static Api awaitHealthy(Process process) throws InterruptedException {
    Api api = new Api("http://localhost:" + PORTS.get(process), IntegrationTest.KEY);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the server process died while starting");
      }
      try {
        if (api.get("/actuator/health").status() == 200) {
          return api;
        }
      } catch (UncheckedIOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the server did not become healthy");
  }
}

package org.stamkund.server.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Measures, without asserting a time, how fast bulk create imports 100,000 new members: 25 calls of
 * 4,000 from two concurrent clients. Runs only with {@code STAMKUND_MEASURE=true} in the
 * environment, so that {@code verify} stays fast.
 */
@EnabledIfEnvironmentVariable(named = "STAMKUND_MEASURE", matches = "true")
class BulkImportMeasurementIntegrationTests extends IntegrationTest {

  private static final int CALLS = 25;
  private static final int ROWS_PER_CALL = 4_000;
  private static final int CLIENTS = 2;

  @Autowired JdbcClient jdbc;

  @Test
  void importsAHundredThousandContacts() throws Exception {
    String domain = "@m" + UUID.randomUUID().toString().substring(0, 8) + ".example.se";
    List<String> bodies = new ArrayList<>();
    for (int call = 0; call < CALLS; call++) {
      StringBuilder body = new StringBuilder(ROWS_PER_CALL * 120).append('[');
      for (int row = 0; row < ROWS_PER_CALL; row++) {
        int n = call * ROWS_PER_CALL + row;
        body.append(row == 0 ? "" : ",")
            .append("{\"email\":\"member")
            .append(n)
            .append(domain)
            .append("\",\"firstName\":\"Förnamn")
            .append(n)
            .append("\",\"lastName\":\"Efternamn\",\"city\":\"Lund\",\"zipCode\":\"22100\"")
            .append(",\"preferences\":{\"acceptsEmail\":true}}");
      }
      bodies.add(body.append(']').toString());
    }
    AtomicInteger nextCall = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<String> batchIds = new ArrayList<>();
    long started = System.nanoTime();
    try {
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        futures.add(
            clients.submit(
                () -> {
                  List<String> ids = new ArrayList<>();
                  for (int call = nextCall.getAndIncrement();
                      call < CALLS;
                      call = nextCall.getAndIncrement()) {
                    Api.Response r =
                        api.post("/api/v2/contacts/bulk?contactType=Member", bodies.get(call));
                    assertThat(r.status()).as(r.toString()).isEqualTo(200);
                    ids.add(r.json().asString());
                  }
                  return ids;
                }));
      }
      for (Future<List<String>> f : futures) {
        batchIds.addAll(f.get(30, TimeUnit.MINUTES));
      }
    } finally {
      clients.shutdownNow();
    }
    long visible = domainCount(domain);
    while (visible < CALLS * ROWS_PER_CALL && System.nanoTime() - started < minutes(30)) {
      Thread.sleep(100);
      visible = domainCount(domain);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(visible).isEqualTo(CALLS * ROWS_PER_CALL);
    assertThat(batchIds).hasSize(CALLS);
    for (String batchId : batchIds) {
      JsonNode status = api.get("/api/v2/contacts/bulk/status?batchId=" + batchId).json();
      assertThat(status.path("succeeded").asInt()).isEqualTo(ROWS_PER_CALL);
      assertThat(status.path("failed").asInt()).isZero();
    }
    System.out.printf(
        "BULK IMPORT: %d contacts in %d ms = %.0f contacts/s%n",
        visible, millis, visible * 1000.0 / Math.max(1, millis));
  }

  private long domainCount(String domain) {
    return jdbc.sql("select count(*) from contacts where email like ?")
        .param("%" + domain)
        .query(Long.class)
        .single();
  }

  private static long minutes(int n) {
    return TimeUnit.MINUTES.toNanos(n);
  }
}

package org.stamkund.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of full-stack tests: the server on a random port against the shared embedded PostgreSQL,
 * with a known bootstrap key. Tests share the database, so each makes its own unique data.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "stamkund.bootstrap-api-key=" + IntegrationTest.KEY,
      "stamkund.crypto.keys=1:" + IntegrationTest.AES_KEY,
      "stamkund.crypto.index-key=" + IntegrationTest.INDEX_KEY,
      "spring.datasource.hikari.maximum-pool-size=16",
      // Webhook retries in seconds, not hours, so delivery tests run fast.
      "stamkund.webhooks.poll-interval=50ms",
      "stamkund.webhooks.backoff-base=200ms",
      "stamkund.webhooks.backoff-cap=1s",
      "stamkund.webhooks.connect-timeout=1s",
      "stamkund.webhooks.request-timeout=2s",
      "stamkund.webhooks.lease-margin=1s"
    })
public abstract class IntegrationTest {

  public static final String KEY = "stk_test_bootstrap_key";
  public static final String AES_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
  public static final String INDEX_KEY = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";

  @Value("${local.server.port}")
  int port;

  protected Api api;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "postgres");
  }

  @BeforeEach
  void connect() {
    api = new Api("http://localhost:" + port, KEY);
  }

  /** How many requests of a route answered with a status the request timer has counted. */
  protected double timed(String route, int status) {
    Api.Response metrics = api.get("/actuator/prometheus");
    assertThat(metrics.status()).as(metrics.toString()).isEqualTo(200);
    return metrics
        .text()
        .lines()
        .filter(line -> line.startsWith("http_server_requests_seconds_count{"))
        .filter(line -> line.contains("status=\"" + status + "\""))
        .filter(line -> line.contains("uri=\"" + route + "\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}

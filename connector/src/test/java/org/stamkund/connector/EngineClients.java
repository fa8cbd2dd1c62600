package org.stamkund.connector;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Clients, connectors and members as the integration tests make them against an {@link
 * EngineProcess}: short budgets and quick replays, so that a killed server costs seconds.
 */
public final class EngineClients {

  private EngineClients() {}

  /**
   * A client of {@code url} with the test key: 5 s calls of 3 s attempts, and a breaker that opens
   * for 500 ms after 3 failures in a row.
   */
  public static StamkundClient.Builder client(String url) {
    return StamkundClient.builder()
        .baseUrl(url)
        .apiKey(EngineProcess.KEY)
        .callBudget(Duration.ofSeconds(5))
        .requestTimeout(Duration.ofSeconds(3))
        .circuitBreaker(new CircuitBreaker.Config(3, Duration.ofMillis(500), 1));
  }

  /** A connector in {@code dir} that replays every 200 ms, backing off from 100 ms to 1 s. */
  public static StamkundConnector.Builder connector(StamkundClient client, Path dir) {
    return StamkundConnector.builder()
        .client(client)
        .directory(dir)
        .replayInterval(Duration.ofMillis(200))
        .replayBackoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2));
  }

  /** Creates a member with {@code email}; returns its contact id. */
  public static String member(StamkundClient client, String email) {
    return client
        .createContact(
            Json.object().put("contactType", "Member").put("email", email).put("firstName", "T"),
            "IT",
            null)
        .id();
  }
}

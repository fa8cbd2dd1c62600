package org.stamkund.connector.oms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.stamkund.connector.Contact;
import org.stamkund.connector.MutableClock;
import org.stamkund.connector.StamkundClient;
import org.stamkund.connector.StubEngine;
import org.stamkund.connector.TestData;

class ContactChangesPollerTests {

  @Test
  void pollsAtMostOncePerIntervalAndSplitsChangedFromDeleted() throws Exception {
    MutableClock clock = new MutableClock();
    try (StubEngine engine = new StubEngine();
        StamkundClient client =
            StamkundClient.builder().baseUrl(engine.url()).apiKey("k").build()) {
      engine.on(
          "GET /api/v2/contacts/changes/feed",
          200,
          "{\"changes\":["
              + "{\"cursor\":\"5.1\",\"contactId\":\"c-1\",\"changeType\":\"Created\",\"changedAt\":\"x\"},"
              + "{\"cursor\":\"5.2\",\"contactId\":\"c-2\",\"changeType\":\"Deleted\",\"changedAt\":\"x\"},"
              + "{\"cursor\":\"5.3\",\"contactId\":\"c-1\",\"changeType\":\"Updated\",\"changedAt\":\"x\"}"
              + "],\"next\":\"5.3\",\"hasMore\":false}");
      engine.on("GET /api/v2/contacts/c-1", 200, TestData.contactJson("c-1", "Member", "a", "b"));
      ContactChangesPoller poller =
          new ContactChangesPoller(client, Duration.ofMinutes(1), clock, 100);
      ContactChangesPoller.Batch batch = poller.poll("5.0").orElseThrow();
      assertThat(batch.changed()).extracting(Contact::id).containsExactly("c-1");
      assertThat(batch.deleted()).containsExactly("c-2");
      assertThat(batch.cursor()).isEqualTo("5.3");
      assertThat(engine.seen("GET", "/api/v2/contacts/c-1")).hasSize(1);
      clock.advance(Duration.ofSeconds(59));
      assertThat(poller.poll(batch.cursor())).isEmpty();
      clock.advance(Duration.ofSeconds(1));
      assertThat(poller.poll(batch.cursor())).isPresent();
    }
  }

  @Test
  void anIntervalBelowOneMinuteIsRefused() {
    assertThatThrownBy(
            () ->
                new ContactChangesPoller(
                    StamkundClient.builder().baseUrl("http://x").apiKey("k").build(),
                    Duration.ofSeconds(30),
                    new MutableClock(),
                    100))
        .hasMessageContaining("one minute");
  }
}

package org.stamkund.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTests {

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();

  private Outbox open() {
    return Outbox.open(dir.resolve("outbox.db"), Duration.ofDays(14), clock);
  }

  private static ApiRequest receipt(String id) {
    return StamkundClient.receiptRequest(TestData.receipt(id));
  }

  @Test
  void anEntrySurvivesClosingWithoutReplayAndReopening() {
    ApiRequest first = receipt("r-1");
    try (Outbox outbox = open()) {
      outbox.enqueue(Outbox.RECEIPTS, first, "r-1", false, 0);
      outbox.enqueue(Outbox.RECEIPTS, receipt("r-2"), "r-2", false, 0);
    }
    try (Outbox outbox = open()) {
      List<OutboxEntry> pending = outbox.pending(Outbox.RECEIPTS, 10);
      assertThat(pending).extracting(OutboxEntry::correlationId).containsExactly("r-1", "r-2");
      assertThat(pending.getFirst().request()).isEqualTo(first);
      assertThat(pending.getFirst().request().body()).contains("\"uniqueReceiptId\":\"r-1\"");
    }
  }

  @Test
  void queuesAreFifoPerKindAndIndependent() {
    try (Outbox outbox = open()) {
      outbox.enqueue(Outbox.RECEIPTS, receipt("r-1"), "r-1", false, 0);
      outbox.enqueue(Outbox.CONTACTS, receipt("c-1"), "c-1", true, 0);
      outbox.enqueue(Outbox.RECEIPTS, receipt("r-2"), "r-2", false, 0);
      assertThat(java.util.Objects.requireNonNull(outbox.head(Outbox.RECEIPTS)).correlationId())
          .isEqualTo("r-1");
      assertThat(java.util.Objects.requireNonNull(outbox.head(Outbox.CONTACTS)).correlationId())
          .isEqualTo("c-1");
      assertThat(outbox.pendingKinds()).containsExactly(Outbox.CONTACTS, Outbox.RECEIPTS);
    }
  }

  @Test
  void aDeliveredEntryIsDeletedWithItsPersonalData() throws Exception {
    try (Outbox outbox = open()) {
      long id = outbox.enqueue(Outbox.CONTACTS, receipt("c-1"), "c-1", true, 0);
      outbox.delivered(id);
      assertThat(outbox.rows()).isZero();
      OutboxStatus status = outbox.status();
      assertThat(status.depth()).isZero();
      assertThat(status.deliveredTotal()).isEqualTo(1);
      assertThat(status.lastSuccess()).isEqualTo(clock.instant());
      outbox.purgeExpired();
      assertThat(java.nio.file.Files.size(dir.resolve("outbox.db-wal")))
          .as("the log no longer holds the delivered entry's pages")
          .isZero();
    }
  }

  @Test
  void aDeadPersonalEntryLosesItsBodyButStaysForTheManualFix() {
    try (Outbox outbox = open()) {
      long id = outbox.enqueue(Outbox.CONTACTS, receipt("c-1"), "c-1", true, 0);
      outbox.dead(id, "contacts.create: answered 422");
      assertThat(outbox.status().dead()).isEqualTo(1);
      assertThat(outbox.dead(10).getFirst().request().body()).isNull();
      assertThat(outbox.status().lastError()).isEqualTo("contacts.create: answered 422");
    }
  }

  @Test
  void entriesOlderThanTheRetentionArePurgedWhateverTheirState() {
    try (Outbox outbox = open()) {
      outbox.enqueue(Outbox.RECEIPTS, receipt("r-old"), "r-old", false, 0);
      long dead = outbox.enqueue(Outbox.RECEIPTS, receipt("r-dead"), "r-dead", false, 0);
      outbox.dead(dead, "refused");
      clock.advance(Duration.ofDays(10));
      outbox.enqueue(Outbox.RECEIPTS, receipt("r-new"), "r-new", false, 0);
      clock.advance(Duration.ofDays(5));
      assertThat(outbox.purgeExpired()).isEqualTo(2);
      assertThat(outbox.pending(Outbox.RECEIPTS, 10))
          .extracting(OutboxEntry::correlationId)
          .containsExactly("r-new");
      assertThat(outbox.status().expiredTotal()).isEqualTo(1);
      assertThat(outbox.rows()).isEqualTo(1);
    }
  }

  @Test
  void statusReportsDepthOldestAgeAndLastError() {
    try (Outbox outbox = open()) {
      long first = outbox.enqueue(Outbox.RECEIPTS, receipt("r-1"), null, false, 0);
      clock.advance(Duration.ofMinutes(3));
      outbox.enqueue(Outbox.RECEIPTS, receipt("r-2"), null, false, 0);
      outbox.enqueue(Outbox.CONTACTS, receipt("c-1"), null, true, 0);
      outbox.failed(first, "receipts.create: circuit breaker open", Duration.ofSeconds(1));
      OutboxStatus status = outbox.status();
      assertThat(status.depth()).isEqualTo(3);
      assertThat(status.depthByKind()).containsEntry(Outbox.RECEIPTS, 2L);
      assertThat(status.oldestAge()).isEqualTo(Duration.ofMinutes(3));
      assertThat(status.lastError()).contains("circuit breaker open");
      assertThat(status.lastErrorAt()).isEqualTo(clock.instant());
      assertThat(outbox.headIsDue(Outbox.RECEIPTS)).isFalse();
      clock.advance(Duration.ofSeconds(1));
      assertThat(outbox.headIsDue(Outbox.RECEIPTS)).isTrue();
    }
  }

  @Test
  void theReplayerDeliversInOrderAndAFailingHeadHoldsItsQueue() throws Exception {
    try (StubEngine engine = new StubEngine();
        Outbox outbox = open()) {
      List<String> arrived = new ArrayList<>();
      engine.on(
          "POST /api/v2/receipts",
          s -> {
            String id = Json.parse(s.body()).path("uniqueReceiptId").asString();
            if (id.equals("r-2") && !arrived.contains("fail-once")) {
              arrived.add("fail-once");
              return StubEngine.Answer.json(503, "");
            }
            arrived.add(id);
            return StubEngine.Answer.json(202, "");
          });
      for (String id : List.of("r-1", "r-2", "r-3")) {
        outbox.enqueue(Outbox.RECEIPTS, receipt(id), id, false, 0);
      }
      StamkundClient client =
          StamkundClient.builder().baseUrl(engine.url()).apiKey("k").maxAttempts(1).build();
      OutboxReplayer replayer =
          new OutboxReplayer(
              outbox,
              client,
              OutboxListener.NONE,
              new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1),
              100);
      assertThat(replayer.replayOnce()).isEqualTo(1);
      assertThat(arrived).containsExactly("r-1", "fail-once");
      assertThat(replayer.replayOnce()).as("the head waits for its backoff").isZero();
      clock.advance(Duration.ofSeconds(2));
      assertThat(replayer.replayOnce()).isEqualTo(2);
      assertThat(arrived).containsExactly("r-1", "fail-once", "r-2", "r-3");
      assertThat(outbox.status().depth()).isZero();
      client.close();
    }
  }

  @Test
  void aRefusedEntryIsGivenUpAndTheQueueMovesOn() throws Exception {
    try (StubEngine engine = new StubEngine();
        Outbox outbox = open()) {
      engine.on(
          "POST /api/v2/receipts",
          s ->
              s.body().contains("r-bad")
                  ? StubEngine.Answer.json(422, "{\"errorCode\":\"UnknownCurrency\"}")
                  : StubEngine.Answer.json(202, ""));
      outbox.enqueue(Outbox.RECEIPTS, receipt("r-bad"), "r-bad", false, 0);
      outbox.enqueue(Outbox.RECEIPTS, receipt("r-ok"), "r-ok", false, 0);
      List<String> dead = new ArrayList<>();
      OutboxListener listener =
          new OutboxListener() {
            @Override
            public void dead(OutboxEntry entry, StamkundException lastError) {
              dead.add(entry.correlationId() + ":" + lastError.errorCode());
            }
          };
      try (StamkundClient client =
          StamkundClient.builder().baseUrl(engine.url()).apiKey("k").build()) {
        new OutboxReplayer(outbox, client, listener, Backoff.DEFAULT, 10).replayOnce();
      }
      assertThat(dead).containsExactly("r-bad:UnknownCurrency");
      assertThat(outbox.status().depth()).isZero();
      assertThat(outbox.status().dead()).isEqualTo(1);
    }
  }
}

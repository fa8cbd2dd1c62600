package org.stamkund.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StamkundClientTests {

  private final StubEngine engine;

  StamkundClientTests() throws Exception {
    engine = new StubEngine();
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  private StamkundClient.Builder client() {
    return StamkundClient.builder()
        .baseUrl(engine.url())
        .apiKey("k-1")
        .backoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(20), 2));
  }

  @Test
  void retriesA503AndReturnsTheAnswerThatFollows() {
    AtomicInteger calls = new AtomicInteger();
    engine.on(
        "GET /api/v2/contacts/",
        s ->
            calls.incrementAndGet() < 3
                ? StubEngine.Answer.json(503, "")
                : StubEngine.Answer.json(200, "{\"id\":\"c-1\",\"attributes\":{}}"));
    try (StamkundClient c = client().build()) {
      assertThat(c.contact("c-1")).map(Contact::id).contains("c-1");
    }
    assertThat(calls).hasValue(3);
  }

  @Test
  void aRefusalIsNotRetriedAndCarriesStatusAndErrorCode() {
    engine.on(
        "POST /api/v2/receipts",
        422,
        "{\"statusCode\":422,\"errorCode\":\"InvalidDate\",\"message\":\"x\"}");
    try (StamkundClient c = client().build()) {
      assertThatThrownBy(() -> c.sendReceipt(TestData.receipt("r-1")))
          .isInstanceOfSatisfying(
              StamkundException.class,
              e -> {
                assertThat(e.status()).isEqualTo(422);
                assertThat(e.errorCode()).isEqualTo("InvalidDate");
                assertThat(e.isRetryable()).isFalse();
              });
    }
    assertThat(engine.seen("POST", "/api/v2/receipts")).hasSize(1);
  }

  @Test
  void honoursRetryAfterOnA429() {
    AtomicInteger calls = new AtomicInteger();
    engine.on(
        "POST /api/v2/receipts",
        s ->
            calls.incrementAndGet() == 1
                ? StubEngine.Answer.json(429, "").withHeader("Retry-After", "1")
                : StubEngine.Answer.json(202, ""));
    try (StamkundClient c = client().callBudget(Duration.ofSeconds(5)).build()) {
      long started = System.nanoTime();
      c.sendReceipt(TestData.receipt("r-1"));
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }
    assertThat(calls).hasValue(2);
  }

  @Test
  void aRetryAfterBeyondTheBudgetEndsTheCallAtOnce() {
    engine.on(
        "POST /api/v2/receipts",
        s -> StubEngine.Answer.json(429, "").withHeader("Retry-After", "30"));
    try (StamkundClient c = client().build()) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> c.onPurchasePath().sendReceipt(TestData.receipt("r-1")))
          .isInstanceOf(EngineUnavailableException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }
    assertThat(engine.seen("POST", "/api/v2/receipts")).hasSize(1);
  }

  @Test
  void aSlowEngineCostsThePurchasePathNoMoreThanItsBudget() {
    engine.on("POST /api/v2/receipts", s -> StubEngine.Answer.json(202, "").delayed(3000));
    try (StamkundClient c = client().purchaseBudget(Duration.ofMillis(300)).build()) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> c.onPurchasePath().sendReceipt(TestData.receipt("r-1")))
          .isInstanceOf(EngineUnavailableException.class);
      // generous tolerance: the budget is 300 ms
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
    }
  }

  @Test
  void anOpenBreakerRefusesCallsWithoutTouchingTheNetwork() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (StamkundClient c =
        StamkundClient.builder()
            .baseUrl("http://127.0.0.1:" + port)
            .apiKey("k")
            .maxAttempts(1)
            .circuitBreaker(new CircuitBreaker.Config(2, Duration.ofMinutes(1), 1))
            .build()) {
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> c.contact("x")).isInstanceOf(EngineUnavailableException.class);
      }
      assertThat(c.circuitBreaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
      long started = System.nanoTime();
      assertThatThrownBy(() -> c.contact("x")).hasMessageContaining("circuit breaker open");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(50));
    }
  }

  @Test
  void sendsTheApiKeyAndTheCreateHeaders() {
    engine.on("POST /api/v2/contacts", 201, "{\"id\":\"c-9\",\"attributes\":{}}");
    try (StamkundClient c = client().build()) {
      Contact created =
          c.createContact(Json.object().put("email", "a@example.com"), "Walley", "S-1");
      assertThat(created.id()).isEqualTo("c-9");
    }
    StubEngine.Seen s = engine.seen("POST", "/api/v2/contacts").getFirst();
    assertThat(s.header("apikey")).isEqualTo("k-1");
    assertThat(s.header("source")).isEqualTo("Walley");
    assertThat(s.header("storeExternalId")).isEqualTo("S-1");
    assertThat(s.body()).contains("a@example.com");
  }

  @Test
  void lookupsEncodeTheirValuesAndA404IsEmpty() {
    engine.on("GET /api/v2/contacts/id", 404, "{\"errorCode\":\"ContactNotFound\"}");
    try (StamkundClient c = client().build()) {
      assertThat(c.contactId(ContactKey.MOBILE_PHONE, "+46701234567", "Member")).isEmpty();
    }
    assertThat(engine.seen().getFirst().target())
        .isEqualTo("/api/v2/contacts/id?contactType=Member&mobilePhone=%2B46701234567");
  }

  @Test
  void retryAfterReadsSecondsAndDates() {
    assertThat(StamkundClient.retryAfter("3")).isEqualTo(Duration.ofSeconds(3));
    assertThat(StamkundClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(StamkundClient.retryAfter("soon")).isNull();
    assertThat(StamkundClient.retryAfter(null)).isNull();
  }

  @Test
  void theBuilderRefusesBadValues() {
    assertThatThrownBy(() -> StamkundClient.builder().apiKey("k").build())
        .hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> StamkundClient.builder().baseUrl("http://x").build())
        .hasMessageContaining("apiKey");
    assertThatThrownBy(
            () ->
                StamkundClient.builder()
                    .baseUrl("http://x")
                    .apiKey("k")
                    .purchaseBudget(Duration.ZERO)
                    .build())
        .hasMessageContaining("purchaseBudget");
    assertThatThrownBy(() -> StamkundClient.builder().baseUrl("ftp://x").apiKey("k").build())
        .hasMessageContaining("http");
  }
}

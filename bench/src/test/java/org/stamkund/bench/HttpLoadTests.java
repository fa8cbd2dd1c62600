package org.stamkund.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HttpLoadTests {

  @Test
  void anAnswerIsCompleteOnlyWithItsWholeBody() {
    byte[] answer =
        "HTTP/1.1 200 \r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"a\":\"bcd\"}"
            .getBytes(StandardCharsets.US_ASCII);

    assertCompleteOnlyWhole(answer, new HttpLoad.Answer(200, false));
  }

  @Test
  void aChunkedAnswerIsCompleteOnlyAfterItsLastChunk() {
    byte[] answer =
        ("HTTP/1.1 404 \r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5\r\nhello\r\n1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    assertCompleteOnlyWhole(answer, new HttpLoad.Answer(404, true));
  }

  @Test
  void anEmptyAnswerIsCompleteAtTheEndOfItsHead() {
    byte[] answer = "HTTP/1.1 202 \r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    assertCompleteOnlyWhole(answer, new HttpLoad.Answer(202, false));
  }

  /** Every prefix of {@code answer} is incomplete; the whole of it parses as {@code expected}. */
  private static void assertCompleteOnlyWhole(byte[] answer, HttpLoad.Answer expected) {
    for (int length = 0; length < answer.length; length++) {
      assertThat(HttpLoad.parse(answer, length)).as("first %d bytes", length).isNull();
    }
    assertThat(HttpLoad.parse(answer, answer.length)).isEqualTo(expected);
  }

  /**
   * Every call is answered and counted once, a wrong status is a failure, a body arrives whole, and
   * a connection the server closes is opened again.
   */
  @Test
  void clientsCountEachCallOnceAndReconnectWhenTheServerCloses() throws Exception {
    AtomicLong served = new AtomicLong();
    AtomicInteger wrongBodies = new AtomicInteger();
    Set<String> peers = ConcurrentHashMap.newKeySet();
    String body = "{\"receipt\":\"" + "x".repeat(40_000) + "\"}";
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/",
        exchange -> {
          long n = served.incrementAndGet();
          peers.add(exchange.getRemoteAddress().toString());
          String received = new String(exchange.getRequestBody().readAllBytes(), "UTF-8");
          if (!received.equals(body)
              || !"k".equals(exchange.getRequestHeaders().getFirst("apikey"))) {
            wrongBodies.incrementAndGet();
          }
          if (n % 7 == 0) {
            exchange.getResponseHeaders().add("Connection", "close");
          }
          byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          int status = exchange.getRequestURI().getPath().equals("/bad") ? 500 : 202;
          // Some answers chunked (length 0), the others with their length.
          exchange.sendResponseHeaders(status, n % 2 == 0 ? 0 : answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    try {
      AtomicLong calls = new AtomicLong();
      HttpLoad load =
          new HttpLoad(
              "http://127.0.0.1:" + server.getAddress().getPort(),
              "k",
              () ->
                  new HttpLoad.Call(
                      "POST", calls.incrementAndGet() % 10 == 0 ? "/bad" : "/ok", body, 202));
      AtomicLong succeeded = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      AtomicLong timed = new AtomicLong(Long.MAX_VALUE);

      try (Load.Running running =
          load.start(
              8,
              new Load.Calls() {
                @Override
                public void succeeded(long nanos) {
                  succeeded.incrementAndGet();
                  timed.accumulateAndGet(nanos, Math::min);
                }

                @Override
                public void failed() {
                  failed.incrementAndGet();
                }
              })) {
        Thread.sleep(500);
      }

      assertThat(succeeded.get()).isGreaterThan(50);
      assertThat(succeeded.get() + failed.get()).isEqualTo(served.get()).isEqualTo(calls.get());
      assertThat(failed.get()).isEqualTo(calls.get() / 10);
      assertThat(timed.get()).isPositive();
      assertThat(wrongBodies.get()).isZero();
      assertThat(peers.size()).isGreaterThan(8);
    } finally {
      server.stop(0);
    }
  }
}

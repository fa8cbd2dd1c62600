package org.stamkund.server.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.stamkund.server.Api;
import tools.jackson.databind.JsonNode;

/**
 * A real webhook subscriber on a local port that answers 200, fails with 503, hangs, fails a share
 * of requests with 500, or is down (connection refused). It keeps every request it answered 2xx.
 */
final class Subscriber implements AutoCloseable {

  enum Mode {
    OK,
    FAIL,
    HANG
  }

  /** One request answered 2xx. */
  record Received(String id, String timestamp, String signature, String body, JsonNode json) {

    String type() {
      return json.path("type").asString();
    }

    String contactId() {
      return json.path("contactId").asString();
    }
  }

  private final int port;
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger requests = new AtomicInteger();
  volatile Mode mode = Mode.OK;
  volatile double failShare;
  private @Nullable HttpServer server;

  Subscriber() {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts answering (again) on the same port. */
  synchronized Subscriber up() {
    if (server == null) {
      try {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 100);
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.createContext("/", this::handle);
        s.start();
        server = s;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return this;
  }

  /** Stops listening: connections are refused. */
  synchronized void down() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  String url() {
    return "http://127.0.0.1:" + port + "/hook";
  }

  List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** What arrived for one contact, each event once, in the order first received. */
  List<Received> forContact(String contactId) {
    Map<String, Received> byId = new LinkedHashMap<>();
    for (Received r : received()) {
      if (r.contactId().equals(contactId)) {
        byId.putIfAbsent(r.id(), r);
      }
    }
    return List.copyOf(byId.values());
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Mode now = mode;
    if (now == Mode.HANG) {
      try {
        Thread.sleep(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    if (now == Mode.FAIL || ThreadLocalRandom.current().nextDouble() < failShare) {
      exchange.sendResponseHeaders(now == Mode.FAIL ? 503 : 500, -1);
      exchange.close();
      return;
    }
    received.add(
        new Received(
            String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id")),
            String.valueOf(exchange.getRequestHeaders().getFirst("webhook-timestamp")),
            String.valueOf(exchange.getRequestHeaders().getFirst("webhook-signature")),
            body,
            Api.parse(body)));
    exchange.sendResponseHeaders(204, -1);
    exchange.close();
  }

  @Override
  public void close() {
    down();
  }

  /** Waits until the condition holds, failing after the timeout. */
  static void await(Duration timeout, String what, BooleanSupplier condition) {
    Instant end = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}

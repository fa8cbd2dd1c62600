package org.stamkund.connector;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A scripted HTTP engine for unit tests: routes by method and path prefix, records requests. */
public final class StubEngine implements AutoCloseable {

  /** A recorded request. */
  public record Seen(String method, String target, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().getFirst();
        }
      }
      return "";
    }
  }

  /** A scripted answer. */
  public record Answer(int status, String body, Map<String, String> headers, long delayMillis) {
    public static Answer json(int status, String body) {
      return new Answer(status, body, Map.of(), 0);
    }

    public Answer delayed(long millis) {
      return new Answer(status, body, headers, millis);
    }

    public Answer withHeader(String name, String value) {
      Map<String, String> h = new java.util.LinkedHashMap<>(headers);
      h.put(name, value);
      return new Answer(status, body, h, delayMillis);
    }
  }

  private final HttpServer server;
  private final Map<String, Function<Seen, Answer>> routes = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  public StubEngine() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Routes {@code "METHOD /path/prefix"}; the longest matching prefix wins. */
  public StubEngine on(String route, Function<Seen, Answer> answer) {
    routes.put(route, answer);
    return this;
  }

  public StubEngine on(String route, int status, String body) {
    return on(route, s -> Answer.json(status, body));
  }

  public List<Seen> seen() {
    return new ArrayList<>(seen);
  }

  public List<Seen> seen(String method, String pathPrefix) {
    return seen.stream()
        .filter(s -> s.method().equals(method) && s.target().startsWith(pathPrefix))
        .toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String target =
        ex.getRequestURI().getRawPath()
            + (ex.getRequestURI().getRawQuery() == null
                ? ""
                : "?" + ex.getRequestURI().getRawQuery());
    Seen s = new Seen(ex.getRequestMethod(), target, Map.copyOf(ex.getRequestHeaders()), body);
    seen.add(s);
    String key = ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath();
    Function<Seen, Answer> best = null;
    int bestLength = -1;
    for (Map.Entry<String, Function<Seen, Answer>> r : routes.entrySet()) {
      if (key.startsWith(r.getKey()) && r.getKey().length() > bestLength) {
        best = r.getValue();
        bestLength = r.getKey().length();
      }
    }
    Answer a =
        best == null
            ? Answer.json(404, "{\"statusCode\":404,\"errorCode\":\"NotFound\"}")
            : best.apply(s);
    if (a.delayMillis() > 0) {
      try {
        Thread.sleep(a.delayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    try {
      ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    } catch (IOException clientGone) {
      // the client gave up waiting
    } finally {
      ex.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

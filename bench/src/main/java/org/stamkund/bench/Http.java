package org.stamkund.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A lean HTTP/1.1 client for the load: one persistent connection per thread, no pooling layer, so
 * the load generator spends little of the machine's CPU that the server under test also needs. Any
 * answer other than the expected status is an error.
 */
final class Http {

  private final String host;
  private final int port;
  private final String key;
  private final ThreadLocal<Connection> connections = new ThreadLocal<>();

  Http(String base, String key) {
    URI uri = URI.create(base);
    this.host = uri.getHost();
    this.port = uri.getPort();
    this.key = key;
  }

  String get(String path, int expected) throws IOException {
    return exchange("GET", path, null, expected);
  }

  String post(String path, String json, int expected) throws IOException {
    return exchange("POST", path, json, expected);
  }

  private String exchange(String method, String path, @Nullable String body, int expected)
      throws IOException {
    Connection connection = connections.get();
    if (connection != null && !connection.socket.isClosed()) {
      try {
        return exchange(connection, method, path, body, expected);
      } catch (UnexpectedStatus answered) {
        throw answered;
      } catch (IOException stale) {
        // A connection left idle past the server's keep-alive timeout (Tomcat's: a minute, which a
        // long warm-up between two samples of the server's metrics outlasts) is closed at the
        // server's end and fails on its next use. A GET is asked again on a new connection; a POST
        // is not, as the server may have acted on it.
        if (!"GET".equals(method)) {
          throw stale;
        }
      }
    }
    return exchange(open(), method, path, body, expected);
  }

  private Connection open() throws IOException {
    Connection connection = new Connection(new Socket(host, port));
    connections.set(connection);
    return connection;
  }

  private String exchange(
      Connection connection, String method, String path, @Nullable String body, int expected)
      throws IOException {
    try {
      Response response = connection.exchange(method, path, body);
      if (response.close()) {
        // The server ends keep-alive connections now and then (Tomcat: every 100 requests).
        connection.socket.close();
        connections.remove();
      }
      if (response.status != expected) {
        throw new UnexpectedStatus(
            "expected " + expected + ", got " + response.status + ": " + response.body);
      }
      return response.body;
    } catch (IOException e) {
      connection.socket.close();
      connections.remove();
      throw e;
    }
  }

  /** The server answered, with another status than the one expected. */
  static final class UnexpectedStatus extends IOException {
    UnexpectedStatus(String message) {
      super(message);
    }
  }

  /** A request's bytes: its head with the API key, and its JSON body if it has one. */
  static byte[] request(
      String method, String path, @Nullable String body, String host, String key) {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder(256)
            .append(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\nHost: ")
            .append(host)
            .append("\r\napikey: ")
            .append(key)
            .append("\r\n");
    if (body != null) {
      head.append("Content-Type: application/json\r\nContent-Length: ")
          .append(content.length)
          .append("\r\n");
    }
    byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    byte[] request = java.util.Arrays.copyOf(headBytes, headBytes.length + content.length);
    System.arraycopy(content, 0, request, headBytes.length, content.length);
    return request;
  }

  private record Response(int status, String body, boolean close) {}

  private final class Connection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(60_000);
      this.in = new BufferedInputStream(socket.getInputStream(), 65536);
      this.out = socket.getOutputStream();
    }

    Response exchange(String method, String path, @Nullable String body) throws IOException {
      out.write(request(method, path, body, host, key));
      out.flush();
      String status = line();
      int code = Integer.parseInt(status.substring(9, 12));
      int length = -1;
      boolean chunked = false;
      boolean close = false;
      for (String header = line(); !header.isEmpty(); header = line()) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(header.substring(15).strip());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          close = true;
        }
      }
      ByteArrayOutputStream received = new ByteArrayOutputStream(Math.max(length, 256));
      if (chunked) {
        for (int size = Integer.parseInt(line().strip(), 16);
            size > 0;
            size = Integer.parseInt(line().strip(), 16)) {
          received.write(in.readNBytes(size));
          line();
        }
        line();
      } else if (length > 0) {
        received.write(in.readNBytes(length));
      }
      return new Response(code, received.toString(StandardCharsets.UTF_8), close);
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder(64);
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("connection closed");
        }
        if (b != '\r') {
          line.append((char) b);
        }
      }
      return line.toString();
    }
  }
}

package org.stamkund.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * HTTP clients for a scenario of the server: one persistent connection per client, each with one
 * call in flight at a time, all driven by a single thread waiting on a selector, as {@code wrk}
 * drives its connections.
 *
 * <p>A thread per client costs the load generator two context switches a call and puts 64 more
 * runnable threads on a two-core machine that also runs the server and PostgreSQL; a call's time
 * here is from its first byte written to its answer's last byte read, on the one thread.
 */
final class HttpLoad implements Load.Clients {

  /** One call: what to send, and the status that counts as success. */
  record Call(String method, String path, @Nullable String body, int expected) {}

  /** How long stopping waits for the calls in flight to be answered. */
  private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final InetSocketAddress address;
  private final String host;
  private final String key;
  private final Supplier<Call> calls;

  /**
   * @param calls the next call to make; asked on the load's own thread only
   */
  HttpLoad(String base, String key, Supplier<Call> calls) {
    URI uri = URI.create(base);
    this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
    this.host = uri.getHost();
    this.key = key;
    this.calls = calls;
  }

  @Override
  public Load.Running start(int clients, Load.Calls report) throws IOException {
    Selector selector = Selector.open();
    List<Connection> connections = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        connections.add(new Connection(selector));
      }
    } catch (IOException e) {
      for (Connection c : connections) {
        c.close();
      }
      selector.close();
      throw e;
    }
    AtomicBoolean running = new AtomicBoolean(true);
    Thread loop =
        Thread.ofPlatform()
            .name("http-load")
            .start(() -> drive(selector, connections, running, report));
    return () -> {
      running.set(false);
      selector.wakeup();
      loop.join();
    };
  }

  /** Keeps every connection busy until stopped, then waits for the calls in flight. */
  private void drive(
      Selector selector, List<Connection> connections, AtomicBoolean running, Load.Calls report) {
    int inFlight = 0;
    for (Connection c : connections) {
      inFlight += send(c, report) ? 1 : 0;
    }
    long stopping = 0;
    try (selector) {
      while (inFlight > 0) {
        if (!running.get()) {
          if (stopping == 0) {
            stopping = System.nanoTime();
          } else if (System.nanoTime() - stopping > DRAIN_NANOS) {
            break;
          }
        }
        selector.select(100);
        for (SelectionKey ready : selector.selectedKeys()) {
          Connection c = (Connection) ready.attachment();
          try {
            if (ready.isValid() && ready.isWritable()) {
              c.write();
            }
            if (!ready.isValid() || !ready.isReadable()) {
              continue;
            }
            Answer answer = c.read();
            if (answer == null) {
              continue;
            }
            long took = System.nanoTime() - c.started;
            if (answer.status() == c.expected) {
              report.succeeded(took);
            } else {
              report.failed();
            }
            if (answer.close()) {
              c.close();
            }
          } catch (IOException | RuntimeException e) {
            report.failed();
            c.close();
          }
          inFlight--;
          if (running.get()) {
            inFlight += send(c, report) ? 1 : 0;
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      report.failed();
    } finally {
      for (Connection c : connections) {
        c.close();
      }
    }
  }

  /** Sends the next call on a connection; false when it could not be sent. */
  private boolean send(Connection c, Load.Calls report) {
    Call call = calls.get();
    try {
      c.send(Http.request(call.method(), call.path(), call.body(), host, key), call.expected());
      return true;
    } catch (IOException e) {
      report.failed();
      return false;
    }
  }

  /** A complete answer: its status, and whether the server closes the connection after it. */
  record Answer(int status, boolean close) {}

  /**
   * The answer at the start of {@code bytes[0, length)}, or null while it is incomplete. Reads the
   * status, {@code Content-Length}, chunked bodies and {@code Connection: close}.
   */
  static @Nullable Answer parse(byte[] bytes, int length) {
    int headEnd = indexOf(bytes, 0, length, "\r\n\r\n");
    if (headEnd < 0) {
      return null;
    }
    int status = (bytes[9] - '0') * 100 + (bytes[10] - '0') * 10 + (bytes[11] - '0');
    int contentLength = 0;
    boolean chunked = false;
    boolean close = false;
    // Header lines, read in place: this runs for every answer, on the load's only thread.
    for (int line = indexOf(bytes, 0, headEnd + 2, "\r\n") + 2; line < headEnd; ) {
      int end = indexOf(bytes, line, headEnd + 2, "\r\n");
      if (readsAt(bytes, line, "content-length:")) {
        contentLength = 0;
        for (int i = line + "content-length:".length(); i < end; i++) {
          if (bytes[i] >= '0' && bytes[i] <= '9') {
            contentLength = contentLength * 10 + bytes[i] - '0';
          }
        }
      } else if (readsAt(bytes, line, "transfer-encoding:")) {
        chunked = indexOf(bytes, line, end, "chunked") >= 0;
      } else if (readsAt(bytes, line, "connection:")) {
        close = indexOf(bytes, line, end, "close") >= 0;
      }
      line = end + 2;
    }
    int at = headEnd + 4;
    if (!chunked) {
      return length - at >= contentLength ? new Answer(status, close) : null;
    }
    while (true) {
      int sizeEnd = indexOf(bytes, at, length, "\r\n");
      if (sizeEnd < 0) {
        return null;
      }
      String size = new String(bytes, at, sizeEnd - at, StandardCharsets.ISO_8859_1);
      int semicolon = size.indexOf(';');
      int chunk =
          Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
      at = sizeEnd + 2;
      if (chunk == 0) {
        // No trailers are sent here: the last chunk ends with one more line break.
        return length - at >= 2 ? new Answer(status, close) : null;
      }
      at += chunk + 2;
      if (at > length) {
        return null;
      }
    }
  }

  /** Whether the bytes at {@code at} read {@code lower}, a lower-case ASCII text, in any case. */
  private static boolean readsAt(byte[] bytes, int at, String lower) {
    if (at + lower.length() > bytes.length) {
      return false;
    }
    for (int i = 0; i < lower.length(); i++) {
      if (Character.toLowerCase(bytes[at + i]) != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Where {@code lower} first stands in {@code bytes[from, to)}, in any case; -1 if nowhere. */
  private static int indexOf(byte[] bytes, int from, int to, String lower) {
    for (int i = from; i <= to - lower.length(); i++) {
      if (readsAt(bytes, i, lower)) {
        return i;
      }
    }
    return -1;
  }

  /** One client's connection, with its call in flight. */
  private final class Connection {
    private final Selector selector;
    private SocketChannel channel;
    private SelectionKey key;
    private ByteBuffer out = ByteBuffer.allocate(0);
    private ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    private long started;
    private int expected;

    Connection(Selector selector) throws IOException {
      this.selector = selector;
      this.channel = open();
      this.key = channel.register(selector, 0, this);
    }

    private SocketChannel open() throws IOException {
      SocketChannel opened = SocketChannel.open(address);
      opened.setOption(StandardSocketOptions.TCP_NODELAY, true);
      opened.configureBlocking(false);
      return opened;
    }

    void send(byte[] request, int expectedStatus) throws IOException {
      if (!channel.isOpen()) {
        reconnect();
      }
      out = ByteBuffer.wrap(request);
      in.clear();
      expected = expectedStatus;
      started = System.nanoTime();
      write();
    }

    void write() throws IOException {
      channel.write(out);
      key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    /** Reads what has arrived; the answer once it is complete. */
    @Nullable Answer read() throws IOException {
      if (!in.hasRemaining()) {
        in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
      }
      if (channel.read(in) < 0) {
        throw new IOException("the server closed the connection");
      }
      return parse(in.array(), in.position());
    }

    /** Opens a new connection in place of one closed, by the server or after a failure. */
    private void reconnect() throws IOException {
      close();
      channel = open();
      key = channel.register(selector, 0, this);
    }

    void close() {
      try {
        key.cancel();
        channel.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}

package org.stamkund.connector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** A TCP proxy for tests that passes, drops, delays or swallows connections to a target port. */
final class TcpProxy implements AutoCloseable {

  /** What happens to connections. */
  enum Mode {
    /** Forward bytes both ways. */
    PASS,
    /** Refuse new connections and cut live ones (also mid-request). */
    DROP,
    /** Wait {@link #delayMillis} before forwarding a new connection. */
    DELAY,
    /** Accept and never answer: the engine hangs. */
    BLACKHOLE
  }

  private final ServerSocket server;
  private final int targetPort;
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.PASS);
  private final AtomicLong delayMillis = new AtomicLong(200);
  private final Set<Socket> live = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    Thread.ofVirtual().name("proxy-accept").start(this::acceptLoop);
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  void mode(Mode m) {
    mode.set(m);
    if (m == Mode.DROP) {
      for (Socket s : live) {
        closeQuietly(s);
      }
      live.clear();
    }
  }

  void delay(long millis) {
    delayMillis.set(millis);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      Thread.ofVirtual().start(() -> serve(client));
    }
  }

  private void serve(Socket client) {
    Mode m = mode.get();
    if (m == Mode.DROP) {
      closeQuietly(client);
      return;
    }
    live.add(client);
    try {
      if (m == Mode.BLACKHOLE) {
        // Hold the connection without answering until the test changes the mode.
        while (!closed && mode.get() == Mode.BLACKHOLE && !client.isClosed()) {
          Thread.sleep(20);
        }
        closeQuietly(client);
        return;
      }
      if (m == Mode.DELAY) {
        Thread.sleep(delayMillis.get());
      }
      Socket upstream = new Socket("127.0.0.1", targetPort);
      live.add(upstream);
      Thread up = Thread.ofVirtual().start(() -> pump(client, upstream));
      pump(upstream, client);
      up.join();
    } catch (IOException | InterruptedException e) {
      closeQuietly(client);
    }
  }

  private void pump(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        // A swallowing engine also stops answering on connections opened before.
        while (mode.get() == Mode.BLACKHOLE && !closed) {
          Thread.sleep(20);
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // cut: close both ends below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      live.remove(from);
      live.remove(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : live) {
      closeQuietly(s);
    }
  }
}

package org.stamkund.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's own client against a server that ends an idle keep-alive connection at its end
 * without saying so, as Tomcat does after its keep-alive timeout.
 */
class HttpTests {

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstClosed = new CountDownLatch(1);

  /**
   * Answers each connection's first request with {@code status} and the connection's number as the
   * body, keeps the connection open as a keep-alive one would look, and closes it once answered.
   */
  private ServerSocket serve(int status) throws IOException {
    ServerSocket server = new ServerSocket(0);
    Thread.ofPlatform()
        .daemon(true)
        .start(
            () -> {
              for (int n = 1; !server.isClosed(); n++) {
                try (Socket socket = server.accept()) {
                  BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(
                              socket.getInputStream(), StandardCharsets.US_ASCII));
                  String line = in.readLine();
                  requests.add(line);
                  for (String header = line; header != null && !header.isEmpty(); ) {
                    header = in.readLine();
                  }
                  String body = "c" + n;
                  OutputStream out = socket.getOutputStream();
                  out.write(
                      ("HTTP/1.1 "
                              + status
                              + " \r\nContent-Length: "
                              + body.length()
                              + "\r\n\r\n"
                              + body)
                          .getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                } catch (IOException e) {
                  return;
                } finally {
                  firstClosed.countDown();
                }
              }
            });
    return server;
  }

  private static Http client(ServerSocket server) {
    return new Http("http://localhost:" + server.getLocalPort(), "key");
  }

  /** A client whose connection answered one GET and was then closed at the server's end. */
  private Http usedOnceAndEnded(ServerSocket server) throws Exception {
    Http http = client(server);
    assertThat(http.get("/first", 200)).isEqualTo("c1");
    assertThat(firstClosed.await(10, TimeUnit.SECONDS)).isTrue();
    return http;
  }

  @Test
  void aGetOnAConnectionTheServerEndedIsAskedAgainOnANewOne() throws Exception {
    try (ServerSocket server = serve(200)) {
      Http http = usedOnceAndEnded(server);

      assertThat(http.get("/second", 200)).isEqualTo("c2");
      assertThat(requests).containsExactly("GET /first HTTP/1.1", "GET /second HTTP/1.1");
    }
  }

  @Test
  void aPostOnAConnectionTheServerEndedIsNotSentTwice() throws Exception {
    try (ServerSocket server = serve(200)) {
      Http http = usedOnceAndEnded(server);

      assertThatThrownBy(() -> http.post("/receipts", "{}", 200)).isInstanceOf(IOException.class);
      // The next call opens a new connection.
      assertThat(http.get("/third", 200)).isEqualTo("c2");
      assertThat(requests).containsExactly("GET /first HTTP/1.1", "GET /third HTTP/1.1");
    }
  }

  @Test
  void anUnexpectedStatusIsAnErrorAndNotAskedAgain() throws Exception {
    try (ServerSocket server = serve(503)) {
      Http http = client(server);

      assertThatThrownBy(() -> http.get("/busy", 200))
          .isInstanceOf(Http.UnexpectedStatus.class)
          .hasMessageContaining("got 503");
      assertThat(requests).containsExactly("GET /busy HTTP/1.1");
    }
  }
}

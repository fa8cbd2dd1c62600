package org.stamkund.server.loyalty;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.JsonBodies;
import org.stamkund.server.platform.StamkundProperties;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers a receipt posted to {@code POST /api/v2/receipts} without Spring MVC's handler
 * matching, argument resolution and return value handling: a sixth of a receipt's server CPU in the
 * benchmark (docs/performance.md, "Thirteenth session").
 *
 * <p>It answers a receipt registered (202) and a receipt refused with an {@link ApiException}, as
 * {@link ReceiptsController} does (tests compare the two). Everything else goes on to the
 * controller with the same body: a body whose length is not given, that is empty or not JSON, a
 * Content-Type other than JSON in UTF-8, an {@code Accept} header that does not take JSON, and any
 * other failure, which the controller then meets and answers itself. It runs after the API key
 * check, like the controller.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
class ReceiptFilter extends OncePerRequestFilter {

  static final String PATH = "/api/v2/receipts";

  private final ReceiptManagement receipts;
  private final StamkundProperties properties;
  private final JsonMapper json;

  ReceiptFilter(ReceiptManagement receipts, StamkundProperties properties, JsonMapper json) {
    this.receipts = receipts;
    this.properties = properties;
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!handles(request)) {
      chain.doFilter(request, response);
      return;
    }
    // The length is known and within the limit (RequestBodyFilter), so reading it all is safe.
    byte[] bytes = request.getInputStream().readAllBytes();
    HttpServletRequest again = new BodyAgain(request, bytes);
    JsonNode body = parse(bytes);
    if (body == null) {
      chain.doFilter(again, response);
      return;
    }
    // Metrics name the route, as Spring MVC's mapping would have.
    ServerHttpObservationFilter.findObservationContext(request)
        .ifPresent(context -> context.setPathPattern(PATH));
    try {
      receipts.register(ReceiptPayload.parse(body, properties.timeZone()), body);
    } catch (ApiException e) {
      response.setStatus(e.status().value());
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      json.writeValue(response.getOutputStream(), e.envelope());
      return;
    } catch (RuntimeException e) {
      // Nothing was committed (a receipt commits whole or not at all); the controller meets the
      // same failure, or a passing one no longer, and answers as for any request.
      chain.doFilter(again, response);
      return;
    }
    response.setStatus(HttpServletResponse.SC_ACCEPTED);
  }

  /** A receipt the filter can answer: the route, a known length, JSON in UTF-8 both ways. */
  static boolean handles(HttpServletRequest request) {
    return "POST".equals(request.getMethod())
        && PATH.equals(request.getRequestURI())
        && request.getContextPath().isEmpty()
        && request.getContentLengthLong() >= 0
        && jsonInUtf8(request.getContentType())
        && JsonBodies.acceptsJson(request.getHeader(HttpHeaders.ACCEPT));
  }

  /** {@code application/json}, with no parameter but a UTF-8 charset. */
  static boolean jsonInUtf8(@Nullable String contentType) {
    if (contentType == null) {
      return false;
    }
    if (contentType.equals(MediaType.APPLICATION_JSON_VALUE)) {
      return true;
    }
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      return type.equalsTypeAndSubtype(MediaType.APPLICATION_JSON)
          && type.getParameters().keySet().stream().allMatch("charset"::equalsIgnoreCase)
          && (type.getCharset() == null || StandardCharsets.UTF_8.equals(type.getCharset()));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The body as JSON; null when it is empty or not JSON, which the controller answers. */
  private @Nullable JsonNode parse(byte[] bytes) {
    if (bytes.length == 0) {
      return null;
    }
    try {
      JsonNode body = json.readTree(bytes);
      return body == null || body.isMissingNode() ? null : body;
    } catch (JacksonException e) {
      return null;
    }
  }

  /** The request with its body, already read, to read again. */
  private static final class BodyAgain extends HttpServletRequestWrapper {
    private final byte[] body;

    BodyAgain(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("the body is already read");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(
          new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
    }
  }
}

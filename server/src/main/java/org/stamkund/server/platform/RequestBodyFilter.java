package org.stamkund.server.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Treats a body without Content-Type as JSON (Engage's SDKs and some plugins omit it) and refuses
 * bodies above the configured size with 400 {@code PayloadTooLarge}, before anything is parsed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestBodyFilter extends OncePerRequestFilter {

  /** The product data import: XML or CSV, streamed, with its own size limit. */
  static final String IMPORT_PATH = "/admin/articles";

  private final StamkundProperties properties;
  private final JsonMapper json;

  RequestBodyFilter(StamkundProperties properties, JsonMapper json) {
    this.properties = properties;
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String uri = request.getRequestURI();
    long limit =
        uri.equals(IMPORT_PATH)
            ? properties.maxImportBodyBytes()
            : uri.endsWith("/bulk") ? properties.maxBulkBodyBytes() : properties.maxBodyBytes();
    long length = request.getContentLengthLong();
    if (length > limit) {
      tooLarge(response, limit);
      return;
    }
    chain.doFilter(new LimitedRequest(request, limit, treatAsJson(request)), response);
  }

  /**
   * Bodies without a Content-Type, and the form or plain-text ones some Engage clients send with a
   * JSON body, are read as JSON on the API paths.
   */
  private static boolean treatAsJson(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null || type.isBlank()) {
      return true;
    }
    String path = request.getRequestURI();
    if (path.equals(IMPORT_PATH)) {
      return false;
    }
    boolean api = path.startsWith("/api/") || path.startsWith("/admin/");
    String lower = type.toLowerCase(java.util.Locale.ROOT);
    return api
        && (lower.startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE)
            || lower.startsWith(MediaType.TEXT_PLAIN_VALUE));
  }

  private void tooLarge(HttpServletResponse response, long limit) throws IOException {
    response.setStatus(HttpStatus.BAD_REQUEST.value());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    json.writeValue(
        response.getOutputStream(),
        new ErrorEnvelope(
            400,
            "PayloadTooLarge",
            "body: larger than " + limit + " bytes",
            "field: body",
            Map.of("field", "body", "maxBytes", limit)));
  }

  private static String[] concat(String[] earlier, String[] later) {
    String[] both = java.util.Arrays.copyOf(earlier, earlier.length + later.length);
    System.arraycopy(later, 0, both, earlier.length, later.length);
    return both;
  }

  private static final class LimitedRequest extends HttpServletRequestWrapper {
    private final long limit;
    private final boolean defaultJson;
    private @Nullable ServletInputStream stream;

    LimitedRequest(HttpServletRequest request, long limit, boolean defaultJson) {
      super(request);
      this.limit = limit;
      this.defaultJson = defaultJson;
    }

    @Override
    public @Nullable String getContentType() {
      return defaultJson ? MediaType.APPLICATION_JSON_VALUE : super.getContentType();
    }

    @Override
    public @Nullable String getHeader(String name) {
      if (defaultJson && HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
        return MediaType.APPLICATION_JSON_VALUE;
      }
      return super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      if (defaultJson && HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
        return Collections.enumeration(java.util.List.of(MediaType.APPLICATION_JSON_VALUE));
      }
      return super.getHeaders(name);
    }

    // With the body read as JSON, parameters come from the query string only, so that nothing
    // parses the body as a form and consumes it.
    private @Nullable Map<String, String[]> queryParameters;

    private Map<String, String[]> queryParameters() {
      if (queryParameters == null) {
        Map<String, String[]> parameters = new java.util.LinkedHashMap<>();
        String query = getQueryString();
        int start = 0;
        while (query != null && start < query.length()) {
          int end = query.indexOf('&', start);
          end = end < 0 ? query.length() : end;
          if (end > start) {
            int eq = query.indexOf('=', start);
            eq = eq < 0 || eq > end ? end : eq;
            String value = eq < end ? decode(query, eq + 1, end) : "";
            parameters.merge(
                decode(query, start, eq), new String[] {value}, RequestBodyFilter::concat);
          }
          start = end + 1;
        }
        queryParameters = parameters;
      }
      return queryParameters;
    }

    /** Part of the query string, decoded; as it is when it is not valid. */
    private static String decode(String query, int from, int to) {
      String raw = query.substring(from, to);
      if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
        return raw;
      }
      try {
        return java.net.URLDecoder.decode(raw, java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return raw;
      }
    }

    @Override
    public @Nullable String getParameter(String name) {
      if (!defaultJson) {
        return super.getParameter(name);
      }
      String[] values = queryParameters().get(name);
      return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
      return defaultJson ? queryParameters() : super.getParameterMap();
    }

    @Override
    public Enumeration<String> getParameterNames() {
      return defaultJson
          ? Collections.enumeration(queryParameters().keySet())
          : super.getParameterNames();
    }

    @Override
    public String @Nullable [] getParameterValues(String name) {
      return defaultJson ? queryParameters().get(name) : super.getParameterValues(name);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new CountingStream(super.getInputStream(), limit);
      }
      return stream;
    }
  }

  private static final class CountingStream extends ServletInputStream {
    private final ServletInputStream delegate;
    private final long limit;
    private long read;

    CountingStream(ServletInputStream delegate, long limit) {
      this.delegate = delegate;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = delegate.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = delegate.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > limit) {
        throw new ApiException(
            HttpStatus.BAD_REQUEST,
            "PayloadTooLarge",
            "body: larger than " + limit + " bytes",
            Map.of("field", "body", "maxBytes", limit));
      }
    }

    @Override
    public boolean isFinished() {
      return delegate.isFinished();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      delegate.setReadListener(listener);
    }
  }
}

package org.stamkund.server.contacts;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.JsonBodies;
import org.stamkund.server.platform.StamkundProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers the two lookups a till or a storefront login makes for every customer, {@code GET
 * /api/v2/contacts/{contactType}/bykey/{keyValue}} and {@code GET /api/v2/contacts/id}, without
 * Spring MVC's handler matching, argument resolution and content negotiation: a third of a lookup's
 * server CPU in the benchmark (docs/performance.md).
 *
 * <p>It answers a contact found, and a contact not found (404), with what {@link
 * ContactsController} answers (tests compare the two). Everything else goes on to the controller
 * unchanged: another path or method, an {@code Accept} header other than plain JSON, a repeated
 * parameter, an unknown type, several matches, and any other error. It runs after the API key
 * check, like the controller.
 *
 * <p>Lookups by a key column take turns, and are read together with those waiting (see {@link
 * JdbcContacts#findByKey}); one whose turn does not come in time is answered 503.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
class KeyLookupFilter extends OncePerRequestFilter {

  private static final String CONTACTS = "/api/v2/contacts/";
  private static final String BY_KEY = "/api/v2/contacts/{contactType}/bykey/{keyValue}";
  private static final String ID = "/api/v2/contacts/id";
  private static final List<String> IDENTIFIERS =
      List.of("contactType", "email", "mobilePhone", "socialSecurityNumber", "customKey", "any");

  private final ContactLookup lookup;
  private final StamkundProperties properties;
  private final Clock clock;
  private final JsonMapper json;

  KeyLookupFilter(
      ContactLookup lookup, StamkundProperties properties, Clock clock, JsonMapper json) {
    this.lookup = lookup;
    this.properties = properties;
    this.clock = clock;
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Answer answer = answer(request);
    if (answer == null) {
      chain.doFilter(request, response);
      return;
    }
    response.setStatus(answer.status());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    json.writeValue(response.getOutputStream(), answer.body());
  }

  private record Answer(int status, Object body) {}

  /**
   * The route pattern of a request for one of the two lookups, as Spring MVC would match it; null
   * for any other request.
   */
  static @Nullable String route(HttpServletRequest request) {
    String uri = request.getRequestURI();
    if (!"GET".equals(request.getMethod())
        || !uri.startsWith(CONTACTS)
        || uri.indexOf(';') >= 0
        || !request.getContextPath().isEmpty()) {
      return null;
    }
    if (uri.length() == CONTACTS.length() + 2 && uri.endsWith("id")) {
      return ID;
    }
    int slash = uri.indexOf('/', CONTACTS.length());
    int key = slash + "/bykey/".length();
    return slash > CONTACTS.length()
            && uri.startsWith("/bykey/", slash)
            && key < uri.length()
            && uri.indexOf('/', key) < 0
        ? BY_KEY
        : null;
  }

  private @Nullable Answer answer(HttpServletRequest request) {
    String route = route(request);
    if (route == null || !JsonBodies.acceptsJson(request.getHeader(HttpHeaders.ACCEPT))) {
      return null;
    }
    if (route.equals(ID)) {
      ContactLookup.Identifiers identifiers = identifiers(request);
      return identifiers == null
          ? null
          : answer(() -> ContactsController.idBody(lookup.resolve(identifiers)));
    }
    String rest = request.getRequestURI().substring(CONTACTS.length());
    int slash = rest.indexOf('/');
    String type = decode(rest.substring(0, slash));
    String key = decode(rest.substring(slash + "/bykey/".length()));
    return answer(() -> ContactView.of(lookup.byKey(type, key), properties, clock));
  }

  /**
   * A contact found, or not found, or 503 when the lookup's turn to read did not come in time;
   * anything else is left to the controller.
   */
  private @Nullable Answer answer(Supplier<Object> found) {
    try {
      return new Answer(200, found.get());
    } catch (ApiException e) {
      return e.status() == HttpStatus.NOT_FOUND || e.status() == HttpStatus.SERVICE_UNAVAILABLE
          ? new Answer(e.status().value(), e.envelope())
          : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The query's identifiers; null when one is repeated, which the controller answers. */
  private static ContactLookup.@Nullable Identifiers identifiers(HttpServletRequest request) {
    List<@Nullable String> values = new ArrayList<>(IDENTIFIERS.size());
    for (String name : IDENTIFIERS) {
      String[] given = request.getParameterValues(name);
      if (given != null && given.length > 1) {
        return null;
      }
      values.add(given == null ? null : given[0]);
    }
    return new ContactLookup.Identifiers(
        values.get(0), values.get(1), values.get(2), values.get(3), values.get(4), values.get(5));
  }

  private static String decode(String segment) {
    return UriUtils.decode(segment, StandardCharsets.UTF_8);
  }
}

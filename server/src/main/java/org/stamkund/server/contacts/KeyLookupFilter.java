package org.stamkund.server.contacts;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.util.UriUtils;
import org.stamkund.server.platform.StamkundProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers the two lookups a till or a storefront login makes for every customer, {@code GET
 * /api/v2/contacts/{contactType}/bykey/{keyValue}} and {@code GET /api/v2/contacts/id}, without
 * Spring MVC's handler matching, argument resolution and content negotiation: a third of a lookup's
 * server CPU in the benchmark (docs/performance.md).
 *
 * <p>It answers only when a contact is found, with the body {@link ContactsController} sends (a
 * test compares the two). Everything else goes on to the controller unchanged: another path or
 * method, an {@code Accept} header that is not JSON, an unknown type, no match or several, and any
 * error. It runs after the API key check, like the controller.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
class KeyLookupFilter extends OncePerRequestFilter {

  private static final String CONTACTS = "/api/v2/contacts/";
  private static final String BY_KEY = "/api/v2/contacts/{contactType}/bykey/{keyValue}";
  private static final String ID = "/api/v2/contacts/id";

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
    ServerHttpObservationFilter.findObservationContext(request)
        .ifPresent(context -> context.setPathPattern(answer.pattern()));
    response.setStatus(200);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    json.writeValue(response.getOutputStream(), answer.body());
  }

  private record Answer(String pattern, Object body) {}

  private @Nullable Answer answer(HttpServletRequest request) {
    String uri = request.getRequestURI();
    if (!"GET".equals(request.getMethod())
        || !uri.startsWith(CONTACTS)
        || uri.indexOf(';') >= 0
        || !request.getContextPath().isEmpty()
        || !acceptsJson(request.getHeader(HttpHeaders.ACCEPT))) {
      return null;
    }
    String rest = uri.substring(CONTACTS.length());
    try {
      if (rest.equals("id")) {
        return new Answer(ID, ContactsController.idBody(lookup.resolve(identifiers(request))));
      }
      int slash = rest.indexOf('/');
      if (slash <= 0 || !rest.startsWith("/bykey/", slash)) {
        return null;
      }
      String key = rest.substring(slash + "/bykey/".length());
      if (key.isEmpty() || key.indexOf('/') >= 0) {
        return null;
      }
      StoredContact contact = lookup.byKey(decode(rest.substring(0, slash)), decode(key));
      return new Answer(BY_KEY, ContactView.of(contact, properties, clock));
    } catch (RuntimeException e) {
      // Not found, not valid, or failed: the controller answers it as it answers any request.
      return null;
    }
  }

  private static ContactLookup.Identifiers identifiers(HttpServletRequest request) {
    return new ContactLookup.Identifiers(
        request.getParameter("contactType"),
        request.getParameter("email"),
        request.getParameter("mobilePhone"),
        request.getParameter("socialSecurityNumber"),
        request.getParameter("customKey"),
        request.getParameter("any"));
  }

  private static String decode(String segment) {
    return UriUtils.decode(segment, StandardCharsets.UTF_8);
  }

  /** No {@code Accept} header, or one that takes JSON: what the controller would answer. */
  static boolean acceptsJson(@Nullable String accept) {
    if (accept == null || accept.isBlank() || accept.equals(MediaType.APPLICATION_JSON_VALUE)) {
      return true;
    }
    try {
      return MediaType.parseMediaTypes(accept).stream()
          .anyMatch(
              type -> type.includes(MediaType.APPLICATION_JSON) && type.getQualityValue() > 0);
    } catch (RuntimeException e) {
      return false;
    }
  }
}

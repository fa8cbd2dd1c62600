package org.stamkund.server.apikeys;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;
import org.stamkund.server.platform.ErrorEnvelope;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lets a request through only with an active key holding the scope its path needs: 401 without a
 * known key, 403 with the wrong scope, both in the error envelope.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class ApiKeyFilter extends OncePerRequestFilter {

  private static final UrlPathHelper PATHS = new UrlPathHelper();

  private final ApiKeyManagement keys;
  private final JsonMapper json;

  ApiKeyFilter(ApiKeyManagement keys, JsonMapper json) {
    this.keys = keys;
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // Deny by default, on the decoded path without ;parameters: the one handlers are matched on.
    String path = PATHS.getPathWithinApplication(request);
    if (Scope.isPublic(path) && !request.getRequestURI().contains(";")) {
      chain.doFilter(request, response);
      return;
    }
    Optional<Scope> required = Scope.requiredFor(path);
    String secret = secretOf(request);
    if (secret == null) {
      reject(response, 401, "Unauthorized", "send an API key in the apikey header");
      return;
    }
    Optional<ApiKeyManagement.Caller> caller = keys.caller(secret);
    if (caller.isEmpty()) {
      reject(response, 401, "Unauthorized", "the API key is unknown or revoked");
      return;
    }
    Set<Scope> scopes = caller.get().scopes();
    if (required.isPresent() && !scopes.contains(required.get())) {
      reject(
          response,
          403,
          "Forbidden",
          "the API key lacks the " + required.get().wireName() + " scope");
      return;
    }
    String binding = caller.get().binding();
    if (binding != null) {
      request.setAttribute(ApiKeyBinding.ATTRIBUTE, binding);
    }
    chain.doFilter(request, response);
  }

  private static @Nullable String secretOf(HttpServletRequest request) {
    String key = request.getHeader("apikey");
    if (key == null || key.isBlank()) {
      key = request.getHeader("x-api-key");
    }
    if (key == null || key.isBlank()) {
      String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
      if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        key = authorization.substring(7);
      }
    }
    return key == null || key.isBlank() ? null : key.strip();
  }

  private void reject(HttpServletResponse response, int status, String code, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    if (status == 401) {
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
    json.writeValue(
        response.getOutputStream(), new ErrorEnvelope(status, code, message, null, Map.of()));
  }
}

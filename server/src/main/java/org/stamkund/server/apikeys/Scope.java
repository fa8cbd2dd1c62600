package org.stamkund.server.apikeys;

import java.util.Locale;
import java.util.Optional;

/** What an API key may call. */
public enum Scope {
  /** All of {@code /api/v2}. */
  ENGAGE,
  /** The storefront GraphQL API. */
  STOREFRONT,
  /** The headless Loyalty API. */
  LOYALTY,
  /** {@code /admin}. */
  ADMIN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Scope> fromWire(String raw) {
    for (Scope s : values()) {
      if (s.name().equalsIgnoreCase(raw.strip())) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /**
   * The scope a request path needs. Decide on the decoded path with {@code ;} parameters removed —
   * the path Spring MVC routes on — never on the raw URI.
   *
   * @return the scope, or empty for a path any valid key may call (the key is still required)
   */
  static Optional<Scope> requiredFor(String path) {
    if (path.startsWith("/api/v1/contact-details")) {
      return Optional.of(LOYALTY);
    }
    if (path.startsWith("/api/")) {
      return Optional.of(ENGAGE);
    }
    if (path.startsWith("/admin/") || path.equals("/admin")) {
      return Optional.of(ADMIN);
    }
    if (path.startsWith("/graphql")) {
      return Optional.of(STOREFRONT);
    }
    return Optional.empty();
  }

  /** Paths anyone may call: health, metrics, the OpenAPI document and Swagger UI. */
  static boolean isPublic(String path) {
    return path.equals("/actuator/health")
        || path.startsWith("/actuator/health/")
        || path.equals("/actuator/info")
        || path.equals("/actuator/prometheus")
        || path.equals("/v3/api-docs")
        || path.startsWith("/v3/api-docs/")
        || path.equals("/swagger-ui.html")
        || path.startsWith("/swagger-ui/");
  }
}

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

  /** The scope a request path needs; empty for public paths (health, OpenAPI). */
  static Optional<Scope> requiredFor(String path) {
    if (path.startsWith("/api/v2/") || path.equals("/api/v2")) {
      return Optional.of(ENGAGE);
    }
    if (path.startsWith("/admin/") || path.equals("/admin")) {
      return Optional.of(ADMIN);
    }
    if (path.startsWith("/graphql")) {
      return Optional.of(STOREFRONT);
    }
    if (path.startsWith("/api/v1/contact-details")) {
      return Optional.of(LOYALTY);
    }
    if (path.startsWith("/api/")) {
      return Optional.of(ENGAGE);
    }
    return Optional.empty();
  }
}

package org.stamkund.server.storefront;

import java.util.Map;

/**
 * A storefront request that cannot be served: a GraphQL error whose {@code extensions.code} is
 * {@link #code()}, as the storefront API names its errors ({@code ExternalCustomerLookupFailed},
 * {@code InvalidCustomerActivateInput}, …).
 */
class StorefrontException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String code;

  @SuppressWarnings("serial")
  private final Map<String, Object> details;

  StorefrontException(String code, String message) {
    this(code, message, Map.of());
  }

  StorefrontException(String code, String message, Map<String, Object> details) {
    super(message, null, false, false);
    this.code = code;
    this.details = Map.copyOf(details);
  }

  String code() {
    return code;
  }

  Map<String, Object> details() {
    return details;
  }
}

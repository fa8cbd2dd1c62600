package org.stamkund.server.apikeys;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * What the calling API key is bound to: a storefront id for storefront keys, a shop id for loyalty
 * keys. The key filter puts it in a request attribute; an unbound key acts for the default one.
 */
public final class ApiKeyBinding {

  /** The request attribute that holds the binding of the request's key, when it has one. */
  public static final String ATTRIBUTE = "org.stamkund.server.apikeys.binding";

  private ApiKeyBinding() {}

  /** The binding of the key that authenticated this request; null when unbound. */
  public static @Nullable String of(HttpServletRequest request) {
    return request.getAttribute(ATTRIBUTE) instanceof String s ? s : null;
  }
}

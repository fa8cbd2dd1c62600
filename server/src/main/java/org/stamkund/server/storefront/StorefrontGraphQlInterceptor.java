package org.stamkund.server.storefront;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.stamkund.server.apikeys.ApiKeyBinding;
import reactor.core.publisher.Mono;

/**
 * Hands the storefront the request's caller: the storefront its API key is bound to and the
 * customer token, from {@code X-Customer-Token} or from {@code Authorization: Bearer} when the API
 * key came in its own header.
 */
@Component
class StorefrontGraphQlInterceptor implements WebGraphQlInterceptor {

  static final String BINDING = "stamkund.storefront.binding";
  static final String CUSTOMER_TOKEN = "stamkund.storefront.customerToken";

  @Override
  public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
    Map<String, Object> values = new HashMap<>();
    Object binding = request.getAttributes().get(ApiKeyBinding.ATTRIBUTE);
    if (binding instanceof String b) {
      values.put(BINDING, b);
    }
    String token = customerToken(request.getHeaders());
    if (token != null) {
      values.put(CUSTOMER_TOKEN, token);
    }
    request.configureExecutionInput((input, builder) -> builder.graphQLContext(values).build());
    return chain.next(request);
  }

  private static @Nullable String customerToken(HttpHeaders headers) {
    String explicit = headers.getFirst("X-Customer-Token");
    if (explicit != null && !explicit.isBlank()) {
      return explicit.strip();
    }
    boolean keyElsewhere =
        nonBlank(headers.getFirst("apikey")) || nonBlank(headers.getFirst("x-api-key"));
    String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
    if (keyElsewhere
        && authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).strip();
      return token.isEmpty() ? null : token;
    }
    return null;
  }

  private static boolean nonBlank(@Nullable String s) {
    return s != null && !s.isBlank();
  }
}

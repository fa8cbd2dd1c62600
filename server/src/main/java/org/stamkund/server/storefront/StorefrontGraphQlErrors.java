package org.stamkund.server.storefront;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.stereotype.Component;
import org.stamkund.server.platform.ApiException;

/**
 * Turns the storefront's exceptions into GraphQL errors with {@code extensions.code} and {@code
 * extensions.codes}, as the storefront API's clients read them. Anything unexpected stays an
 * internal error without details.
 */
@Component
class StorefrontGraphQlErrors extends DataFetcherExceptionResolverAdapter {

  @Override
  protected @Nullable GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
    return switch (ex) {
      case StorefrontException e -> error(env, e.code(), e.getMessage(), e.details());
      case ApiException e -> error(env, e.errorCode(), e.getMessage(), e.details());
      default -> null;
    };
  }

  static GraphQLError error(
      DataFetchingEnvironment env,
      String code,
      @Nullable String message,
      Map<String, Object> details) {
    Map<String, Object> extensions = new LinkedHashMap<>(details);
    extensions.put("code", code);
    extensions.put("codes", List.of(code));
    return GraphqlErrorBuilder.newError(env)
        .errorType(
            code.equals(StorefrontManagement.UNAUTHORIZED)
                ? ErrorType.UNAUTHORIZED
                : code.equals("FullLoginRequired") ? ErrorType.FORBIDDEN : ErrorType.BAD_REQUEST)
        .message(message == null ? code : message)
        .extensions(extensions)
        .build();
  }
}

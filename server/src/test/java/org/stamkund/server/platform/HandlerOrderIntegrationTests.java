package org.stamkund.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.function.support.RouterFunctionMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;

/** Which mapping is asked first for a request's handler, and that both kinds still answer. */
class HandlerOrderIntegrationTests extends IntegrationTest {

  @Autowired DispatcherServlet dispatcher;

  @Autowired
  @org.springframework.beans.factory.annotation.Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping controllers;

  @Autowired RouterFunctionMapping routes;

  @Test
  void controllersAreAskedBeforeTheGraphQlRouteAndBothStillAnswer() {
    Api.Response rest = api.get("/api/v2/contacts/" + java.util.UUID.randomUUID());
    Api.Response graphql =
        api.post(
            "/graphql", Map.of("query", "{ __typename }"), Map.of("Accept", "application/json"));

    assertThat(rest.errorCode()).as(rest.toString()).isEqualTo("ContactNotFound");
    assertThat(graphql.status()).as(graphql.toString()).isEqualTo(200);
    assertThat(graphql.json().path("data").path("__typename").asString()).isEqualTo("Query");
    List<HandlerMapping> mappings =
        java.util.Objects.requireNonNull(dispatcher.getHandlerMappings(), "initialised by now");
    assertThat(mappings).contains(controllers, routes);
    assertThat(mappings.indexOf(routes)).isGreaterThan(mappings.indexOf(controllers));
  }
}

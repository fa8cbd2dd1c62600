package org.stamkund.server.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import org.stamkund.server.platform.JsonBodies;

/**
 * The key lookups answered before Spring MVC: a found contact is answered by the filter itself,
 * with what the controller answers; everything else is left to the controller.
 */
class KeyLookupFilterIntegrationTests extends IntegrationTest {

  @Autowired KeyLookupFilter filter;

  @Test
  void aContactFoundByKeyIsAnsweredByTheFilterWithTheControllersBody() throws Exception {
    String email = Api.uniqueEmail();
    String id = createWithConsent(email);

    Filtered byPath = filter("/api/v2/contacts/Member/bykey/" + encode(email), Map.of(), null);

    assertThat(byPath.passedOn()).isFalse();
    assertThat(byPath.response().getStatus()).isEqualTo(200);
    assertThat(byPath.response().getContentType()).isEqualTo("application/json");
    // The key in the query goes through Spring MVC: the same contact, byte for byte.
    Api.Response viaController = api.get("/api/v2/contacts/Member/bykey?keyValue=" + encode(email));
    assertThat(viaController.status()).as(viaController.toString()).isEqualTo(200);
    assertThat(viaController.headers().get("content-type")).containsExactly("application/json");
    assertThat(byPath.response().getContentAsString()).isEqualTo(viaController.text());
    assertThat(viaController.json().path("id").asString()).isEqualTo(id);
    assertThat(viaController.json().path("consents").size()).isEqualTo(1);

    Api.Response overHttp = api.get("/api/v2/contacts/Member/bykey/" + encode(email));
    assertThat(overHttp.text()).isEqualTo(viaController.text());
  }

  @Test
  void lookupsAreTimedOnceEachUnderTheirRoutesPatternAndStatus() throws Exception {
    String email = Api.uniqueEmail();
    String id = createWithConsent(email);
    String byKey = "/api/v2/contacts/{contactType}/bykey/{keyValue}";
    double found = timed(byKey, 200);
    double notFound = timed(byKey, 404);
    double unauthorized = timed(byKey, 401);
    double passedOn = timed("/api/v2/contacts/id", 400);
    double byId = timed("/api/v2/contacts/{contactId}", 200);

    assertThat(api.get("/api/v2/contacts/Member/bykey/" + encode(email)).status()).isEqualTo(200);
    assertThat(api.get("/api/v2/contacts/Member/bykey/" + encode(Api.uniqueEmail())).status())
        .isEqualTo(404);
    assertThat(api.withKey(null).get("/api/v2/contacts/Member/bykey/x").status()).isEqualTo(401);
    assertThat(api.get("/api/v2/contacts/id").status()).as("left to the controller").isEqualTo(400);
    assertThat(api.get("/api/v2/contacts/" + id).status()).isEqualTo(200);

    assertThat(timed(byKey, 200)).isEqualTo(found + 1);
    assertThat(timed(byKey, 404)).isEqualTo(notFound + 1);
    assertThat(timed(byKey, 401)).isEqualTo(unauthorized + 1);
    assertThat(timed("/api/v2/contacts/id", 400)).isEqualTo(passedOn + 1);
    // Other routes are timed by Spring's observation, with the same tags: Prometheus keeps both.
    assertThat(timed("/api/v2/contacts/{contactId}", 200)).isEqualTo(byId + 1);
    Api.Response metrics = api.get("/actuator/prometheus");
    assertThat(metrics.text())
        .containsPattern(
            "http_server_requests_seconds_count\\{error=\"none\",exception=\"none\","
                + "method=\"GET\",outcome=\"SUCCESS\",status=\"200\","
                + "uri=\"/api/v2/contacts/\\{contactType}/bykey/\\{keyValue}\"}")
        // Timers only: no in-flight gauge started and stopped around every request.
        .doesNotContain("http_server_requests_active");
  }

  @Test
  void anIdResolvedByEmailIsAnsweredByTheFilterAsABareString() throws Exception {
    String email = Api.uniqueEmail();
    String id = createWithConsent(email);

    Filtered resolved = filter("/api/v2/contacts/id", Map.of("email", email), "application/json");

    assertThat(resolved.passedOn()).isFalse();
    assertThat(resolved.response().getContentAsString()).isEqualTo("\"" + id + "\"");
    assertThat(api.get("/api/v2/contacts/id?email=" + encode(email)).text())
        .isEqualTo("\"" + id + "\"");
  }

  @Test
  void aContactNotFoundIsAnsweredByTheFilterWithTheControllers404() throws Exception {
    String stranger = Api.uniqueEmail();

    Filtered byPath = filter("/api/v2/contacts/Member/bykey/" + encode(stranger), Map.of(), null);
    Filtered byId = filter("/api/v2/contacts/id", Map.of("email", stranger), null);

    assertThat(byPath.passedOn()).isFalse();
    assertThat(byPath.response().getStatus()).isEqualTo(404);
    Api.Response viaController =
        api.get("/api/v2/contacts/Member/bykey?keyValue=" + encode(stranger));
    assertThat(viaController.status()).as(viaController.toString()).isEqualTo(404);
    assertThat(viaController.errorCode()).isEqualTo("ContactNotFound");
    assertThat(viaController.headers().get("content-type")).containsExactly("application/json");
    assertThat(byPath.response().getContentAsString()).isEqualTo(viaController.text());
    assertThat(byId.passedOn()).isFalse();
    assertThat(byId.response().getStatus()).isEqualTo(404);
    assertThat(Api.parse(byId.response().getContentAsString()).path("errorCode").asString())
        .isEqualTo("ContactNotFound");
  }

  @Test
  void whatItDoesNotServeGoesOnToTheController() throws Exception {
    String email = Api.uniqueEmail();
    createWithConsent(email);
    String known = "/api/v2/contacts/Member/bykey/" + encode(email);
    MockHttpServletRequest post = new MockHttpServletRequest("POST", known);
    AtomicBoolean postPassedOn = new AtomicBoolean();
    filter.doFilter(post, new MockHttpServletResponse(), (req, res) -> postPassedOn.set(true));
    assertThat(postPassedOn).isTrue();

    assertThat(filter(known + "/", Map.of(), null).passedOn()).isTrue();
    assertThat(filter(known, Map.of(), "application/xml").passedOn()).isTrue();
    assertThat(filter(known, Map.of(), "application/json;charset=ISO-8859-1").passedOn()).isTrue();
    assertThat(filter("/api/v2/contacts/id", Map.of(), null).passedOn()).as("no query").isTrue();
    assertThat(filter("/api/v2/contacts/count", Map.of(), null).passedOn()).isTrue();
    MockHttpServletRequest repeated = new MockHttpServletRequest("GET", "/api/v2/contacts/id");
    repeated.addParameter("email", email, Api.uniqueEmail());
    AtomicBoolean repeatedPassedOn = new AtomicBoolean();
    filter.doFilter(
        repeated, new MockHttpServletResponse(), (req, res) -> repeatedPassedOn.set(true));
    assertThat(repeatedPassedOn).as("a repeated parameter").isTrue();

    // The controller then answers as always.
    Api.Response noQuery = api.get("/api/v2/contacts/id");
    assertThat(noQuery.status()).as(noQuery.toString()).isEqualTo(400);
    assertThat(noQuery.errorCode()).isEqualTo("InvalidSearchQuery");
    Api.Response twice =
        api.get(
            "/api/v2/contacts/id?email=" + encode(email) + "&email=" + encode(Api.uniqueEmail()));
    assertThat(twice.status()).as(twice.toString()).isEqualTo(400);
  }

  @Test
  void onlyJsonAcceptingRequestsAreServed() {
    assertThat(JsonBodies.acceptsJson(null)).isTrue();
    assertThat(JsonBodies.acceptsJson("*/*")).isTrue();
    assertThat(JsonBodies.acceptsJson("application/*;q=0.5, text/html")).isTrue();
    assertThat(JsonBodies.acceptsJson("text/html")).isFalse();
    assertThat(JsonBodies.acceptsJson("application/json;q=0")).isFalse();
    assertThat(JsonBodies.acceptsJson("not a type")).isFalse();
    assertThat(JsonBodies.acceptsJson("application/json;charset=UTF-8"))
        .as("a charset is left to the controller's negotiation")
        .isFalse();
  }

  private record Filtered(boolean passedOn, MockHttpServletResponse response) {}

  private Filtered filter(String uri, Map<String, String> query, @Nullable String accept)
      throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
    query.forEach(request::addParameter);
    if (accept != null) {
      request.addHeader("Accept", accept);
    }
    MockHttpServletResponse response = new MockHttpServletResponse();
    AtomicBoolean passedOn = new AtomicBoolean();
    filter.doFilter(request, response, (req, res) -> passedOn.set(true));
    return new Filtered(passedOn.get(), response);
  }

  private String createWithConsent(String email) {
    String consentId = "consent-" + ContactTestData.suffix();
    Api.Response defined =
        api.put(
            "/admin/consents/" + consentId,
            Map.of("name", "Nyhetsbrev", "metaData", Map.of("displayText", Map.of("sv-SE", "Ja"))));
    assertThat(defined.status()).as(defined.toString()).isEqualTo(201);
    Api.Response created =
        api.post(
            "/api/v2/contacts",
            Map.of(
                "email",
                email,
                "firstName",
                "Ylva",
                "city",
                "Umeå",
                "birthDay",
                "1990-04-01",
                "consents",
                List.of(Map.of("id", consentId, "value", true, "source", "POS"))));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().path("id").asString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}

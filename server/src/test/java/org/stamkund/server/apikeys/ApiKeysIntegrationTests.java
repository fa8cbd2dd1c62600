package org.stamkund.server.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;

class ApiKeysIntegrationTests extends IntegrationTest {

  @Autowired JdbcClient jdbc;

  @Test
  void createdKeyIsShownOnceAndWorksWithItsScopeOnly() {
    Api.Response created =
        api.post("/admin/api-keys", Map.of("name", "pos", "scopes", List.of("engage")));
    assertThat(created.status()).isEqualTo(201);
    String secret = created.json().path("key").asString();
    String id = created.json().path("id").asString();
    assertThat(secret).startsWith("stk_");

    Api pos = api.withKey(secret);
    assertThat(pos.get("/api/v2/contacts/count").status()).isEqualTo(200);
    Api.Response forbidden = pos.get("/admin/api-keys");
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.errorCode()).isEqualTo("Forbidden");
    assertThat(forbidden.json().path("statusCode").asInt()).isEqualTo(403);

    Api.Response listed = api.get("/admin/api-keys");
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.text()).contains(id).doesNotContain(secret);
  }

  @Test
  void secretIsStoredOnlyAsAHash() {
    String secret =
        api.post("/admin/api-keys", Map.of("name", "hash-check", "scopes", List.of("engage")))
            .json()
            .path("key")
            .asString();
    long plain =
        jdbc.sql(
                "select count(*) from api_keys where key_prefix = ? and encode(key_hash, 'escape') like ?")
            .params(secret.substring(0, 8), "%" + secret + "%")
            .query(Long.class)
            .single();
    assertThat(plain).isZero();
    assertThat(
            jdbc.sql("select count(*) from api_keys where name = 'hash-check'")
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void revokedKeyIsRefusedAtOnce() {
    Api.Response created =
        api.post("/admin/api-keys", Map.of("name", "temp", "scopes", List.of("engage")));
    Api temp = api.withKey(created.json().path("key").asString());
    assertThat(temp.get("/api/v2/contacts/count").status()).isEqualTo(200);

    assertThat(api.delete("/admin/api-keys/" + created.json().path("id").asString()).status())
        .isEqualTo(204);

    Api.Response refused = temp.get("/api/v2/contacts/count");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.errorCode()).isEqualTo("Unauthorized");
  }

  @Test
  void missingOrUnknownKeyIs401InTheEnvelope() {
    Api.Response missing = api.withKey(null).get("/api/v2/contacts/count");
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.errorCode()).isEqualTo("Unauthorized");
    Api.Response unknown = api.withKey("stk_nope").get("/api/v2/contacts/count");
    assertThat(unknown.status()).isEqualTo(401);
  }

  @Test
  void keyIsAcceptedFromXApiKeyAndBearerHeadersToo() {
    Api noKey = api.withKey(null);
    assertThat(noKey.send("GET", "/api/v2/contacts/count", null, Map.of("x-api-key", KEY)).status())
        .isEqualTo(200);
    assertThat(
            noKey
                .send(
                    "GET", "/api/v2/contacts/count", null, Map.of("Authorization", "Bearer " + KEY))
                .status())
        .isEqualTo(200);
  }

  @Test
  void healthAndOpenApiNeedNoKey() {
    Api noKey = api.withKey(null);
    assertThat(noKey.get("/actuator/health").json().path("status").asString()).isEqualTo("UP");
    Api.Response docs = noKey.get("/v3/api-docs");
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.json().path("paths").has("/api/v2/contacts")).isTrue();
    assertThat(docs.json().path("paths").has("/admin/api-keys")).isTrue();
  }

  @Test
  void badKeyRequestsNameTheField() {
    Api.Response noScopes = api.post("/admin/api-keys", Map.of("name", "x", "scopes", List.of()));
    assertThat(noScopes.status()).isEqualTo(400);
    assertThat(noScopes.json().path("messageDetails").path("field").asString()).isEqualTo("scopes");
    Api.Response badScope =
        api.post("/admin/api-keys", Map.of("name", "x", "scopes", List.of("engage", "root")));
    assertThat(badScope.status()).isEqualTo(400);
    assertThat(badScope.errorCode()).isEqualTo("InvalidScope");
    assertThat(badScope.json().path("messageDetails").path("field").asString())
        .isEqualTo("scopes[1]");
    Api.Response noName = api.post("/admin/api-keys", Map.of("scopes", List.of("engage")));
    assertThat(noName.status()).isEqualTo(400);
    assertThat(noName.errorCode()).isEqualTo("InvalidName");
    assertThat(api.delete("/admin/api-keys/not-a-uuid").status()).isEqualTo(400);
    assertThat(api.delete("/admin/api-keys/" + java.util.UUID.randomUUID()).status())
        .isEqualTo(404);
  }

  /** Regression: a path encoded past a raw-URI prefix check reached admin without a key. */
  @Test
  void encodedOrParameterisedPathsStillNeedAKey() {
    Api noKey = api.withKey(null);
    for (String path :
        List.of(
            "/%61dmin/api-keys",
            "/admin;x/api-keys",
            "/%61pi/v2/contacts/count",
            "/api;/v2/contacts/count",
            "/actuator/health/../../admin/api-keys")) {
      assertThat(noKey.get(path).status()).as(path).isIn(401, 400, 404);
      assertThat(noKey.get(path).status()).as(path).isNotEqualTo(200);
    }
    Api.Response created =
        noKey.post("/%61dmin/api-keys", Map.of("name", "sneaky", "scopes", List.of("admin")));
    assertThat(created.status()).isEqualTo(401);
    Api engageOnly =
        api.withKey(
            api.post("/admin/api-keys", Map.of("name", "engage-only", "scopes", List.of("engage")))
                .json()
                .path("key")
                .asString());
    assertThat(engageOnly.get("/%61dmin/api-keys").status()).isEqualTo(403);
  }

  @Test
  void unknownPathsNeedAKeyToo() {
    assertThat(api.withKey(null).get("/no/such/path").status()).isEqualTo(401);
    assertThat(api.get("/no/such/path").status()).isEqualTo(404);
  }
}

package org.stamkund.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The OpenAPI document lists every endpoint, with the error envelope on every operation. */
class OpenApiIntegrationTests extends IntegrationTest {

  @Test
  void documentListsEveryContactEndpointWithItsSchemas() {
    JsonNode docs = api.withKey(null).get("/v3/api-docs").json();
    JsonNode paths = docs.path("paths");
    for (String path :
        List.of(
            "/api/v2/contacts",
            "/api/v2/contacts/{contactId}",
            "/api/v2/contacts/id",
            "/api/v2/contacts/count",
            "/api/v2/contacts/{contactType}/count",
            "/api/v2/contacts/{contactType}/bykey",
            "/api/v2/contacts/{contactType}/bykey/{keyValue}",
            "/api/v2/contacts/{contactType}/byexternalid/{externalId}",
            "/api/v2/contacts/{contactId}/promoteToMember",
            "/api/v2/contacts/{contactId}/updateContactType",
            "/api/v2/contacts/{contactId}/preferences/acceptsEmail",
            "/api/v2/contacts/{contactId}/preferences/acceptsSms",
            "/api/v2/contacts/{contactId}/preferences/acceptsPostal",
            "/api/v2/contacts/{contactId}/unsubscribeEmail",
            "/api/v2/contacts/{contactId}/unsubscribeSms",
            "/api/v2/contacts/changes",
            "/api/v2/contacts/changes/feed",
            "/api/v2/contacts/bulk",
            "/api/v2/contacts/bulk/status",
            "/api/v2/consents",
            "/api/v2/contactoverview",
            "/api/v2/personlookup/getpersonlookup",
            "/admin/api-keys",
            "/admin/api-keys/{id}",
            "/admin/contact-types",
            "/admin/contact-types/{id}",
            "/admin/consents",
            "/admin/consents/{id}")) {
      assertThat(paths.has(path)).as(path).isTrue();
    }
    JsonNode schemas = docs.path("components").path("schemas");
    assertThat(schemas.has("ErrorEnvelope")).isTrue();
    assertThat(schemas.has("ContactPayload")).isTrue();
    assertThat(schemas.has("Contact")).isTrue();
    assertThat(
            paths
                .path("/api/v2/contacts")
                .path("post")
                .path("requestBody")
                .path("content")
                .path("application/json")
                .path("schema")
                .path("$ref")
                .asString())
        .endsWith("ContactPayload");
    assertThat(paths.path("/api/v2/contacts/{contactId}").path("get").path("responses").has("4XX"))
        .isTrue();
  }
}

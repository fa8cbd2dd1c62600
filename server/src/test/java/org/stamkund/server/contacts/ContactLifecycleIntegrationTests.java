package org.stamkund.server.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.JsonNode;

class ContactLifecycleIntegrationTests extends IntegrationTest {

  @Test
  void contactIsCreatedFoundUpdatedPromotedAndDeleted() {
    String email = Api.uniqueEmail();
    Api.Response created =
        api.post(
            "/api/v2/contacts",
            Map.of("contactType", "contact", "email", email.toUpperCase(), "firstName", "Eva"),
            Map.of("source", "Walley", "storeExternalId", "600"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode contact = created.json();
    String id = contact.path("id").asString();
    assertThat(contact.path("attributes").path("email").asString()).isEqualTo(email);
    assertThat(contact.path("attributes").path("createdInStore").asString()).isEqualTo("600");
    assertThat(contact.path("meta").path("source").asString()).isEqualTo("Walley");
    assertThat(contact.path("meta").path("contactType").asString()).isEqualTo("Contact");
    assertThat(contact.path("attributes").path("memberNumber").isNull()).isTrue();

    assertThat(api.get("/api/v2/contacts/" + id).json().path("id").asString()).isEqualTo(id);
    assertThat(api.get("/api/v2/contacts/id?email=" + email).json().asString()).isEqualTo(id);
    assertThat(api.get("/api/v2/contacts/Contact/bykey/" + email).json().path("id").asString())
        .isEqualTo(id);

    Api.Response updated =
        api.post("/api/v2/contacts/" + id, Map.of("lastName", "Nilsson", "firstName", ""));
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().path("attributes").path("lastName").asString()).isEqualTo("Nilsson");
    assertThat(updated.json().path("attributes").path("firstName").isNull()).isTrue();

    Api.Response promoted =
        api.post("/api/v2/contacts/" + id + "/promoteToMember", Map.of("firstName", "Eva"));
    assertThat(promoted.status()).isEqualTo(200);
    assertThat(promoted.json().path("meta").path("contactType").asString()).isEqualTo("Member");
    assertThat(promoted.json().path("attributes").path("memberNumber").asString()).matches("\\d+");

    assertThat(api.delete("/api/v2/contacts/" + id).status()).isEqualTo(200);
    Api.Response gone = api.get("/api/v2/contacts/" + id);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.errorCode()).isEqualTo("ContactNotFound");
  }

  @Test
  void secondContactWithTheSameKeyIsAConflict() {
    String email = Api.uniqueEmail();
    String first =
        api.post("/api/v2/contacts", Map.of("email", email)).json().path("id").asString();
    Api.Response second = api.post("/api/v2/contacts", Map.of("email", " " + email.toUpperCase()));
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.errorCode()).isEqualTo("ApprovedContactWithKeyExists");
    assertThat(second.json().path("messageDetails").path("contactId").asString()).isEqualTo(first);
  }
}

package org.stamkund.server.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.JsonNode;

/** Consent definitions and contact types: their admin endpoints and how contacts obey them. */
class ConsentsAndContactTypesIntegrationTests extends IntegrationTest {

  private static final String CONTACTS = "/api/v2/contacts";
  private static final String TYPES = "/admin/contact-types";

  @Autowired JdbcClient jdbc;

  // --- consents ---

  @Test
  void consentDefinitionIsCreatedThenReplacedAndListed() {
    String id = "newsletter-" + ContactTestData.suffix();

    Api.Response created = api.put("/admin/consents/" + id, consent("Nyhetsbrev", "Ja tack"));
    Api.Response replaced = api.put("/admin/consents/" + id, consent("Newsletter", "Gärna"));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json().path("id").asString()).isEqualTo(id);
    assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
    JsonNode listed = find(api.get("/api/v2/consents").json(), id);
    assertThat(listed.path("name").asString()).isEqualTo("Newsletter");
    assertThat(listed.path("metaData").path("displayText").path("sv-SE").asString())
        .isEqualTo("Gärna");
  }

  @Test
  void consentDefinitionNeedsAValidIdAndAName() {
    Api.Response noName =
        api.put("/admin/consents/c-" + ContactTestData.suffix(), Map.of("metaData", Map.of()));
    Api.Response badId = api.put("/admin/consents/bad*id", consent("Name", "Text"));

    assertThat(noName.status()).as(noName.toString()).isEqualTo(400);
    assertThat(noName.errorCode()).isEqualTo("InvalidName");
    assertThat(field(noName)).isEqualTo("name");
    assertThat(badId.status()).as(badId.toString()).isEqualTo(400);
    assertThat(badId.errorCode()).isEqualTo("InvalidConsentId");
    assertThat(field(badId)).isEqualTo("id");
  }

  @Test
  void consentGivenAtCreationIsShownAndCanBeRevokedByAnUpdate() {
    String consentId = definedConsent();
    String id =
        create(
            Map.of(
                "email",
                Api.uniqueEmail(),
                "consents",
                List.of(Map.of("id", consentId, "value", true, "source", "POS"))));

    JsonNode given = find(api.get(CONTACTS + "/" + id).json().path("consents"), consentId);
    assertThat(given.path("value").asBoolean()).isTrue();
    assertThat(given.path("source").asString()).isEqualTo("POS");
    assertThat(given.path("date").asString()).isNotBlank();

    Api.Response revoked =
        api.post(
            CONTACTS + "/" + id,
            Map.of("consents", List.of(Map.of("id", consentId, "value", false))));

    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    assertThat(find(revoked.json().path("consents"), consentId).path("value").asBoolean())
        .isFalse();
    assertThat(
            find(api.get(CONTACTS + "/" + id).json().path("consents"), consentId)
                .path("value")
                .asBoolean())
        .isFalse();
  }

  @Test
  void consentCannotGoBackToNotSet() {
    String consentId = definedConsent();
    String id =
        create(
            Map.of(
                "email",
                Api.uniqueEmail(),
                "consents",
                List.of(Map.of("id", consentId, "value", true))));

    Api.Response refused =
        api.post(
            CONTACTS + "/" + id,
            "{\"firstName\": \"Changed\", \"consents\": [{\"id\": \""
                + consentId
                + "\", \"value\": null}]}");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo("InvalidConsentValue");
    assertThat(field(refused)).isEqualTo("consents[0].value");
    JsonNode contact = api.get(CONTACTS + "/" + id).json();
    assertThat(find(contact.path("consents"), consentId).path("value").asBoolean()).isTrue();
    assertThat(contact.path("attributes").path("firstName").isNull()).isTrue();
  }

  @Test
  void aFirstConsentGivenLaterIsReadWithTheContactEverAfter() {
    String consentId = definedConsent();
    String email = Api.uniqueEmail();
    String id = create(Map.of("email", email));
    String byKey = CONTACTS + "/Member/bykey/" + email;
    assertThat(api.get(byKey).json().path("consents").isEmpty()).isTrue();

    Api.Response given =
        api.post(
            CONTACTS + "/" + id,
            Map.of("consents", List.of(Map.of("id", consentId, "value", true))));
    Api.Response renamed = api.post(CONTACTS + "/" + id, Map.of("firstName", "Saga"));
    Api.Response optedOut = api.post(CONTACTS + "/" + id + "/unsubscribeEmail", Map.of());

    assertThat(given.status()).as(given.toString()).isEqualTo(200);
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    assertThat(optedOut.status()).as(optedOut.toString()).isEqualTo(200);
    for (String read : List.of(CONTACTS + "/" + id, byKey)) {
      JsonNode contact = api.get(read).json();
      assertThat(contact.path("attributes").path("firstName").asString()).isEqualTo("Saga");
      assertThat(find(contact.path("consents"), consentId).path("value").asBoolean())
          .as(read)
          .isTrue();
    }
  }

  @Test
  void everyConsentIsReadInOrderOfItsIdWhicheverWayTheContactIsFound() {
    String base = "consent-" + ContactTestData.suffix();
    String earlier = base + "-a";
    String later = base + "-b";
    assertThat(api.put("/admin/consents/" + earlier, consent("Earlier", "Ja")).status())
        .isEqualTo(201);
    assertThat(api.put("/admin/consents/" + later, consent("Later", "Ja")).status()).isEqualTo(201);
    String email = Api.uniqueEmail();
    String externalId = "ext-" + ContactTestData.suffix();
    String id =
        create(
            Map.of(
                "email",
                email,
                "externalId",
                externalId,
                "consents",
                List.of(
                    Map.of("id", later, "value", false, "source", "POS", "comment", "at the till"),
                    Map.of("id", earlier, "value", true, "source", "Web"))));

    for (String read :
        List.of(
            CONTACTS + "/" + id,
            CONTACTS + "/Member/bykey/" + email,
            CONTACTS + "/Member/byexternalid/" + externalId)) {
      Api.Response response = api.get(read);
      assertThat(response.status()).as(response.toString()).isEqualTo(200);
      JsonNode consents = response.json().path("consents");
      assertThat(ids(consents)).as(read).containsSubsequence(earlier, later);
      assertThat(find(consents, earlier).path("value").asBoolean()).as(read).isTrue();
      assertThat(find(consents, earlier).path("source").asString()).as(read).isEqualTo("Web");
      assertThat(find(consents, later).path("value").asBoolean()).as(read).isFalse();
      assertThat(find(consents, later).path("comment").asString())
          .as(read)
          .isEqualTo("at the till");
      assertThat(find(consents, later).path("date").asString()).as(read).isNotBlank();
    }
  }

  @Test
  void consentsOfBulkImportedContactsAreReadWithThem() {
    String consentId = definedConsent();
    String with = Api.uniqueEmail();
    String without = Api.uniqueEmail();

    Api.Response posted =
        api.post(
            CONTACTS + "/bulk?contactType=Member",
            List.of(
                Map.of("email", with, "consents", List.of(Map.of("id", consentId, "value", false))),
                Map.of("email", without)));

    assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
    JsonNode withConsent = api.get(CONTACTS + "/Member/bykey/" + with).json();
    assertThat(find(withConsent.path("consents"), consentId).path("value").asBoolean()).isFalse();
    assertThat(api.get(CONTACTS + "/Member/bykey/" + without).json().path("consents").isEmpty())
        .isTrue();
  }

  @Test
  void unknownConsentIsRejectedOnCreateAndOnUpdate() {
    String email = Api.uniqueEmail();
    List<Map<String, Object>> unknown =
        List.of(Map.of("id", "no-such-consent-" + ContactTestData.suffix(), "value", true));

    Api.Response onCreate = api.post(CONTACTS, Map.of("email", email, "consents", unknown));
    String id = create(Map.of("email", Api.uniqueEmail()));
    Api.Response onUpdate = api.post(CONTACTS + "/" + id, Map.of("consents", unknown));

    assertThat(onCreate.status()).as(onCreate.toString()).isEqualTo(422);
    assertThat(onCreate.errorCode()).isEqualTo("ConsentNotFound");
    assertThat(field(onCreate)).isEqualTo("consents[0].id");
    assertThat(
            jdbc.sql("select count(*) from contacts where email = ?")
                .param(email)
                .query(Long.class)
                .single())
        .isZero();
    assertThat(onUpdate.status()).as(onUpdate.toString()).isEqualTo(422);
    assertThat(onUpdate.errorCode()).isEqualTo("ConsentNotFound");
    assertThat(field(onUpdate)).isEqualTo("consents[0].id");
    assertThat(api.get(CONTACTS + "/" + id).json().path("consents").size()).isZero();
  }

  @Test
  void consentInUseCannotBeDeletedButAnUnusedOneCan() {
    String used = definedConsent();
    String unused = definedConsent();
    create(
        Map.of(
            "email", Api.uniqueEmail(), "consents", List.of(Map.of("id", used, "value", false))));

    Api.Response inUse = api.delete("/admin/consents/" + used);
    Api.Response deleted = api.delete("/admin/consents/" + unused);
    Api.Response gone = api.delete("/admin/consents/" + unused);

    assertThat(inUse.status()).as(inUse.toString()).isEqualTo(409);
    assertThat(inUse.errorCode()).isEqualTo("ConsentInUse");
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
    assertThat(gone.status()).as(gone.toString()).isEqualTo(404);
    assertThat(gone.errorCode()).isEqualTo("ConsentNotFound");
    List<String> ids = ids(api.get("/api/v2/consents").json());
    assertThat(ids).contains(used).doesNotContain(unused);
  }

  // --- contact types ---

  @Test
  void contactTypeIsCreatedListedAndReplaced() {
    String type = "Shop_" + ContactTestData.suffix();

    Api.Response created = api.put(TYPES + "/" + type, shopType("mobilePhone"));
    Api.Response replaced =
        api.put(TYPES + "/" + type.toLowerCase(java.util.Locale.ROOT), shopType("mobilePhone"));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
    assertThat(replaced.json().path("id").asString()).isEqualTo(type);
    JsonNode listed = find(api.get(TYPES).json(), type);
    assertThat(listed.path("keys").get(0).asString()).isEqualTo("mobilePhone");
    assertThat(listed.path("mandatory").get(0).asString()).isEqualTo("firstName");
    assertThat(ids(listed.path("attributes")))
        .containsExactly("shoeSize", "colour", "vip", "joined", "nick");
    assertThat(find(listed.path("attributes"), "colour").path("type").asString())
        .isEqualTo("choice");
    assertThat(api.get(TYPES + "/" + type).json().path("id").asString()).isEqualTo(type);
    assertThat(api.get(CONTACTS + "/" + type + "/count").text()).isEqualTo("0");
  }

  @Test
  void contactOfACustomTypeIsKeyedByPhoneAndKeepsItsCustomAttributes() {
    String type = shopType();
    String phone = ContactTestData.mobilePhone();

    Api.Response created =
        api.post(
            CONTACTS,
            Map.of(
                "contactType",
                type.toUpperCase(java.util.Locale.ROOT),
                "mobilePhone",
                ContactTestData.national(phone),
                "firstName",
                "Mo",
                "shoeSize",
                42,
                "colour",
                "rEd",
                "vip",
                true,
                "joined",
                "2024-05-01",
                "nick",
                "Momo"));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().path("id").asString();
    assertThat(created.json().path("meta").path("contactType").asString()).isEqualTo(type);
    assertThat(created.json().path("attributes").path("memberNumber").isNull()).isTrue();
    for (JsonNode attributes :
        List.of(
            created.json().path("attributes"),
            api.get(CONTACTS + "/" + type + "/bykey/" + phone).json().path("attributes"))) {
      assertThat(attributes.path("mobilePhone").asString()).isEqualTo(phone);
      assertThat(attributes.path("shoeSize").asInt()).isEqualTo(42);
      assertThat(attributes.path("shoeSize").isNumber()).isTrue();
      assertThat(attributes.path("colour").asString()).isEqualTo("Red");
      assertThat(attributes.path("vip").asBoolean()).isTrue();
      assertThat(attributes.path("vip").isBoolean()).isTrue();
      assertThat(attributes.path("joined").asString()).isEqualTo("2024-05-01");
      assertThat(attributes.path("nick").asString()).isEqualTo("Momo");
    }
    assertThat(
            api.get(CONTACTS + "/" + type + "/bykey/%2B" + phone.substring(1))
                .json()
                .path("id")
                .asString())
        .isEqualTo(id);
    assertThat(
            api.get(CONTACTS + "/" + type + "/bykey?keyValue=%2B" + phone.substring(1))
                .json()
                .path("id")
                .asString())
        .isEqualTo(id);
    assertThat(
            api.get(CONTACTS + "/" + type + "/bykey?keyValue=0" + phone.substring(3))
                .json()
                .path("id")
                .asString())
        .isEqualTo(id);

    Api.Response duplicate =
        api.post(CONTACTS, Map.of("contactType", type, "mobilePhone", phone, "firstName", "Two"));
    assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(409);
    assertThat(duplicate.errorCode()).isEqualTo("ApprovedContactWithKeyExists");
    assertThat(field(duplicate)).isEqualTo("mobilePhone");
  }

  @Test
  void customAttributesAreValidatedAgainstTheirDefinitions() {
    String type = shopType();
    String phone = ContactTestData.mobilePhone();

    Api.Response choice = api.post(CONTACTS, shopContact(type, phone, "colour", "Green"));
    Api.Response number = api.post(CONTACTS, shopContact(type, phone, "shoeSize", "big"));
    Api.Response bool = api.post(CONTACTS, shopContact(type, phone, "vip", "maybe"));
    Api.Response date = api.post(CONTACTS, shopContact(type, phone, "joined", "last May"));

    assertThat(choice.status()).as(choice.toString()).isEqualTo(422);
    assertThat(choice.errorCode()).isEqualTo("InvalidChoice");
    assertThat(field(choice)).isEqualTo("colour");
    assertThat(number.status()).as(number.toString()).isEqualTo(422);
    assertThat(number.errorCode()).isEqualTo("InvalidNumber");
    assertThat(field(number)).isEqualTo("shoeSize");
    assertThat(bool.status()).as(bool.toString()).isEqualTo(422);
    assertThat(bool.errorCode()).isEqualTo("InvalidAttributeType");
    assertThat(field(bool)).isEqualTo("vip");
    assertThat(date.status()).as(date.toString()).isEqualTo(422);
    assertThat(date.errorCode()).isEqualTo("InvalidDate");
    assertThat(field(date)).isEqualTo("joined");
    assertThat(api.get(CONTACTS + "/" + type + "/bykey/" + phone).status()).isEqualTo(404);
  }

  @Test
  void customAttributesSurviveOtherUpdatesAndAreClearedByNull() {
    String type = shopType();
    String id =
        create(
            Map.of(
                "contactType", type,
                "mobilePhone", ContactTestData.mobilePhone(),
                "firstName", "Mo",
                "shoeSize", 42,
                "colour", "Blue",
                "joined", "2024-05-01",
                "nick", "Momo"));

    Api.Response renamed =
        api.post(CONTACTS + "/" + id, Map.of("lastName", "Ek", "shoeSize", "43.5"));
    Api.Response cleared = api.post(CONTACTS + "/" + id, "{\"nick\": null, \"colour\": \"\"}");

    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    JsonNode afterRename = renamed.json().path("attributes");
    assertThat(afterRename.path("shoeSize").decimalValue()).isEqualByComparingTo("43.5");
    assertThat(afterRename.path("joined").asString()).isEqualTo("2024-05-01");
    assertThat(afterRename.path("nick").asString()).isEqualTo("Momo");
    assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
    JsonNode stored = api.get(CONTACTS + "/" + id).json().path("attributes");
    assertThat(stored.path("nick").isMissingNode() || stored.path("nick").isNull()).isTrue();
    assertThat(stored.path("colour").isMissingNode() || stored.path("colour").isNull()).isTrue();
    assertThat(stored.path("shoeSize").decimalValue()).isEqualByComparingTo("43.5");
    assertThat(stored.path("joined").asString()).isEqualTo("2024-05-01");
    assertThat(stored.path("lastName").asString()).isEqualTo("Ek");
  }

  @Test
  void customNumberBeyondTheRangeOfADoubleIsRejectedNotAServerError() {
    String type = shopType();
    String phone = ContactTestData.mobilePhone();

    Api.Response refused =
        api.post(
            CONTACTS,
            "{\"contactType\": \""
                + type
                + "\", \"mobilePhone\": \""
                + phone
                + "\", \"firstName\": \"Mo\", \"shoeSize\": 1e400}");

    assertThat(refused.status()).as(refused.toString()).isBetween(400, 499);
    assertThat(api.get(CONTACTS + "/" + type + "/bykey/" + phone).status()).isEqualTo(404);
  }

  @Test
  void nulCharacterInACustomTextIsRejectedNotAServerError() {
    String type = shopType();
    String phone = ContactTestData.mobilePhone();

    Api.Response refused =
        api.post(
            CONTACTS,
            "{\"contactType\": \""
                + type
                + "\", \"mobilePhone\": \""
                + phone
                + "\", \"firstName\": \"Mo\", \"nick\": \"M\\u0000o\"}");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(field(refused)).isEqualTo("nick");
    assertThat(api.get(CONTACTS + "/" + type + "/bykey/" + phone).status()).isEqualTo(404);
  }

  @Test
  void customNumberIsReadBackExactlyAsItWasStored() {
    String type = shopType();
    String id =
        create(
            Map.of(
                "contactType",
                type,
                "mobilePhone",
                ContactTestData.mobilePhone(),
                "firstName",
                "Mo",
                "shoeSize",
                "12345.678901234567890123"));

    JsonNode stored = api.get(CONTACTS + "/" + id).json().path("attributes").path("shoeSize");

    assertThat(stored.decimalValue()).isEqualByComparingTo("12345.678901234567890123");
  }

  @Test
  void customNumberOfHugeMagnitudeIsRejectedOrReadBackNotAServerError() {
    String type = shopType();
    String phone = ContactTestData.mobilePhone();

    Api.Response created =
        api.post(
            CONTACTS,
            Map.of(
                "contactType", type, "mobilePhone", phone, "firstName", "Mo", "shoeSize", "1e400"));

    assertThat(created.status()).as(created.toString()).isIn(201, 422);
    if (created.status() == 201) {
      Api.Response read = api.get(CONTACTS + "/" + created.json().path("id").asString());
      assertThat(read.status()).as(read.toString()).isEqualTo(200);
    }
  }

  @Test
  void customNumberWithAnExponentBeyondWhatTheDatabaseHoldsIsRejected() {
    String type = shopType();
    String phone = ContactTestData.mobilePhone();

    Api.Response refused =
        api.post(
            CONTACTS,
            Map.of(
                "contactType",
                type,
                "mobilePhone",
                phone,
                "firstName",
                "Mo",
                "shoeSize",
                "1e999999"));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(field(refused)).isEqualTo("shoeSize");
    assertThat(api.get(CONTACTS + "/" + type + "/bykey/" + phone).status()).isEqualTo(404);
  }

  @Test
  void mandatoryFieldAndKeyOfACustomTypeAreRequired() {
    String type = shopType();
    String phone = ContactTestData.mobilePhone();

    Api.Response noFirstName =
        api.post(CONTACTS, Map.of("contactType", type, "mobilePhone", phone));
    Api.Response noPhone =
        api.post(
            CONTACTS, Map.of("contactType", type, "firstName", "Mo", "email", Api.uniqueEmail()));
    String id = create(Map.of("contactType", type, "mobilePhone", phone, "firstName", "Mo"));
    Api.Response clearedFirstName = api.post(CONTACTS + "/" + id, Map.of("firstName", ""));

    assertThat(noFirstName.status()).as(noFirstName.toString()).isEqualTo(422);
    assertThat(noFirstName.errorCode()).isEqualTo("MandatoryFieldMissing");
    assertThat(field(noFirstName)).isEqualTo("firstName");
    assertThat(noPhone.status()).as(noPhone.toString()).isEqualTo(422);
    assertThat(noPhone.errorCode()).isEqualTo("ContactKeyMissing");
    assertThat(field(noPhone)).isEqualTo("mobilePhone");
    assertThat(clearedFirstName.status()).as(clearedFirstName.toString()).isEqualTo(422);
    assertThat(clearedFirstName.errorCode()).isEqualTo("MandatoryFieldMissing");
    assertThat(api.get(CONTACTS + "/" + id).json().path("attributes").path("firstName").asString())
        .isEqualTo("Mo");
  }

  @Test
  void contactTypeWithANonKeyAttributeAsKeyIsRejected() {
    String type = "Bad_" + ContactTestData.suffix();

    Api.Response refused = api.put(TYPES + "/" + type, shopType("firstName"));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo("InvalidContactTypeKey");
    assertThat(field(refused)).isEqualTo("keys");
    Api.Response missing = api.get(TYPES + "/" + type);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo("ContactTypeNotFound");
  }

  @Test
  void contactTypeDefinitionsAreValidated() {
    String type = "Bad_" + ContactTestData.suffix();

    Api.Response noKey = api.put(TYPES + "/" + type, Map.of("name", "No key", "keys", List.of()));
    Api.Response choiceWithoutChoices =
        api.put(
            TYPES + "/" + type,
            Map.of(
                "keys", List.of("email"),
                "attributes", List.of(Map.of("id", "size", "type", "choice"))));
    Api.Response clash =
        api.put(
            TYPES + "/" + type,
            Map.of(
                "keys", List.of("email"),
                "attributes", List.of(Map.of("id", "email", "type", "string"))));
    Api.Response unknownType =
        api.put(
            TYPES + "/" + type,
            Map.of(
                "keys", List.of("email"),
                "attributes", List.of(Map.of("id", "size", "type", "colourful"))));
    Api.Response unknownMandatory =
        api.put(TYPES + "/" + type, Map.of("keys", List.of("email"), "mandatory", List.of("shoe")));
    Api.Response badHandle = api.put(TYPES + "/9lives", Map.of("keys", List.of("email")));

    assertThat(noKey.status()).as(noKey.toString()).isEqualTo(422);
    assertThat(noKey.errorCode()).isEqualTo("ContactTypeKeyMissing");
    assertThat(choiceWithoutChoices.status()).isEqualTo(422);
    assertThat(choiceWithoutChoices.errorCode()).isEqualTo("InvalidAttributeDefinition");
    assertThat(clash.status()).isEqualTo(422);
    assertThat(clash.errorCode()).isEqualTo("InvalidAttributeDefinition");
    assertThat(unknownType.status()).isEqualTo(422);
    assertThat(unknownType.errorCode()).isEqualTo("InvalidAttributeDefinition");
    assertThat(field(unknownType)).isEqualTo("attributes[0]");
    assertThat(unknownMandatory.status()).isEqualTo(422);
    assertThat(unknownMandatory.errorCode()).isEqualTo("UnknownAttribute");
    assertThat(field(unknownMandatory)).isEqualTo("mandatory");
    assertThat(badHandle.status()).isEqualTo(422);
    assertThat(badHandle.errorCode()).isEqualTo("InvalidContactType");
    assertThat(api.get(TYPES + "/" + type).status()).isEqualTo(404);
  }

  @Test
  void keysOfATypeWithContactsCannotChangeButOtherPartsCan() {
    String type = shopType();
    create(
        Map.of(
            "contactType", type, "mobilePhone", ContactTestData.mobilePhone(), "firstName", "Mo"));

    Api.Response keysChanged = api.put(TYPES + "/" + type, shopType("email"));
    Api.Response renamed =
        api.put(
            TYPES + "/" + type,
            Map.of("name", "Renamed shop", "keys", List.of("mobilePhone"), "mandatory", List.of()));

    assertThat(keysChanged.status()).as(keysChanged.toString()).isEqualTo(409);
    assertThat(keysChanged.errorCode()).isEqualTo("ContactTypeInUse");
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    JsonNode stored = api.get(TYPES + "/" + type).json();
    assertThat(stored.path("keys").get(0).asString()).isEqualTo("mobilePhone");
    assertThat(stored.path("name").asString()).isEqualTo("Renamed shop");
    assertThat(create(Map.of("contactType", type, "mobilePhone", ContactTestData.mobilePhone())))
        .isNotBlank();
  }

  @Test
  void keysOfATypeWithoutContactsCanChange() {
    String type = shopType();

    Api.Response changed = api.put(TYPES + "/" + type, shopType("email"));

    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    String email = Api.uniqueEmail();
    String id = create(Map.of("contactType", type, "email", email, "firstName", "Mo"));
    assertThat(api.get(CONTACTS + "/" + type + "/bykey/" + email).json().path("id").asString())
        .isEqualTo(id);
  }

  @Test
  void typeWithContactsCannotBeDeletedUntilItIsEmpty() {
    String type = shopType();
    String id =
        create(
            Map.of(
                "contactType",
                type,
                "mobilePhone",
                ContactTestData.mobilePhone(),
                "firstName",
                "Mo"));

    Api.Response inUse = api.delete(TYPES + "/" + type);
    assertThat(inUse.status()).as(inUse.toString()).isEqualTo(409);
    assertThat(inUse.errorCode()).isEqualTo("ContactTypeInUse");

    assertThat(api.delete(CONTACTS + "/" + id).status()).isEqualTo(200);
    Api.Response deleted = api.delete(TYPES + "/" + type);
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
    assertThat(api.get(TYPES + "/" + type).status()).isEqualTo(404);
    Api.Response contact =
        api.post(
            CONTACTS,
            Map.of(
                "contactType",
                type,
                "mobilePhone",
                ContactTestData.mobilePhone(),
                "firstName",
                "Mo"));
    assertThat(contact.status()).isEqualTo(400);
    assertThat(contact.errorCode()).isEqualTo("InvalidContactType");
    Api.Response again = api.delete(TYPES + "/" + type);
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.errorCode()).isEqualTo("ContactTypeNotFound");
  }

  @Test
  void memberTypeCannotBeDeleted() {
    Api.Response refused = api.delete(TYPES + "/Member");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo("ContactTypeInUse");
    assertThat(api.get(TYPES + "/member").status()).isEqualTo(200);
  }

  @Test
  void engageOnlyKeyIsForbiddenFromAdministeringContactTypes() {
    Api.Response key =
        api.post(
            "/admin/api-keys",
            Map.of("name", "engage-" + ContactTestData.suffix(), "scopes", List.of("engage")));
    assertThat(key.status()).as(key.toString()).isEqualTo(201);
    Api engage = api.withKey(key.json().path("key").asString());

    Api.Response list = engage.get(TYPES);
    Api.Response put = engage.put(TYPES + "/Sneaky_" + ContactTestData.suffix(), shopType("email"));
    Api.Response consents =
        engage.put("/admin/consents/c-" + ContactTestData.suffix(), consent("X", "Y"));

    assertThat(list.status()).as(list.toString()).isEqualTo(403);
    assertThat(list.errorCode()).isEqualTo("Forbidden");
    assertThat(put.status()).isEqualTo(403);
    assertThat(consents.status()).isEqualTo(403);
    assertThat(engage.get("/api/v2/consents").status()).isEqualTo(200);
  }

  /** Creates a Shop type keyed by mobilePhone with the five custom attributes; returns its id. */
  private String shopType() {
    String type = "Shop_" + ContactTestData.suffix();
    Api.Response created = api.put(TYPES + "/" + type, shopType("mobilePhone"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return type;
  }

  private static Map<String, Object> shopType(String key) {
    return Map.of(
        "name",
        "Shop",
        "keys",
        List.of(key),
        "mandatory",
        List.of("firstName"),
        "attributes",
        List.of(
            Map.of("id", "shoeSize", "type", "number"),
            Map.of("id", "colour", "type", "choice", "choices", List.of("Red", "Blue")),
            Map.of("id", "vip", "type", "boolean"),
            Map.of("id", "joined", "type", "date"),
            Map.of("id", "nick", "type", "string")));
  }

  private static Map<String, Object> shopContact(
      String type, String phone, String attribute, Object value) {
    return Map.of("contactType", type, "mobilePhone", phone, "firstName", "Mo", attribute, value);
  }

  private static Map<String, Object> consent(String name, String displayText) {
    return Map.of("name", name, "metaData", Map.of("displayText", Map.of("sv-SE", displayText)));
  }

  private String definedConsent() {
    String id = "consent-" + ContactTestData.suffix();
    Api.Response created = api.put("/admin/consents/" + id, consent("Consent " + id, "Ja"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return id;
  }

  private String create(Map<String, ?> body) {
    Api.Response response = api.post(CONTACTS, body);
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json().path("id").asString();
  }

  /** The element of an array whose id is {@code id}. */
  private static JsonNode find(JsonNode array, String id) {
    for (JsonNode element : array) {
      if (element.path("id").asString().equals(id)) {
        return element;
      }
    }
    throw new AssertionError("no " + id + " in " + array);
  }

  private static List<String> ids(JsonNode array) {
    List<String> ids = new java.util.ArrayList<>();
    array.forEach(element -> ids.add(element.path("id").asString()));
    return ids;
  }

  private static String field(Api.Response response) {
    return response.json().path("messageDetails").path("field").asString();
  }
}

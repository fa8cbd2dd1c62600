package org.stamkund.server.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Changing contacts: partial update, type moves, promotion, preferences, unsubscribing and
 * deletion.
 */
class ContactUpdateIntegrationTests extends IntegrationTest {

  private static final String CONTACTS = "/api/v2/contacts";

  @Autowired JdbcClient jdbc;

  // --- partial update ---

  @Test
  void absentFieldsAreLeftUntouched() {
    String id = create(Map.of("email", Api.uniqueEmail(), "firstName", "Eva", "city", "Lund"));

    Api.Response updated = api.post(CONTACTS + "/" + id, Map.of("lastName", "Berg"));

    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    JsonNode attributes = updated.json().path("attributes");
    assertThat(attributes.path("lastName").asString()).isEqualTo("Berg");
    assertThat(attributes.path("firstName").asString()).isEqualTo("Eva");
    assertThat(attributes.path("city").asString()).isEqualTo("Lund");
    assertThat(attributesOf(id)).isEqualTo(attributes);
  }

  @Test
  void explicitNullAndEmptyStringClearAnAttribute() {
    String pin = ContactTestData.personnummer();
    String id =
        create(
            Map.of(
                "email",
                Api.uniqueEmail(),
                "firstName",
                "Eva",
                "city",
                "Lund",
                "socialSecurityNumber",
                pin,
                "birthDay",
                "1980-02-03"));

    Api.Response updated =
        api.post(
            CONTACTS + "/" + id,
            "{\"firstName\": null, \"city\": \"\", \"socialSecurityNumber\": \"  \","
                + " \"birthDay\": null}");

    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    JsonNode attributes = attributesOf(id);
    assertThat(attributes.path("firstName").isNull()).isTrue();
    assertThat(attributes.path("city").isNull()).isTrue();
    assertThat(attributes.path("socialSecurityNumber").isNull()).isTrue();
    assertThat(attributes.path("birthDay").isNull()).isTrue();
    assertThat(api.get(CONTACTS + "/id?socialSecurityNumber=" + pin).status()).isEqualTo(404);
  }

  @Test
  void unknownFieldsInAnUpdateAreIgnored() {
    String id = create(Map.of("email", Api.uniqueEmail()));

    Api.Response updated =
        api.post(CONTACTS + "/" + id, Map.of("noSuchField", 4, "lastName", "Ek"));

    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    assertThat(updated.json().path("attributes").has("noSuchField")).isFalse();
    assertThat(updated.json().path("attributes").path("lastName").asString()).isEqualTo("Ek");
  }

  @Test
  void invalidValueIsRejectedAndTheContactIsUnchanged() {
    String id = create(Map.of("email", Api.uniqueEmail(), "firstName", "Eva"));
    JsonNode before = attributesOf(id);

    Api.Response refused =
        api.post(CONTACTS + "/" + id, Map.of("firstName", "Changed", "mobilePhone", "abc"));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo("InvalidPhoneNumber");
    assertThat(field(refused)).isEqualTo("mobilePhone");
    assertThat(attributesOf(id)).isEqualTo(before);
  }

  @Test
  void emailHeldByAnotherContactOfTheTypeIsAConflictAndTheContactIsUnchanged() {
    String taken = Api.uniqueEmail();
    String holder = create(Map.of("email", taken));
    String email = Api.uniqueEmail();
    String id = create(Map.of("email", email, "firstName", "Eva"));
    JsonNode before = attributesOf(id);

    Api.Response refused =
        api.post(CONTACTS + "/" + id, Map.of("email", taken, "firstName", "Changed"));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo("ApprovedContactWithKeyExists");
    assertThat(field(refused)).isEqualTo("email");
    assertThat(refused.json().path("messageDetails").path("contactId").asString())
        .isEqualTo(holder);
    assertThat(attributesOf(id)).isEqualTo(before);
    assertBareId(api.get(CONTACTS + "/id?contactType=Member&email=" + email), id);
    assertBareId(api.get(CONTACTS + "/id?contactType=Member&email=" + taken), holder);
  }

  @Test
  void emailHeldByAContactOfAnotherTypeCanBeTaken() {
    String shared = Api.uniqueEmail();
    create(Map.of("contactType", "Contact", "email", shared));
    String id = create(Map.of("email", Api.uniqueEmail()));

    Api.Response updated = api.post(CONTACTS + "/" + id, Map.of("email", shared));

    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    assertThat(api.get(CONTACTS + "/Member/bykey/" + shared).json().path("id").asString())
        .isEqualTo(id);
  }

  @Test
  void changedEmailMovesTheKeySoTheOldOneIsFree() {
    String old = Api.uniqueEmail();
    String id = create(Map.of("email", old));
    String renewed = Api.uniqueEmail();

    assertThat(api.post(CONTACTS + "/" + id, Map.of("email", renewed)).status()).isEqualTo(200);

    assertThat(api.get(CONTACTS + "/Member/bykey/" + renewed).json().path("id").asString())
        .isEqualTo(id);
    assertThat(api.get(CONTACTS + "/Member/bykey/" + old).status()).isEqualTo(404);
    assertThat(api.post(CONTACTS, Map.of("email", old)).status()).isEqualTo(201);
  }

  @Test
  void clearingTheKeyIsRejectedAndTheContactIsUnchanged() {
    String email = Api.uniqueEmail();
    String id = create(Map.of("email", email));

    Api.Response refused = api.post(CONTACTS + "/" + id, "{\"email\": null}");
    Api.Response blank = api.post(CONTACTS + "/" + id, Map.of("email", ""));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo("ContactKeyMissing");
    assertThat(field(refused)).isEqualTo("email");
    assertThat(blank.status()).as(blank.toString()).isEqualTo(422);
    assertThat(attributesOf(id).path("email").asString()).isEqualTo(email);
  }

  @Test
  void updateOfAMissingOrMalformedContactIdIsRejected() {
    Api.Response missing = api.post(CONTACTS + "/" + UUID.randomUUID(), Map.of("firstName", "X"));
    Api.Response malformed = api.post(CONTACTS + "/nope", Map.of("firstName", "X"));
    Api.Response empty = api.post(CONTACTS + "/" + create(Map.of("email", Api.uniqueEmail())), "");

    assertThat(missing.status()).as(missing.toString()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo("ContactNotFound");
    assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);
    assertThat(malformed.errorCode()).isEqualTo("InvalidContactId");
    assertThat(empty.status()).as(empty.toString()).isEqualTo(400);
    assertThat(empty.errorCode()).isEqualTo("NoData");
  }

  // --- contact types ---

  @Test
  void contactTypeInTheUpdateBodyMovesTheContact() {
    String email = Api.uniqueEmail();
    String id = create(Map.of("email", email));

    Api.Response moved = api.post(CONTACTS + "/" + id, Map.of("contactType", "contact"));

    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    assertThat(moved.json().path("meta").path("contactType").asString()).isEqualTo("Contact");
    assertThat(api.get(CONTACTS + "/Contact/bykey/" + email).json().path("id").asString())
        .isEqualTo(id);
    assertThat(api.get(CONTACTS + "/Member/bykey/" + email).status()).isEqualTo(404);
  }

  @Test
  void unknownContactTypeInTheUpdateBodyIsRejected() {
    String id = create(Map.of("email", Api.uniqueEmail()));

    Api.Response refused =
        api.post(CONTACTS + "/" + id, Map.of("contactType", "Nope" + ContactTestData.suffix()));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo("InvalidContactType");
    assertThat(field(refused)).isEqualTo("contactType");
    assertThat(api.get(CONTACTS + "/" + id).json().path("meta").path("contactType").asString())
        .isEqualTo("Member");
  }

  @Test
  void promotionToMemberAssignsAMemberNumberOnlyOnce() {
    String id = create(Map.of("contactType", "Contact", "email", Api.uniqueEmail()));
    assertThat(attributesOf(id).path("memberNumber").isNull()).isTrue();

    Api.Response promoted =
        api.post(CONTACTS + "/" + id + "/promoteToMember", Map.of("firstName", "Eva"));
    Api.Response again = api.post(CONTACTS + "/" + id + "/promoteToMember", null);

    assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
    assertThat(promoted.json().path("meta").path("contactType").asString()).isEqualTo("Member");
    assertThat(promoted.json().path("attributes").path("firstName").asString()).isEqualTo("Eva");
    String number = promoted.json().path("attributes").path("memberNumber").asString();
    assertThat(number).matches("\\d+");
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(again.json().path("attributes").path("memberNumber").asString()).isEqualTo(number);
    assertThat(attributesOf(id).path("memberNumber").asString()).isEqualTo(number);
  }

  @Test
  void promotionOfAnUnknownContactIsNotFound() {
    Api.Response missing =
        api.post(CONTACTS + "/" + UUID.randomUUID() + "/promoteToMember", Map.of());

    assertThat(missing.status()).as(missing.toString()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo("ContactNotFound");
  }

  @Test
  void updateContactTypeMovesAContactToAnotherType() {
    String email = Api.uniqueEmail();
    String id = create(Map.of("email", email));

    Api.Response moved =
        api.post(CONTACTS + "/" + id + "/updateContactType?contactTypeId=Contact", null);

    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    assertThat(api.get(CONTACTS + "/" + id).json().path("meta").path("contactType").asString())
        .isEqualTo("Contact");
    assertThat(api.get(CONTACTS + "/Contact/bykey/" + email).json().path("id").asString())
        .isEqualTo(id);
  }

  @Test
  void updateContactTypeRefusesMemberUnknownTypesAndAMissingParameter() {
    String id = create(Map.of("contactType", "Contact", "email", Api.uniqueEmail()));
    String path = CONTACTS + "/" + id + "/updateContactType";

    Api.Response member = api.post(path + "?contactTypeId=Member", null);
    Api.Response unknown = api.post(path + "?contactTypeId=Nope" + ContactTestData.suffix(), null);
    Api.Response missing = api.post(path, null);
    Api.Response noContact =
        api.post(
            CONTACTS + "/" + UUID.randomUUID() + "/updateContactType?contactTypeId=Contact", null);

    assertThat(member.status()).as(member.toString()).isEqualTo(400);
    assertThat(member.errorCode()).isEqualTo("InvalidContactType");
    assertThat(field(member)).isEqualTo("contactTypeId");
    assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
    assertThat(unknown.errorCode()).isEqualTo("InvalidContactType");
    assertThat(field(unknown)).isEqualTo("contactTypeId");
    assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
    assertThat(field(missing)).isEqualTo("contactTypeId");
    assertThat(noContact.status()).as(noContact.toString()).isEqualTo(404);
    assertThat(noContact.errorCode()).isEqualTo("ContactNotFound");
    assertThat(api.get(CONTACTS + "/" + id).json().path("meta").path("contactType").asString())
        .isEqualTo("Contact");
  }

  @Test
  void takingAnotherContactsSecondKeyNamesThatKeyAndItsHolder() {
    String type = ContactTestData.contactType(api, "Two", "email", "mobilePhone");
    String phone = ContactTestData.mobilePhone();
    String holder =
        create(Map.of("contactType", type, "email", Api.uniqueEmail(), "mobilePhone", phone));
    String email = Api.uniqueEmail();
    String id =
        create(
            Map.of(
                "contactType", type, "email", email, "mobilePhone", ContactTestData.mobilePhone()));

    Api.Response refused =
        api.post(CONTACTS + "/" + id, Map.of("email", email, "mobilePhone", phone));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo("ApprovedContactWithKeyExists");
    assertThat(field(refused)).isEqualTo("mobilePhone");
    assertThat(refused.json().path("messageDetails").path("contactId").asString())
        .isEqualTo(holder);
  }

  @Test
  void movingToATypeWhoseKeyIsTakenIsAConflictAndTheContactStays() {
    String email = Api.uniqueEmail();
    String holder = create(Map.of("contactType", "Contact", "email", email));
    String id = create(Map.of("email", email));

    Api.Response byParameter =
        api.post(CONTACTS + "/" + id + "/updateContactType?contactTypeId=Contact", null);
    Api.Response byBody = api.post(CONTACTS + "/" + id, Map.of("contactType", "Contact"));

    assertThat(byParameter.status()).as(byParameter.toString()).isEqualTo(409);
    assertThat(byParameter.errorCode()).isEqualTo("ApprovedContactWithKeyExists");
    assertThat(byParameter.json().path("messageDetails").path("contactId").asString())
        .isEqualTo(holder);
    assertThat(byBody.status()).as(byBody.toString()).isEqualTo(409);
    assertThat(api.get(CONTACTS + "/" + id).json().path("meta").path("contactType").asString())
        .isEqualTo("Member");
    assertThat(api.get(CONTACTS + "/Member/bykey/" + email).json().path("id").asString())
        .isEqualTo(id);
  }

  @Test
  void promotionWhenAMemberHoldsTheKeyIsAConflictAndTheContactStays() {
    String email = Api.uniqueEmail();
    String member = create(Map.of("email", email));
    String id = create(Map.of("contactType", "Contact", "email", email));

    Api.Response refused = api.post(CONTACTS + "/" + id + "/promoteToMember", Map.of());

    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo("ApprovedContactWithKeyExists");
    assertThat(refused.json().path("messageDetails").path("contactId").asString())
        .isEqualTo(member);
    JsonNode contact = api.get(CONTACTS + "/" + id).json();
    assertThat(contact.path("meta").path("contactType").asString()).isEqualTo("Contact");
    assertThat(contact.path("attributes").path("memberNumber").isNull()).isTrue();
  }

  @Test
  void movingToATypeWhoseKeyTheContactLacksIsRejected() {
    String type = ContactTestData.contactType(api, "PhoneOnly_", "mobilePhone");
    String id = create(Map.of("email", Api.uniqueEmail()));

    Api.Response refused =
        api.post(CONTACTS + "/" + id + "/updateContactType?contactTypeId=" + type, null);

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo("ContactKeyMissing");
    assertThat(field(refused)).isEqualTo("mobilePhone");
    assertThat(api.get(CONTACTS + "/" + id).json().path("meta").path("contactType").asString())
        .isEqualTo("Member");

    String phone = ContactTestData.mobilePhone();
    Api.Response moved =
        api.post(CONTACTS + "/" + id, Map.of("contactType", type, "mobilePhone", phone));
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    assertThat(api.get(CONTACTS + "/" + type + "/bykey/" + phone).json().path("id").asString())
        .isEqualTo(id);
  }

  @Test
  void concurrentUpdatesOfDifferentAttributesAreAllKept() throws Exception {
    String id = create(Map.of("email", Api.uniqueEmail()));
    List<String> attributes =
        List.of("firstName", "lastName", "street", "zipCode", "city", "careOf", "country");
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Api.Response>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(attributes.size())) {
      for (String attribute : attributes) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return api.post(CONTACTS + "/" + id, Map.of(attribute, "v-" + attribute));
                }));
      }
      start.countDown();
    }

    for (Future<Api.Response> future : futures) {
      assertThat(future.get().status()).isEqualTo(200);
    }
    JsonNode stored = attributesOf(id);
    for (String attribute : attributes) {
      assertThat(stored.path(attribute).asString()).as(attribute).isEqualTo("v-" + attribute);
    }
  }

  @Test
  void nulCharacterInAnUpdateIsRejectedAndTheContactIsUnchanged() {
    String id = create(Map.of("email", Api.uniqueEmail(), "city", "Lund"));

    Api.Response refused = api.post(CONTACTS + "/" + id, "{\"city\": \"Lu\\u0000nd\"}");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(field(refused)).isEqualTo("city");
    assertThat(attributesOf(id).path("city").asString()).isEqualTo("Lund");
  }

  // --- preferences ---

  @Test
  void eachPreferenceIsSetByItsOwnEndpoint() {
    String id = create(Map.of("email", Api.uniqueEmail()));

    for (String preference : new String[] {"acceptsEmail", "acceptsSms", "acceptsPostal"}) {
      Api.Response on =
          api.post(CONTACTS + "/" + id + "/preferences/" + preference, Map.of("value", true));
      assertThat(on.status()).as(on.toString()).isEqualTo(200);
      assertThat(on.json().path("preferences").path(preference).asBoolean()).isTrue();
    }
    JsonNode preferences = api.get(CONTACTS + "/" + id).json().path("preferences");
    assertThat(preferences.path("acceptsEmail").asBoolean()).isTrue();
    assertThat(preferences.path("acceptsSms").asBoolean()).isTrue();
    assertThat(preferences.path("acceptsPostal").asBoolean()).isTrue();

    Api.Response off =
        api.post(CONTACTS + "/" + id + "/preferences/acceptsSms", Map.of("value", false));
    assertThat(off.json().path("preferences").path("acceptsSms").asBoolean()).isFalse();
    assertThat(off.json().path("preferences").path("acceptsPostal").asBoolean()).isTrue();
  }

  @Test
  void preferenceWithoutABooleanValueIsRejected() {
    String id = create(Map.of("email", Api.uniqueEmail()));
    String path = CONTACTS + "/" + id + "/preferences/acceptsEmail";

    for (Object body :
        new Object[] {Map.of(), Map.of("value", "yes"), Map.of("value", 1), "{\"value\": null}"}) {
      Api.Response refused = api.post(path, body);
      assertThat(refused.status()).as(body + " -> " + refused).isEqualTo(400);
      assertThat(refused.errorCode()).isEqualTo("InvalidValue");
      assertThat(field(refused)).isEqualTo("value");
    }
    Api.Response empty = api.post(path, null);
    assertThat(empty.status()).as(empty.toString()).isEqualTo(400);
    assertThat(empty.errorCode()).isEqualTo("InvalidValue");
    assertThat(
            api.get(CONTACTS + "/" + id)
                .json()
                .path("preferences")
                .path("acceptsEmail")
                .asBoolean())
        .isFalse();
  }

  @Test
  void createdInStoreCannotBeChangedButStoreCan() {
    String id =
        api.post(CONTACTS, Map.of("email", Api.uniqueEmail()), Map.of("storeExternalId", "S-1"))
            .json()
            .path("id")
            .asString();

    Api.Response updated =
        api.post(CONTACTS + "/" + id, Map.of("createdInStore", "S-9", "store", "S-2"));

    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    assertThat(attributesOf(id).path("createdInStore").asString()).isEqualTo("S-1");
    assertThat(attributesOf(id).path("store").asString()).isEqualTo("S-2");
  }

  @Test
  void preferenceNamesAreMatchedCaseInsensitivelyAndUnknownOnesAreNotFound() {
    String id = create(Map.of("email", Api.uniqueEmail()));

    Api.Response lower =
        api.post(CONTACTS + "/" + id + "/preferences/acceptspostal", Map.of("value", true));
    Api.Response unknown =
        api.post(CONTACTS + "/" + id + "/preferences/acceptsPigeons", Map.of("value", true));

    assertThat(lower.status()).as(lower.toString()).isEqualTo(200);
    assertThat(lower.json().path("preferences").path("acceptsPostal").asBoolean()).isTrue();
    assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
  }

  @Test
  void preferenceOfAnUnknownContactIsNotFound() {
    Api.Response missing =
        api.post(
            CONTACTS + "/" + UUID.randomUUID() + "/preferences/acceptsSms", Map.of("value", true));

    assertThat(missing.status()).as(missing.toString()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo("ContactNotFound");
  }

  @Test
  void unsubscribeEmailAndSmsTurnThoseOptInsOff() {
    String id =
        create(
            Map.of(
                "email",
                Api.uniqueEmail(),
                "preferences",
                Map.of("acceptsEmail", true, "acceptsSms", true, "acceptsPostal", true)));
    assertThat(
            api.get(CONTACTS + "/" + id)
                .json()
                .path("preferences")
                .path("acceptsEmail")
                .asBoolean())
        .isTrue();

    Api.Response email = api.post(CONTACTS + "/" + id + "/unsubscribeEmail", null);
    assertThat(email.status()).as(email.toString()).isEqualTo(200);
    JsonNode afterEmail = api.get(CONTACTS + "/" + id).json().path("preferences");
    assertThat(afterEmail.path("acceptsEmail").asBoolean()).isFalse();
    assertThat(afterEmail.path("acceptsSms").asBoolean()).isTrue();

    Api.Response sms = api.post(CONTACTS + "/" + id + "/unsubscribeSms?messageId=m-1", null);
    assertThat(sms.status()).as(sms.toString()).isEqualTo(200);
    JsonNode afterSms = api.get(CONTACTS + "/" + id).json().path("preferences");
    assertThat(afterSms.path("acceptsSms").asBoolean()).isFalse();
    assertThat(afterSms.path("acceptsPostal").asBoolean()).isTrue();
  }

  @Test
  void unsubscribingAnUnknownContactIsNotFound() {
    Api.Response email = api.post(CONTACTS + "/" + UUID.randomUUID() + "/unsubscribeEmail", null);
    Api.Response sms = api.post(CONTACTS + "/" + UUID.randomUUID() + "/unsubscribeSms", null);

    assertThat(email.status()).as(email.toString()).isEqualTo(404);
    assertThat(email.errorCode()).isEqualTo("ContactNotFound");
    assertThat(sms.status()).as(sms.toString()).isEqualTo(404);
    assertThat(sms.errorCode()).isEqualTo("ContactNotFound");
  }

  // --- delete ---

  @Test
  void deletedContactIsGoneAndDeletingAgainIsNotFound() {
    String email = Api.uniqueEmail();
    String id = create(Map.of("email", email));

    Api.Response deleted = api.delete(CONTACTS + "/" + id);
    Api.Response read = api.get(CONTACTS + "/" + id);
    Api.Response again = api.delete(CONTACTS + "/" + id);

    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    assertThat(read.status()).isEqualTo(404);
    assertThat(read.errorCode()).isEqualTo("ContactNotFound");
    assertThat(again.status()).as(again.toString()).isEqualTo(404);
    assertThat(again.errorCode()).isEqualTo("ContactNotFound");
    assertThat(api.get(CONTACTS + "/id?email=" + email).status()).isEqualTo(404);
    assertThat(
            jdbc.sql("select count(*) from contact_keys where contact_id = ?::uuid")
                .param(id)
                .query(Long.class)
                .single())
        .as("its key rows went with it")
        .isZero();
    assertThat(api.post(CONTACTS, Map.of("email", email)).status()).isEqualTo(201);
  }

  @Test
  void deleteOfAMalformedIdIsRejected() {
    Api.Response refused = api.delete(CONTACTS + "/nope");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo("InvalidContactId");
  }

  private void assertBareId(Api.Response response, String id) {
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.json().asString()).isEqualTo(id);
  }

  private JsonNode attributesOf(String id) {
    Api.Response response = api.get(CONTACTS + "/" + id);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json().path("attributes");
  }

  private String create(Map<String, ?> body) {
    Api.Response response = api.post(CONTACTS, body);
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json().path("id").asString();
  }

  private static String field(Api.Response response) {
    return response.json().path("messageDetails").path("field").asString();
  }
}

package org.stamkund.server.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Finding contacts: by id, by key, by external id, {@code /contacts/id} by every identifier,
 * counts, the contact overview and the person lookup.
 */
class ContactLookupIntegrationTests extends IntegrationTest {

  private static final String CONTACTS = "/api/v2/contacts";

  @Autowired JdbcContacts contacts;

  // --- by id ---

  @Test
  void contactIsReadByItsId() {
    String email = Api.uniqueEmail();
    String id = create(Map.of("email", email, "firstName", "Ida"));

    Api.Response found = api.get(CONTACTS + "/" + id);

    assertThat(found.status()).as(found.toString()).isEqualTo(200);
    assertThat(found.json().path("id").asString()).isEqualTo(id);
    assertThat(found.json().path("attributes").path("email").asString()).isEqualTo(email);
    assertThat(found.json().path("attributes").path("firstName").asString()).isEqualTo("Ida");
    assertThat(found.json().path("preferences").path("acceptsEmail").isBoolean()).isTrue();
    assertThat(found.json().path("consents").isArray()).isTrue();
  }

  @Test
  void malformedContactIdIsRejectedWithInvalidContactId() {
    Api.Response refused = api.get(CONTACTS + "/not-a-guid");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo("InvalidContactId");
    assertThat(field(refused)).isEqualTo("contactId");
  }

  @Test
  void unknownContactIdIsNotFound() {
    Api.Response missing = api.get(CONTACTS + "/" + UUID.randomUUID());

    assertThat(missing.status()).as(missing.toString()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo("ContactNotFound");
  }

  // --- by key and external id ---

  @Test
  void contactIsFoundByItsTypesKeyInTheQueryAndInThePath() {
    String email = Api.uniqueEmail();
    String id = create(Map.of("email", email));
    String upper = email.toUpperCase(java.util.Locale.ROOT);

    Api.Response byQuery = api.get(CONTACTS + "/Member/bykey?keyValue=" + email);
    Api.Response byPath = api.get(CONTACTS + "/member/bykey/" + upper);

    assertThat(byQuery.status()).as(byQuery.toString()).isEqualTo(200);
    assertThat(byQuery.json().path("id").asString()).isEqualTo(id);
    assertThat(byPath.status()).as(byPath.toString()).isEqualTo(200);
    assertThat(byPath.json().path("id").asString()).isEqualTo(id);
  }

  @Test
  void byKeyOfAnotherTypeOrAnUnknownValueIsNotFound() {
    String email = Api.uniqueEmail();
    create(Map.of("email", email));

    Api.Response otherType = api.get(CONTACTS + "/Contact/bykey/" + email);
    Api.Response unknown = api.get(CONTACTS + "/Member/bykey?keyValue=" + Api.uniqueEmail());

    assertThat(otherType.status()).as(otherType.toString()).isEqualTo(404);
    assertThat(otherType.errorCode()).isEqualTo("ContactNotFound");
    assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo("ContactNotFound");
  }

  @Test
  void byKeyRejectsAMissingOrMalformedKeyAndAnUnknownType() {
    Api.Response missing = api.get(CONTACTS + "/Member/bykey");
    Api.Response malformed = api.get(CONTACTS + "/Member/bykey?keyValue=not-an-email");
    Api.Response unknownType =
        api.get(CONTACTS + "/NoType" + ContactTestData.suffix() + "/bykey/" + Api.uniqueEmail());

    assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
    assertThat(field(missing)).isEqualTo("keyValue");
    assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);
    assertThat(malformed.errorCode()).isEqualTo("InvalidEmailAddress");
    assertThat(field(malformed)).isEqualTo("keyValue");
    assertThat(unknownType.status()).as(unknownType.toString()).isEqualTo(400);
    assertThat(unknownType.errorCode()).isEqualTo("InvalidContactType");
    assertThat(field(unknownType)).isEqualTo("contactType");
  }

  @Test
  void contactIsFoundByExternalIdWithinItsType() {
    String externalId = "ext-" + ContactTestData.suffix();
    String id = create(Map.of("email", Api.uniqueEmail(), "externalId", externalId));

    Api.Response found = api.get(CONTACTS + "/member/byexternalid/" + externalId);
    Api.Response otherType = api.get(CONTACTS + "/Contact/byexternalid/" + externalId);
    Api.Response unknown =
        api.get(CONTACTS + "/Member/byexternalid/ext-" + ContactTestData.suffix());

    assertThat(found.status()).as(found.toString()).isEqualTo(200);
    assertThat(found.json().path("id").asString()).isEqualTo(id);
    assertThat(otherType.status()).isEqualTo(404);
    assertThat(otherType.errorCode()).isEqualTo("ContactNotFound");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo("ContactNotFound");
  }

  @Test
  void sameExternalIdOnTwoContactsOfATypeIsAMultipleMatch() {
    String externalId = "ext-" + ContactTestData.suffix();
    String first = create(Map.of("email", Api.uniqueEmail(), "externalId", externalId));
    String second = create(Map.of("email", Api.uniqueEmail(), "externalId", externalId));

    Api.Response ambiguous = api.get(CONTACTS + "/Member/byexternalid/" + externalId);

    assertThat(ambiguous.status()).as(ambiguous.toString()).isEqualTo(409);
    assertThat(ambiguous.errorCode()).isEqualTo("MultipleMatches");
    List<String> matches = new ArrayList<>();
    for (JsonNode match : ambiguous.json().path("messageDetails").path("multipleMatchesFound")) {
      matches.add(match.asString());
    }
    assertThat(matches).containsExactlyInAnyOrder(first, second);
  }

  @Test
  void byKeyOfATypeWithTwoKeysIsRefused() {
    String type = ContactTestData.contactType(api, "TwoKeys_", "email", "mobilePhone");
    String phone = ContactTestData.mobilePhone();
    String id = create(Map.of("contactType", type, "mobilePhone", phone));

    Api.Response refused = api.get(CONTACTS + "/" + type + "/bykey/" + Api.uniqueEmail());

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo("ContactTypeHasMultipleKeys");
    assertBareId(
        api.get(CONTACTS + "/id?contactType=" + type + "&mobilePhone=%2B" + phone.substring(1)),
        id);
  }

  @Test
  void byKeyOfATypeKeyedByExternalIdFindsTheContact() {
    String type = ContactTestData.contactType(api, "ByExt_", "externalId");
    String externalId = "E-" + ContactTestData.suffix();
    String id = create(Map.of("contactType", type, "externalId", externalId));

    Api.Response byPath = api.get(CONTACTS + "/" + type + "/bykey/" + externalId);
    Api.Response byQuery = api.get(CONTACTS + "/" + type + "/bykey?keyValue=%20" + externalId);

    assertThat(byPath.json().path("id").asString()).as(byPath.toString()).isEqualTo(id);
    assertThat(byQuery.json().path("id").asString()).as(byQuery.toString()).isEqualTo(id);
  }

  @Test
  void byKeyOfATypeKeyedByMobilePhoneFollowsTheContactsCurrentNumber() {
    String type = ContactTestData.contactType(api, "ByPhone_", "mobilePhone");
    String phone = ContactTestData.mobilePhone();
    String id = create(Map.of("contactType", type, "mobilePhone", phone));
    String other =
        create(Map.of("contactType", type, "mobilePhone", ContactTestData.mobilePhone()));

    Api.Response found = api.get(CONTACTS + "/" + type + "/bykey/%2B" + phone.substring(1));
    assertThat(found.json().path("id").asString()).as(found.toString()).isEqualTo(id);
    // The same number under another type is not this type's key.
    assertThat(api.get(CONTACTS + "/Member/bykey/%2B" + phone.substring(1)).status())
        .isIn(400, 404);

    String newPhone = ContactTestData.mobilePhone();
    Api.Response changed = api.post(CONTACTS + "/" + id, Map.of("mobilePhone", newPhone));
    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    Api.Response old = api.get(CONTACTS + "/" + type + "/bykey/%2B" + phone.substring(1));
    assertThat(old.status()).as(old.toString()).isEqualTo(404);
    Api.Response current = api.get(CONTACTS + "/" + type + "/bykey/%2B" + newPhone.substring(1));
    assertThat(current.json().path("id").asString()).as(current.toString()).isEqualTo(id);
    assertThat(other).isNotEqualTo(id);
  }

  @Test
  void byKeyWithANulCharacterIsNotAServerError() {
    String type = ContactTestData.contactType(api, "ByExtNul_", "externalId");

    Api.Response byQuery = api.get(CONTACTS + "/" + type + "/bykey?keyValue=a%00b");

    assertThat(byQuery.status()).as(byQuery.toString()).isBetween(400, 499);
  }

  @Test
  void byExternalIdWithANulCharacterIsNotAServerError() {
    Api.Response byExternalId = api.get(CONTACTS + "/Member/byexternalid/a%00b");

    assertThat(byExternalId.status()).as(byExternalId.toString()).isBetween(400, 499);
  }

  // --- GET /contacts/id ---

  @Test
  void idIsResolvedByEmailAsABareJsonString() {
    String email = Api.uniqueEmail();
    String id = create(Map.of("email", email));

    Api.Response resolved =
        api.get(CONTACTS + "/id?email=" + email.toUpperCase(java.util.Locale.ROOT));

    assertBareId(resolved, id);
  }

  @Test
  void idIsResolvedByMobilePhoneEncodedOrWithItsPlusArrivingAsASpace() {
    String phone = ContactTestData.mobilePhone();
    String id = create(Map.of("email", Api.uniqueEmail(), "mobilePhone", phone));

    assertBareId(api.get(CONTACTS + "/id?mobilePhone=%2B" + phone.substring(1)), id);
    assertBareId(api.get(CONTACTS + "/id?mobilePhone=" + phone), id);
    assertBareId(api.get(CONTACTS + "/id?mobilePhone=0" + phone.substring(3)), id);
  }

  @Test
  void idIsResolvedByPersonnummerInItsTenAndTwelveDigitForms() {
    String pin = ContactTestData.personnummer();
    String id = create(Map.of("email", Api.uniqueEmail(), "socialSecurityNumber", pin));

    assertBareId(api.get(CONTACTS + "/id?socialSecurityNumber=" + pin), id);
    assertBareId(
        api.get(CONTACTS + "/id?socialSecurityNumber=" + ContactTestData.tenDigits(pin)), id);
    assertBareId(api.get(CONTACTS + "/id?socialSecurityNumber=" + pin.substring(2)), id);
  }

  @Test
  void finnishContactIsFoundByItsHetu() {
    String hetu = ContactTestData.hetu();
    String id =
        create(
            Map.of("email", Api.uniqueEmail(), "socialSecurityNumber", hetu, "countryCode", "FI"));

    assertBareId(api.get(CONTACTS + "/id?socialSecurityNumber=" + hetu), id);
    assertBareId(api.get(CONTACTS + "/id?any=" + hetu), id);
  }

  @Test
  void finnishContactWhoseHetuAlsoReadsAsASwedishNumberIsFoundByIt() {
    String hetu = ContactTestData.ambiguousHetu();
    String id =
        create(
            Map.of("email", Api.uniqueEmail(), "socialSecurityNumber", hetu, "countryCode", "FI"));

    assertBareId(api.get(CONTACTS + "/id?socialSecurityNumber=" + hetu), id);
  }

  @Test
  void idIsResolvedByCustomKeyMeaningTheMemberNumber() {
    JsonNode contact = createJson(Map.of("email", Api.uniqueEmail()));
    String memberNumber = contact.path("attributes").path("memberNumber").asString();

    assertBareId(
        api.get(CONTACTS + "/id?customKey=" + memberNumber), contact.path("id").asString());
  }

  @Test
  void idIsResolvedByAnyFromEmailPersonnummerPhoneOrMemberNumber() {
    String email = Api.uniqueEmail();
    String pin = ContactTestData.personnummer();
    String phone = ContactTestData.mobilePhone();
    JsonNode contact =
        createJson(Map.of("email", email, "socialSecurityNumber", pin, "mobilePhone", phone));
    String id = contact.path("id").asString();

    assertBareId(api.get(CONTACTS + "/id?any=" + email), id);
    assertBareId(api.get(CONTACTS + "/id?any=" + pin), id);
    assertBareId(api.get(CONTACTS + "/id?any=" + ContactTestData.tenDigits(pin)), id);
    assertBareId(api.get(CONTACTS + "/id?any=%2B" + phone.substring(1)), id);
    assertBareId(
        api.get(CONTACTS + "/id?any=" + contact.path("attributes").path("memberNumber").asString()),
        id);
  }

  @Test
  void contactTypeNarrowsTheResolvedId() {
    String email = Api.uniqueEmail();
    create(Map.of("email", email));

    Api.Response otherType = api.get(CONTACTS + "/id?contactType=Contact&email=" + email);
    Api.Response unknownType =
        api.get(CONTACTS + "/id?contactType=Nope" + ContactTestData.suffix() + "&email=" + email);

    assertThat(otherType.status()).as(otherType.toString()).isEqualTo(404);
    assertThat(otherType.errorCode()).isEqualTo("ContactNotFound");
    assertThat(unknownType.status()).as(unknownType.toString()).isEqualTo(400);
    assertThat(unknownType.errorCode()).isEqualTo("InvalidContactType");
  }

  @Test
  void idWithoutAnyIdentifierIsAnInvalidSearchQuery() {
    Api.Response none = api.get(CONTACTS + "/id");
    Api.Response blank = api.get(CONTACTS + "/id?email=&contactType=Member");

    assertThat(none.status()).as(none.toString()).isEqualTo(400);
    assertThat(none.errorCode()).isEqualTo("InvalidSearchQuery");
    assertThat(blank.status()).as(blank.toString()).isEqualTo(400);
    assertThat(blank.errorCode()).isEqualTo("InvalidSearchQuery");
  }

  @Test
  void malformedIdentifiersAreRejectedNamingTheParameter() {
    Api.Response email = api.get(CONTACTS + "/id?email=not-an-email");
    Api.Response phone = api.get(CONTACTS + "/id?mobilePhone=abc");
    Api.Response pin = api.get(CONTACTS + "/id?socialSecurityNumber=19510731-2324");

    assertThat(email.status()).as(email.toString()).isEqualTo(400);
    assertThat(email.errorCode()).isEqualTo("InvalidEmailAddress");
    assertThat(field(email)).isEqualTo("email");
    assertThat(phone.status()).as(phone.toString()).isEqualTo(400);
    assertThat(phone.errorCode()).isEqualTo("InvalidPhoneNumber");
    assertThat(field(phone)).isEqualTo("mobilePhone");
    assertThat(pin.status()).as(pin.toString()).isEqualTo(400);
    assertThat(pin.errorCode()).isEqualTo("InvalidSocialSecurityNumber");
    assertThat(field(pin)).isEqualTo("socialSecurityNumber");
  }

  @Test
  void unknownIdentifierIsNotFound() {
    Api.Response missing = api.get(CONTACTS + "/id?email=" + Api.uniqueEmail());

    assertThat(missing.status()).as(missing.toString()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo("ContactNotFound");
  }

  @Test
  void sameEmailAsMemberAndContactIsAMultipleMatchUnlessTheTypeIsGiven() {
    String email = Api.uniqueEmail();
    String member = create(Map.of("email", email));
    String contact = create(Map.of("contactType", "Contact", "email", email));

    Api.Response ambiguous = api.get(CONTACTS + "/id?email=" + email);

    assertThat(ambiguous.status()).as(ambiguous.toString()).isEqualTo(409);
    assertThat(ambiguous.errorCode()).isEqualTo("MultipleMatches");
    List<String> matches = new ArrayList<>();
    for (JsonNode match : ambiguous.json().path("messageDetails").path("multipleMatchesFound")) {
      matches.add(match.asString());
    }
    assertThat(matches).containsExactlyInAnyOrder(member, contact);
    assertBareId(api.get(CONTACTS + "/id?contactType=Contact&email=" + email), contact);
    assertBareId(api.get(CONTACTS + "/id?contactType=member&email=" + email), member);
    assertThat(api.get(CONTACTS + "/id?any=" + email).errorCode()).isEqualTo("MultipleMatches");
  }

  /**
   * Lookups made at once are read together (JdbcContacts' batched reads); each still gets its own
   * contact, a match of several still answers MultipleMatches, and an unknown key 404.
   */
  @Test
  void concurrentLookupsEachFindTheirOwnContact() throws Exception {
    Map<String, String> members = membersByEmail(24);
    List<String> emails = List.copyOf(members.keySet());
    List<String> ids = List.copyOf(members.values());
    String shared = Api.uniqueEmail();
    create(Map.of("email", shared));
    create(Map.of("contactType", "Contact", "email", shared));

    List<java.util.concurrent.Future<String>> answers = new ArrayList<>();
    try (var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int round = 0; round < 4; round++) {
        for (int i = 0; i < emails.size(); i++) {
          String email = emails.get(i);
          answers.add(
              callers.submit(
                  () -> api.get(CONTACTS + "/Member/bykey/" + email).json().path("id").asString()));
          answers.add(
              callers.submit(() -> api.get(CONTACTS + "/id?email=" + email).json().asString()));
        }
        answers.add(callers.submit(() -> api.get(CONTACTS + "/id?email=" + shared).errorCode()));
        answers.add(
            callers.submit(
                () ->
                    String.valueOf(
                        api.get(CONTACTS + "/Member/bykey/" + Api.uniqueEmail()).status())));
      }
    }

    int at = 0;
    for (int round = 0; round < 4; round++) {
      for (int i = 0; i < emails.size(); i++) {
        assertThat(answers.get(at++).get()).isEqualTo(ids.get(i));
        assertThat(answers.get(at++).get()).isEqualTo(ids.get(i));
      }
      assertThat(answers.get(at++).get()).isEqualTo("MultipleMatches");
      assertThat(answers.get(at++).get()).isEqualTo("404");
    }
  }

  /**
   * A batched read's statement has room for 4, 8, 16 or 32 keys, the rest nulls: at every size each
   * key gets its own contacts, an unknown key none, and a value several contacts share all of them.
   */
  @Test
  void batchedReadsAnswerEachKeyWithItsOwnContactsAtEveryStatementSize() {
    Map<String, String> members = membersByEmail(31);
    List<String> emails = List.copyOf(members.keySet());
    List<String> ids = List.copyOf(members.values());
    String phone = ContactTestData.mobilePhone();
    JsonNode first = createJson(Map.of("email", Api.uniqueEmail(), "mobilePhone", phone));
    JsonNode second = createJson(Map.of("email", Api.uniqueEmail(), "mobilePhone", phone));
    String storedPhone = first.path("attributes").path("mobilePhone").asString();

    for (int size : List.of(1, 3, 4, 5, 8, 9, 16, 17, 32)) {
      List<String> keys = new ArrayList<>(emails.subList(0, size - 1));
      keys.add(Api.uniqueEmail());

      Map<String, List<JdbcContacts.Read>> read = contacts.readByKeys("email", "Member", keys);
      Map<String, List<UUID>> found = contacts.idsByKeys("email", null, keys);

      assertThat(read).as("size %d", size).hasSize(size - 1);
      assertThat(found).as("size %d", size).hasSize(size - 1);
      for (int i = 0; i < size - 1; i++) {
        assertThat(read.get(emails.get(i)))
            .singleElement()
            .extracting(r -> r.contact().id().toString())
            .isEqualTo(ids.get(i));
        assertThat(found.get(emails.get(i))).containsExactly(UUID.fromString(ids.get(i)));
      }
    }
    assertThat(contacts.readByKeys("mobile_phone", "Member", List.of(storedPhone)).get(storedPhone))
        .hasSize(2); // at most two: enough to tell several
    // In creation order (a random phone number may, rarely, be another test's too).
    assertThat(contacts.idsByKeys("mobile_phone", "Member", List.of(storedPhone)).get(storedPhone))
        .containsSubsequence(
            UUID.fromString(first.path("id").asString()),
            UUID.fromString(second.path("id").asString()));
  }

  // --- counts ---

  @Test
  void countsAreBareIntegersThatGrowWithNewContacts() {
    long total = count(CONTACTS + "/count");
    long members = count(CONTACTS + "/Member/count");
    long contacts = count(CONTACTS + "/contact/count");

    create(Map.of("contactType", "Contact", "email", Api.uniqueEmail()));

    assertThat(count(CONTACTS + "/count")).isEqualTo(total + 1);
    assertThat(count(CONTACTS + "/Member/count")).isEqualTo(members);
    assertThat(count(CONTACTS + "/contact/count")).isEqualTo(contacts + 1);
  }

  @Test
  void countOfAnUnknownTypeIsRejected() {
    Api.Response refused = api.get(CONTACTS + "/Nope" + ContactTestData.suffix() + "/count");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo("InvalidContactType");
  }

  // --- contact overview ---

  @Test
  void contactOverviewShowsTheContactByIdOrByIdentifier() {
    String email = Api.uniqueEmail();
    String id = create(Map.of("email", email, "firstName", "Olle"));

    Api.Response byId = api.get("/api/v2/contactoverview?contactId=" + id);
    Api.Response byEmail = api.get("/api/v2/contactoverview?contactType=Member&email=" + email);

    assertThat(byId.status()).as(byId.toString()).isEqualTo(200);
    assertThat(byId.json().path("id").asString()).isEqualTo(id);
    assertThat(byId.json().path("attributes").path("firstName").asString()).isEqualTo("Olle");
    assertThat(byId.json().path("meta").path("contactType").asString()).isEqualTo("Member");
    assertThat(byEmail.status()).as(byEmail.toString()).isEqualTo(200);
    assertThat(byEmail.json().path("id").asString()).isEqualTo(id);
  }

  @Test
  void contactOverviewRejectsBadOrUnknownIds() {
    Api.Response malformed = api.get("/api/v2/contactoverview?contactId=nope");
    Api.Response unknown = api.get("/api/v2/contactoverview?contactId=" + UUID.randomUUID());
    Api.Response none = api.get("/api/v2/contactoverview");

    assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);
    assertThat(malformed.errorCode()).isEqualTo("InvalidContactId");
    assertThat(field(malformed)).isEqualTo("contactId");
    assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo("ContactNotFound");
    assertThat(none.status()).as(none.toString()).isEqualTo(400);
    assertThat(none.errorCode()).isEqualTo("InvalidSearchQuery");
  }

  // --- person lookup ---

  @Test
  void personLookupByPersonnummerAnswersTheSamePersonEveryTime() {
    String pin = ContactTestData.personnummer();
    String path = "/api/v2/personlookup/getpersonlookup?socialSecurityNumber=" + pin;

    Api.Response first = api.get(path);
    Api.Response second = api.get(path);
    Api.Response tenDigits =
        api.get(
            "/api/v2/personlookup/getpersonlookup?socialSecurityNumber="
                + ContactTestData.tenDigits(pin));

    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    assertThat(second.text()).isEqualTo(first.text());
    assertThat(tenDigits.text()).isEqualTo(first.text());
    JsonNode person = first.json();
    assertThat(person.path("searchKey").asString()).isEqualTo("SocialSecurityNumber");
    assertThat(person.path("firstName").asString()).isNotBlank();
    assertThat(person.path("lastName").asString()).isNotBlank();
    assertThat(person.path("birthDay").asString())
        .isEqualTo(pin.substring(0, 4) + "-" + pin.substring(4, 6) + "-" + pin.substring(6, 8));
    assertThat(person.path("gender").asString())
        .isEqualTo((pin.charAt(10) - '0') % 2 == 1 ? "Male" : "Female");
  }

  @Test
  void personLookupByPhoneNumberAnswersAPersonWithThatNumber() {
    String phone = ContactTestData.mobilePhone();

    Api.Response first =
        api.get("/api/v2/personlookup/getpersonlookup?phoneNumber=%2B" + phone.substring(1));
    Api.Response national =
        api.get("/api/v2/personlookup/getpersonlookup?phoneNumber=0" + phone.substring(3));

    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    assertThat(first.json().path("searchKey").asString()).isEqualTo("MobilePhone");
    assertThat(first.json().path("mobilePhoneNumber").asString()).isEqualTo(phone);
    assertThat(national.text()).isEqualTo(first.text());
  }

  @Test
  void personLookupOfAFinnishHetu() {
    String hetu = ContactTestData.hetu();

    Api.Response found =
        api.get("/api/v2/personlookup/getpersonlookup?countryCode=FI&socialSecurityNumber=" + hetu);

    assertThat(found.status()).as(found.toString()).isEqualTo(200);
    assertThat(found.json().path("searchKey").asString()).isEqualTo("SocialSecurityNumber");
    assertThat(found.json().path("country").asString()).isEqualTo("FI");
  }

  @Test
  void personLookupRejectsInvalidNumbersAndEmptyQueries() {
    String lookup = "/api/v2/personlookup/getpersonlookup";
    Api.Response pin = api.get(lookup + "?socialSecurityNumber=19510731-2324");
    Api.Response phone = api.get(lookup + "?phoneNumber=12ab");
    Api.Response none = api.get(lookup);
    Api.Response country = api.get(lookup + "?countryCode=DE&socialSecurityNumber=195107312323");

    assertThat(pin.status()).as(pin.toString()).isEqualTo(400);
    assertThat(pin.errorCode()).isEqualTo("InvalidSocialSecurityNumber");
    assertThat(field(pin)).isEqualTo("socialSecurityNumber");
    assertThat(phone.status()).as(phone.toString()).isEqualTo(400);
    assertThat(phone.errorCode()).isEqualTo("InvalidPhoneNumber");
    assertThat(field(phone)).isEqualTo("phoneNumber");
    assertThat(none.status()).as(none.toString()).isEqualTo(400);
    assertThat(none.errorCode()).isEqualTo("InvalidSearchQuery");
    assertThat(country.status()).as(country.toString()).isEqualTo(400);
    assertThat(country.errorCode()).isEqualTo("InvalidCountryCode");
    assertThat(field(country)).isEqualTo("countryCode");
  }

  private void assertBareId(Api.Response response, String id) {
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.text()).startsWith("\"").endsWith("\"");
    assertThat(response.json().isString()).isTrue();
    assertThat(response.json().asString()).isEqualTo(id);
  }

  /** Creates members, each with an e-mail of its own: their ids by e-mail, in creation order. */
  private Map<String, String> membersByEmail(int count) {
    Map<String, String> members = new java.util.LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String email = Api.uniqueEmail();
      members.put(email, create(Map.of("email", email)));
    }
    return members;
  }

  private String create(Map<String, ?> body) {
    return createJson(body).path("id").asString();
  }

  private JsonNode createJson(Map<String, ?> body) {
    Api.Response response = api.post(CONTACTS, body);
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json();
  }

  private long count(String path) {
    Api.Response response = api.get(path);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.text()).matches("\\d+");
    return Long.parseLong(response.text());
  }

  private static String field(Api.Response response) {
    return response.json().path("messageDetails").path("field").asString();
  }
}

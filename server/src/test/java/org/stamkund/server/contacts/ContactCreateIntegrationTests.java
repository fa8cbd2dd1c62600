package org.stamkund.server.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.JsonNode;

/** POST /api/v2/contacts: headers, types, validation, body handling and normalisation. */
class ContactCreateIntegrationTests extends IntegrationTest {

  private static final String CONTACTS = "/api/v2/contacts";

  @Autowired JdbcClient jdbc;
  @Autowired ContactManagement management;
  @Autowired org.springframework.transaction.support.TransactionTemplate transactions;
  @Autowired tools.jackson.databind.json.JsonMapper json;

  @Value("${local.server.port}")
  int localPort;

  // --- headers and types ---

  @Test
  void sourceAndStoreExternalIdHeadersBecomeSourceCreatedInStoreAndStore() {
    String email = Api.uniqueEmail();
    Api.Response created =
        api.post(
            CONTACTS,
            Map.of("email", email, "firstName", "Eva"),
            Map.of("source", "POS", "storeExternalId", "S-17"));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode contact = created.json();
    assertThat(contact.path("id").asString()).matches("[0-9a-f-]{36}");
    assertThat(contact.path("meta").path("source").asString()).isEqualTo("POS");
    assertThat(contact.path("meta").path("approved").asBoolean()).isTrue();
    assertThat(contact.path("attributes").path("createdInStore").asString()).isEqualTo("S-17");
    assertThat(contact.path("attributes").path("store").asString()).isEqualTo("S-17");
    assertThat(contact.path("attributes").path("firstName").asString()).isEqualTo("Eva");
  }

  @Test
  void contactWithoutContactTypeIsAMemberWithANumericMemberNumber() {
    JsonNode first = created(Map.of("email", Api.uniqueEmail()));
    JsonNode second = created(Map.of("email", Api.uniqueEmail()));

    assertThat(first.path("meta").path("contactType").asString()).isEqualTo("Member");
    assertThat(first.path("attributes").path("contactType").asString()).isEqualTo("Member");
    String number = first.path("attributes").path("memberNumber").asString();
    assertThat(number).matches("\\d+");
    assertThat(second.path("attributes").path("memberNumber").asString())
        .matches("\\d+")
        .isNotEqualTo(number);
  }

  @Test
  void contactTypeIsMatchedCaseInsensitively() {
    JsonNode contact = created(Map.of("contactType", "member", "email", Api.uniqueEmail()));

    assertThat(contact.path("meta").path("contactType").asString()).isEqualTo("Member");
    assertThat(contact.path("attributes").path("memberNumber").asString()).matches("\\d+");
  }

  @Test
  void unknownContactTypeIsRejectedAndNothingIsWritten() {
    String email = Api.uniqueEmail();
    Api.Response refused =
        api.post(
            CONTACTS,
            Map.of("contactType", "NoSuchType-" + ContactTestData.suffix(), "email", email));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo("InvalidContactType");
    assertThat(field(refused)).isEqualTo("contactType");
    assertThat(contactsWithEmail(email)).isZero();
  }

  // --- createAsUnapproved ---

  @Test
  void unapprovedContactIsNotCountedUntilAPreferenceApprovesIt() {
    long total = count("/api/v2/contacts/count");
    long members = count("/api/v2/contacts/Member/count");

    Api.Response created =
        api.post(
            CONTACTS, Map.of("email", Api.uniqueEmail()), Map.of("createAsUnapproved", "true"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().path("id").asString();
    assertThat(created.json().path("meta").path("approved").asBoolean()).isFalse();
    assertThat(count("/api/v2/contacts/count")).isEqualTo(total);
    assertThat(count("/api/v2/contacts/Member/count")).isEqualTo(members);

    Api.Response approved =
        api.post(CONTACTS + "/" + id + "/preferences/acceptsEmail", Map.of("value", true));
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    assertThat(approved.json().path("meta").path("approved").asBoolean()).isTrue();
    assertThat(approved.json().path("preferences").path("acceptsEmail").asBoolean()).isTrue();
    assertThat(count("/api/v2/contacts/count")).isEqualTo(total + 1);
    assertThat(count("/api/v2/contacts/Member/count")).isEqualTo(members + 1);
    assertThat(api.get(CONTACTS + "/" + id).json().path("meta").path("approved").asBoolean())
        .isTrue();
  }

  @Test
  void createAsUnapprovedFalseCreatesAnApprovedContactThatIsCounted() {
    long total = count("/api/v2/contacts/count");

    JsonNode contact =
        api.post(
                CONTACTS, Map.of("email", Api.uniqueEmail()), Map.of("createAsUnapproved", "false"))
            .json();

    assertThat(contact.path("meta").path("approved").asBoolean()).isTrue();
    assertThat(count("/api/v2/contacts/count")).isEqualTo(total + 1);
  }

  // --- validation ---

  @Test
  void contactWithoutItsKeyIsRejectedWithContactKeyMissing() {
    Api.Response refused = api.post(CONTACTS, Map.of("firstName", "Eva", "lastName", "Key"));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo("ContactKeyMissing");
    assertThat(field(refused)).isEqualTo("email");
  }

  @Test
  void invalidEmailIsRejectedNamingTheField() {
    Api.Response refused = api.post(CONTACTS, Map.of("email", "not-an-email"));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo("InvalidEmailAddress");
    assertThat(field(refused)).isEqualTo("email");
    assertThat(contactsWithEmail("not-an-email")).isZero();
  }

  @Test
  void invalidMobilePhoneIsRejectedNamingTheFieldAndNothingIsWritten() {
    String email = Api.uniqueEmail();
    Api.Response refused = api.post(CONTACTS, Map.of("email", email, "mobilePhone", "12ab"));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo("InvalidPhoneNumber");
    assertThat(field(refused)).isEqualTo("mobilePhone");
    assertThat(contactsWithEmail(email)).isZero();
    assertThat(api.get("/api/v2/contacts/id?email=" + email).status()).isEqualTo(404);
  }

  @Test
  void invalidPersonnummerIsRejectedNamingTheFieldAndNothingIsWritten() {
    String email = Api.uniqueEmail();
    String valid = ContactTestData.personnummer();
    String wrongCheckDigit =
        valid.substring(0, 11) + (char) ('0' + (valid.charAt(11) - '0' + 1) % 10);

    Api.Response refused =
        api.post(CONTACTS, Map.of("email", email, "socialSecurityNumber", wrongCheckDigit));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo("InvalidSocialSecurityNumber");
    assertThat(field(refused)).isEqualTo("socialSecurityNumber");
    assertThat(contactsWithEmail(email)).isZero();
  }

  @Test
  void everyViolationIsListedInMessageDetailsErrors() {
    Api.Response refused =
        api.post(
            CONTACTS,
            Map.of(
                "email", "nope@",
                "mobilePhone", "phone",
                "socialSecurityNumber", "123",
                "gender", "Robot",
                "birthDay", "yesterday"));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    Map<String, String> errors = new java.util.HashMap<>();
    for (JsonNode error : refused.json().path("messageDetails").path("errors")) {
      errors.put(error.path("field").asString(), error.path("errorCode").asString());
    }
    assertThat(errors)
        .containsEntry("email", "InvalidEmailAddress")
        .containsEntry("mobilePhone", "InvalidPhoneNumber")
        .containsEntry("socialSecurityNumber", "InvalidSocialSecurityNumber")
        .containsEntry("gender", "InvalidGender")
        .containsEntry("birthDay", "InvalidDate")
        .hasSize(5);
    assertThat(errors).containsEntry(field(refused), refused.errorCode());
  }

  @Test
  void objectOrArrayWhereAValueBelongsIsAnInvalidAttributeType() {
    String email = Api.uniqueEmail();
    Api.Response object =
        api.post(CONTACTS, Map.of("email", email, "firstName", Map.of("given", "Eva")));
    Api.Response array = api.post(CONTACTS, Map.of("email", email, "lastName", List.of("A", "B")));

    assertThat(object.status()).as(object.toString()).isEqualTo(422);
    assertThat(object.errorCode()).isEqualTo("InvalidAttributeType");
    assertThat(field(object)).isEqualTo("firstName");
    assertThat(array.status()).as(array.toString()).isEqualTo(422);
    assertThat(array.errorCode()).isEqualTo("InvalidAttributeType");
    assertThat(field(array)).isEqualTo("lastName");
    assertThat(contactsWithEmail(email)).isZero();
  }

  // --- the body on the wire ---

  @Test
  void malformedJsonIsRejectedWithInvalidJson() {
    Api.Response refused = api.post(CONTACTS, "{\"email\": \"a@example.se\",");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo("InvalidJson");
  }

  @Test
  void emptyBodyIsRejectedWithNoData() {
    Api.Response refused = api.post(CONTACTS, "");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo("NoData");
  }

  @Test
  void requestWithoutAnyBodyIsRejectedWithNoData() {
    Api.Response refused = api.post(CONTACTS, null);

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo("NoData");
  }

  @Test
  void jsonArrayBodyIsRejectedAndNothingIsWritten() {
    String email = Api.uniqueEmail();
    Api.Response refused = api.post(CONTACTS, "[{\"email\": \"" + email + "\"}]");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo("InvalidJson");
    assertThat(contactsWithEmail(email)).isZero();
  }

  @Test
  void bodyWithoutContentTypeIsReadAsJson() {
    String email = Api.uniqueEmail();
    Api.Response created =
        api.send(
            "POST",
            CONTACTS,
            "{\"email\": \"" + email + "\", \"firstName\": \"Bo\"}",
            Map.of("Content-Type", ""));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json().path("attributes").path("email").asString()).isEqualTo(email);
    assertThat(created.json().path("attributes").path("firstName").asString()).isEqualTo("Bo");
  }

  @Test
  void jsonBodySentAsFormUrlencodedIsReadAsJson() {
    String email = Api.uniqueEmail();
    Api.Response created =
        api.send(
            "POST",
            CONTACTS,
            "{\"email\": \"" + email + "\"}",
            Map.of("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json().path("attributes").path("email").asString()).isEqualTo(email);
  }

  @Test
  void bodyOverTwoMebibytesIsRejectedWithPayloadTooLarge() {
    String email = Api.uniqueEmail();
    String body =
        "{\"email\": \"" + email + "\", \"padding\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";

    Api.Response refused = api.post(CONTACTS, body);

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo("PayloadTooLarge");
    assertThat(field(refused)).isEqualTo("body");
    assertThat(contactsWithEmail(email)).isZero();
  }

  @Test
  void bodyJustUnderTheLimitIsAccepted() {
    String email = Api.uniqueEmail();
    String prefix = "{\"email\": \"" + email + "\", \"padding\": \"";
    String body = prefix + "x".repeat(2 * 1024 * 1024 - prefix.length() - 2) + "\"}";
    assertThat(body.length()).isEqualTo(2 * 1024 * 1024);

    Api.Response created = api.post(CONTACTS, body);

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
  }

  @Test
  void unknownFieldsAreIgnored() {
    String email = Api.uniqueEmail();
    Api.Response created =
        api.post(
            CONTACTS,
            Map.of(
                "email",
                email,
                "favouriteColour",
                "blue",
                "nested",
                Map.of("x", List.of(1, 2)),
                "memberNumber",
                "1"));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode attributes = created.json().path("attributes");
    assertThat(attributes.has("favouriteColour")).isFalse();
    assertThat(attributes.has("nested")).isFalse();
    assertThat(attributes.path("memberNumber").asString()).isNotEqualTo("1");
  }

  // --- normalisation ---

  @Test
  void emailIsStoredLowerCasedAndTrimmed() {
    String email = Api.uniqueEmail();
    JsonNode contact =
        created(Map.of("email", "  " + email.toUpperCase(java.util.Locale.ROOT) + " "));

    assertThat(contact.path("attributes").path("email").asString()).isEqualTo(email);
    assertThat(contactsWithEmail(email)).isEqualTo(1);
  }

  @Test
  void nationalMobileNumberIsStoredInE164() {
    String e164 = ContactTestData.mobilePhone();
    JsonNode contact =
        created(Map.of("email", Api.uniqueEmail(), "mobilePhone", ContactTestData.national(e164)));

    assertThat(ContactTestData.national("+46701234567")).isEqualTo("070-123 45 67");
    assertThat(contact.path("attributes").path("mobilePhone").asString()).isEqualTo(e164);
  }

  @Test
  void tenDigitPersonnummerIsStoredWithTwelveDigits() {
    JsonNode example =
        created(Map.of("email", Api.uniqueEmail(), "socialSecurityNumber", "510731-2323"));
    String random = ContactTestData.personnummer();
    JsonNode contact =
        created(
            Map.of(
                "email",
                Api.uniqueEmail(),
                "socialSecurityNumber",
                ContactTestData.tenDigits(random)));

    assertThat(example.path("attributes").path("socialSecurityNumber").asString())
        .isEqualTo("195107312323");
    assertThat(contact.path("attributes").path("socialSecurityNumber").asString())
        .isEqualTo(random);
    assertThat(api.delete(CONTACTS + "/" + example.path("id").asString()).status()).isEqualTo(200);
  }

  @Test
  void finnishHetuIsAcceptedWithCountryCodeFi() {
    JsonNode example =
        created(
            Map.of(
                "email",
                Api.uniqueEmail(),
                "socialSecurityNumber",
                "131052-308T",
                "countryCode",
                "fi"));
    String hetu = ContactTestData.hetu();
    JsonNode contact =
        created(
            Map.of("email", Api.uniqueEmail(), "socialSecurityNumber", hetu, "countryCode", "FI"));

    assertThat(example.path("attributes").path("socialSecurityNumber").asString())
        .isEqualTo("131052-308T");
    assertThat(example.path("attributes").path("countryCode").asString()).isEqualTo("FI");
    assertThat(contact.path("attributes").path("socialSecurityNumber").asString()).isEqualTo(hetu);
    assertThat(api.delete(CONTACTS + "/" + example.path("id").asString()).status()).isEqualTo(200);
  }

  @Test
  void personalIdentityNumberIsStoredOnlyEncrypted() {
    String pin = ContactTestData.personnummer();
    String ten = pin.substring(2);
    String type = ContactTestData.contactType(api, "Pin", "socialSecurityNumber", "email");
    String id =
        created(
                Map.of(
                    "contactType", type, "email", Api.uniqueEmail(), "socialSecurityNumber", pin))
            .path("id")
            .asString();

    String row =
        jdbc.sql("select row_to_json(c)::text from contacts c where c.id = ?::uuid")
            .param(id)
            .query(String.class)
            .single();
    String ciphertext =
        jdbc.sql("select encode(ssn_ciphertext, 'escape') from contacts where id = ?::uuid")
            .param(id)
            .query(String.class)
            .single();
    List<@Nullable String> keyValues =
        jdbc.sql("select value from contact_keys where contact_id = ?::uuid")
            .param(id)
            .query(String.class)
            .list();
    List<@Nullable String> columns =
        jdbc.sql("select column_name from information_schema.columns where table_name = 'contacts'")
            .query(String.class)
            .list();

    assertThat(row).doesNotContain(pin).doesNotContain(ten);
    assertThat(ciphertext).isNotEmpty().doesNotContain(pin).doesNotContain(ten);
    assertThat(keyValues).isNotEmpty().noneMatch(v -> v != null && v.contains(ten));
    assertThat(columns)
        .contains("ssn_ciphertext", "ssn_index")
        .doesNotContain("social_security_number", "ssn", "personnummer");
    assertThat(
            api.get(CONTACTS + "/" + id)
                .json()
                .path("attributes")
                .path("socialSecurityNumber")
                .asString())
        .isEqualTo(pin);
  }

  // --- edges of the wire and of the data ---

  @Test
  void bodyOverTwoMebibytesSentChunkedIsRejectedWithPayloadTooLarge() throws Exception {
    String email = Api.uniqueEmail();
    byte[] body =
        ("{\"email\": \"" + email + "\", \"padding\": \"" + "x".repeat(3 * 1024 * 1024) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + localPort + CONTACTS))
            .header("apikey", KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();

    HttpResponse<String> response;
    try (HttpClient client = HttpClient.newHttpClient()) {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(Api.parse(response.body()).path("errorCode").asString())
        .isEqualTo("PayloadTooLarge");
    assertThat(contactsWithEmail(email)).isZero();
  }

  @Test
  void whitespaceOnlyBodyIsRejectedAsABadRequest() {
    Api.Response refused = api.post(CONTACTS, "  \n ");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.errorCode()).isIn("NoData", "InvalidJson");
  }

  @Test
  void jsonNullBodyIsRejectedWithNoData() {
    Api.Response refused = api.post(CONTACTS, "null");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo("NoData");
  }

  @Test
  void deeplyNestedJsonIsRejectedAsABadRequest() {
    String email = Api.uniqueEmail();
    String body =
        "{\"email\": \"" + email + "\", \"deep\": " + "[".repeat(5000) + "]".repeat(5000) + "}";

    Api.Response refused = api.post(CONTACTS, body);

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo("InvalidJson");
    assertThat(contactsWithEmail(email)).isZero();
  }

  @Test
  void textLongerThanTheLimitIsRejectedWithValueTooLong() {
    String email = Api.uniqueEmail();
    Api.Response refused = api.post(CONTACTS, Map.of("email", email, "firstName", "x".repeat(513)));
    JsonNode accepted = created(Map.of("email", Api.uniqueEmail(), "firstName", "y".repeat(512)));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo("ValueTooLong");
    assertThat(field(refused)).isEqualTo("firstName");
    assertThat(contactsWithEmail(email)).isZero();
    assertThat(accepted.path("attributes").path("firstName").asString()).hasSize(512);
  }

  @Test
  void numberWhereTextBelongsIsStoredAsItsText() {
    JsonNode contact = created(Map.of("email", Api.uniqueEmail(), "zipCode", 22100));

    assertThat(contact.path("attributes").path("zipCode").asString()).isEqualTo("22100");
  }

  @Test
  void numberBeyondTheRangeOfADoubleIsRejectedNotAServerError() {
    String email = Api.uniqueEmail();
    Api.Response refused = api.post(CONTACTS, "{\"email\": \"" + email + "\", \"zipCode\": 1e400}");

    assertThat(refused.status()).as(refused.toString()).isBetween(400, 499);
    assertThat(contactsWithEmail(email)).isZero();
  }

  @Test
  void numberWithAHugeExponentIsRejectedNotExpanded() {
    String email = Api.uniqueEmail();
    Api.Response refused =
        api.post(CONTACTS, "{\"email\": \"" + email + "\", \"zipCode\": 1e999999999}");

    assertThat(refused.status()).as(refused.toString()).isBetween(400, 499);
    assertThat(contactsWithEmail(email)).isZero();
  }

  @Test
  void nulCharacterInATextValueIsRejectedNotAServerError() {
    String email = Api.uniqueEmail();
    Api.Response refused =
        api.post(CONTACTS, "{\"email\": \"" + email + "\", \"firstName\": \"Ev\\u0000a\"}");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(field(refused)).isEqualTo("firstName");
    assertThat(contactsWithEmail(email)).isZero();
  }

  @Test
  void nulCharacterInTheSourceOfAConsentIsRejectedNotAServerError() {
    String email = Api.uniqueEmail();
    String consent = "nul-" + ContactTestData.suffix();
    assertThat(api.put("/admin/consents/" + consent, Map.of("name", "Nul")).status())
        .isEqualTo(201);

    Api.Response refused =
        api.post(
            CONTACTS,
            "{\"email\": \""
                + email
                + "\", \"consents\": [{\"id\": \""
                + consent
                + "\", \"value\": true, \"source\": \"P\\u0000OS\"}]}");

    assertThat(refused.status()).as(refused.toString()).isBetween(400, 499);
    assertThat(contactsWithEmail(email)).isZero();
  }

  @Test
  void preferencesThatAreNotBooleansAreRejectedNamingThePreference() {
    String email = Api.uniqueEmail();
    Api.Response refused =
        api.post(CONTACTS, Map.of("email", email, "preferences", Map.of("acceptsSms", "often")));
    Api.Response notAnObject = api.post(CONTACTS, Map.of("email", email, "preferences", true));
    JsonNode lenient =
        created(
            Map.of(
                "email",
                Api.uniqueEmail(),
                "preferences",
                Map.of("acceptsEmail", "true", "acceptssms", true, "acceptsPostal", "")));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo("InvalidAttributeType");
    assertThat(field(refused)).isEqualTo("preferences.acceptsSms");
    assertThat(notAnObject.status()).as(notAnObject.toString()).isEqualTo(422);
    assertThat(field(notAnObject)).isEqualTo("preferences");
    assertThat(contactsWithEmail(email)).isZero();
    assertThat(lenient.path("preferences").path("acceptsEmail").asBoolean()).isTrue();
    assertThat(lenient.path("preferences").path("acceptsSms").asBoolean()).isTrue();
    assertThat(lenient.path("preferences").path("acceptsPostal").asBoolean()).isFalse();
  }

  @Test
  void contactTypeThatIsNotTextIsRejected() {
    String email = Api.uniqueEmail();
    Api.Response refused = api.post(CONTACTS, Map.of("contactType", 5, "email", email));

    assertThat(refused.status()).as(refused.toString()).isBetween(400, 422);
    assertThat(refused.errorCode()).isEqualTo("InvalidContactType");
    assertThat(field(refused)).isEqualTo("contactType");
    assertThat(contactsWithEmail(email)).isZero();
  }

  @Test
  void secondContactWithTheSameKeyLeavesOnlyTheFirstStored() {
    String email = Api.uniqueEmail();
    long total = count("/api/v2/contacts/count");
    created(Map.of("email", email, "firstName", "First"));

    Api.Response second = api.post(CONTACTS, Map.of("email", email, "firstName", "Second"));

    assertThat(second.status()).as(second.toString()).isEqualTo(409);
    assertThat(second.errorCode()).isEqualTo("ApprovedContactWithKeyExists");
    assertThat(field(second)).isEqualTo("email");
    assertThat(contactsWithEmail(email)).isEqualTo(1);
    assertThat(count("/api/v2/contacts/count")).isEqualTo(total + 1);
  }

  @Test
  void contactsOfATypeNotKeyedByEmailMayShareOneButNeverTheirKey() {
    String type = ContactTestData.contactType(api, "Phone", "mobilePhone");
    String email = Api.uniqueEmail();
    String phone = ContactTestData.mobilePhone();

    created(Map.of("contactType", type, "email", email, "mobilePhone", phone));
    created(
        Map.of("contactType", type, "email", email, "mobilePhone", ContactTestData.mobilePhone()));
    Api.Response samePhone =
        api.post(
            CONTACTS,
            Map.of("contactType", type, "email", Api.uniqueEmail(), "mobilePhone", phone));
    created(Map.of("email", email));
    Api.Response secondMember = api.post(CONTACTS, Map.of("email", email));

    assertThat(contactsWithEmail(email)).isEqualTo(3);
    assertThat(samePhone.status()).as(samePhone.toString()).isEqualTo(409);
    assertThat(samePhone.errorCode()).isEqualTo("ApprovedContactWithKeyExists");
    assertThat(field(samePhone)).isEqualTo("mobilePhone");
    assertThat(secondMember.status()).as(secondMember.toString()).isEqualTo(409);
    assertThat(field(secondMember)).isEqualTo("email");
  }

  @Test
  void aTakenKeyInsideAnEnclosingTransactionIsStillAConflictNamingItsHolder() {
    // As a storefront signup racing another one: the create runs inside the caller's transaction,
    // which the collision aborts.
    String email = Api.uniqueEmail();
    String holder = created(Map.of("email", email)).path("id").asString();
    ContactPayload payload =
        ContactPayload.parse(json.valueToTree(Map.of("email", email)), java.time.ZoneOffset.UTC);

    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                transactions.executeWithoutResult(
                    tx ->
                        management.create(
                            payload, new ContactManagement.Origin("test", null, false))));

    assertThat(thrown).isInstanceOf(org.stamkund.server.platform.ApiException.class);
    var conflict = (org.stamkund.server.platform.ApiException) thrown;
    assertThat(conflict.status().value()).isEqualTo(409);
    assertThat(conflict.errorCode()).isEqualTo("ApprovedContactWithKeyExists");
    assertThat(conflict.details()).containsEntry("field", "email");
    assertThat(String.valueOf(conflict.details().get("contactId"))).isEqualTo(holder);
    assertThat(contactsWithEmail(email)).isEqualTo(1);
  }

  @Test
  void concurrentCreatesWithTheSameKeyStoreExactlyOneContact() throws Exception {
    String email = Api.uniqueEmail();
    int threads = 12;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Api.Response>> futures = new java.util.ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int i = 0; i < threads; i++) {
        String name = "Racer" + i;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return api.post(CONTACTS, Map.of("email", email, "firstName", name));
                }));
      }
      start.countDown();
    }

    List<Integer> statuses = new java.util.ArrayList<>();
    for (Future<Api.Response> future : futures) {
      Api.Response response = future.get();
      statuses.add(response.status());
      if (response.status() == 409) {
        assertThat(response.errorCode())
            .isIn("ApprovedContactWithKeyExists", "ContactWithKeyIsBeingCreated");
      }
    }
    assertThat(statuses).containsOnly(201, 409).containsOnlyOnce(201);
    assertThat(contactsWithEmail(email)).isEqualTo(1);
  }

  private JsonNode created(Map<String, ?> body) {
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

  private long contactsWithEmail(String email) {
    return jdbc.sql("select count(*) from contacts where email = ?")
        .param(email.toLowerCase(java.util.Locale.ROOT))
        .query(Long.class)
        .single();
  }

  private static String field(Api.Response response) {
    return response.json().path("messageDetails").path("field").asString();
  }
}

package org.stamkund.server.storefront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stamkund.server.storefront.StorefrontFixtures.assign;
import static org.stamkund.server.storefront.StorefrontFixtures.channel;
import static org.stamkund.server.storefront.StorefrontFixtures.contact;
import static org.stamkund.server.storefront.StorefrontFixtures.graphql;
import static org.stamkund.server.storefront.StorefrontFixtures.key;
import static org.stamkund.server.storefront.StorefrontFixtures.member;
import static org.stamkund.server.storefront.StorefrontFixtures.promotion;
import static org.stamkund.server.storefront.StorefrontFixtures.purchase;
import static org.stamkund.server.storefront.StorefrontFixtures.storefront;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import org.stamkund.server.contacts.ContactTestData;
import org.stamkund.server.platform.DomainEvent;
import tools.jackson.databind.JsonNode;

/**
 * The storefront GraphQL API over plain HTTP against PostgreSQL: the five lookup statuses, masked
 * and encrypted values, person lookup, sign-up, both activations, the e-mailed password, login,
 * soft versus full login, the loyalty page and every error code.
 */
class StorefrontGraphQlIntegrationTests extends IntegrationTest {

  private static final String LOOKUP =
      """
      query ExternalLookup($key: String) {
        externalCustomerLookup(key: $key) {
          status
          customer {
            firstName { masked encrypted }
            lastName { masked encrypted }
            email { masked encrypted }
            countryCode { masked encrypted }
            externalId
          }
        }
      }
      """;

  private static final String BY_ID =
      """
      mutation ActivateByExternalId($input: ActivateExternalCustomerByIdInput) {
        activateExternalCustomerById(input: $input) {
          success
          token { value kind }
          customer { firstName { masked encrypted } lastName { masked encrypted } externalId }
        }
      }
      """;

  private static final String BY_TOKEN =
      """
      mutation ActivateByToken($input: ActivateExternalCustomerByTokenInput) {
        activateExternalCustomerByToken(input: $input) {
          success
          token { value kind }
          customer {
            firstName { masked encrypted }
            lastName { masked encrypted }
            email { masked encrypted }
            externalId
          }
        }
      }
      """;

  private static final String SIGNUP =
      """
      mutation Signup($input: SignupInput) {
        signup(input: $input) { success token { value kind } }
      }
      """;

  private static final String SET_PASSWORD =
      """
      mutation SetPassword($input: SetExternalCustomerPasswordInput) {
        setExternalCustomerPassword(input: $input) { success token { value kind } }
      }
      """;

  private static final String LOGIN =
      """
      mutation Login($input: LoginExternalCustomerInput) {
        loginExternalCustomer(input: $input) { success token { value kind } }
      }
      """;

  private static final String UPDATE =
      """
      mutation Update($input: UpdateExternalCustomerInput) {
        updateExternalCustomer(input: $input) { externalId firstName loginKind }
      }
      """;

  private static final String PROFILE = "{ customer { externalId email firstName loginKind } }";

  private static final String LOYALTY =
      """
      query Loyalties($includeRedeemed: Boolean!) {
        customerLoyalty {
          bonusChecks { name redeemed value }
          pointCards { name numberOfSlots numberOfSlotsRemaining }
          discounts(includeRedeemed: $includeRedeemed) {
            name description isActivatedByDiscountCode discountCode redeemed
          }
          bonusPoints { points }
        }
      }
      """;

  private static final List<DomainEvent> EVENTS = new CopyOnWriteArrayList<>();
  private static volatile boolean listening;

  @Autowired ConfigurableApplicationContext context;
  @Autowired CustomerTokens tokens;
  @Autowired JdbcClient jdbc;

  @BeforeEach
  void listenToDomainEvents() {
    if (!listening) {
      synchronized (EVENTS) {
        if (!listening) {
          context.addApplicationListener(
              (PayloadApplicationEvent<?> e) -> {
                if (e.getPayload() instanceof DomainEvent d) {
                  EVENTS.add(d);
                }
              });
          listening = true;
        }
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private Api.Response gql(String query, Map<String, Object> variables) {
    return graphql(api, query, variables, null);
  }

  private static JsonNode data(Api.Response r, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().path("errors").isMissingNode()).as(r.toString()).isTrue();
    return r.json().path("data").path(field);
  }

  /** The one error of an answer; its message and code checked by the caller. */
  private static JsonNode error(Api.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode errors = r.json().path("errors");
    assertThat(errors.size()).as(r.toString()).isEqualTo(1);
    JsonNode error = errors.get(0);
    String code = error.path("extensions").path("code").asString();
    assertThat(error.path("extensions").path("codes").get(0).asString()).isEqualTo(code);
    return error;
  }

  private static String code(Api.Response r) {
    return error(r).path("extensions").path("code").asString();
  }

  private static Map<String, Object> vars(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  private static Map<String, Object> input(Object... pairs) {
    return vars("input", vars(pairs));
  }

  /** A Member with first name, last name, e-mail and country SE; its id and e-mail. */
  private String[] fullMember() {
    String email = Api.uniqueEmail();
    String id =
        member(
            api,
            Map.of(
                "email", email, "firstName", "Erik", "lastName", "Karlsson", "countryCode", "SE"));
    return new String[] {id, email};
  }

  private String lookupStatus(Api client, String key) {
    return data(graphql(client, LOOKUP, vars("key", key), null), "externalCustomerLookup")
        .path("status")
        .asString();
  }

  /** The latest "set your password" event of a contact; fails the test when there is none. */
  private static DomainEvent passwordEvent(String contactId) {
    return EVENTS.stream()
        .filter(e -> e.type().equals("storefront.password_requested"))
        .filter(e -> contactId.equals(String.valueOf(e.contactId())))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no password event for " + contactId));
  }

  private String activate(String contactId) {
    JsonNode activated =
        data(gql(BY_ID, input("externalId", contactId)), "activateExternalCustomerById");
    assertThat(activated.path("success").asBoolean()).isTrue();
    assertThat(activated.path("token").path("kind").asString()).isEqualTo("SOFT");
    return activated.path("token").path("value").asString();
  }

  // ------------------------------------------------------------------ lookup: the five statuses

  @Test
  void lookupOfAnUnknownKeyIsNonExistingCustomerWithoutData() {
    JsonNode lookup = data(gql(LOOKUP, vars("key", Api.uniqueEmail())), "externalCustomerLookup");
    assertThat(lookup.path("status").asString()).isEqualTo("NON_EXISTING_CUSTOMER");
    assertThat(lookup.path("customer").isNull()).isTrue();
  }

  @Test
  void lookupOfAMemberWithoutAccountIsActivationRequiredWithMaskedAndEncryptedData() {
    String[] m = fullMember();
    JsonNode lookup = data(gql(LOOKUP, vars("key", m[1])), "externalCustomerLookup");
    assertThat(lookup.path("status").asString()).isEqualTo("ACTIVATION_REQUIRED");
    JsonNode customer = lookup.path("customer");
    assertThat(customer.path("externalId").asString()).isEqualTo(m[0]);
    assertThat(customer.path("firstName").path("masked").asString()).isEqualTo("Er**");
    assertThat(customer.path("lastName").path("masked").asString()).isEqualTo("Karl****");
    assertThat(customer.path("email").path("masked").asString()).isEqualTo(Masks.email(m[1]));
    assertThat(customer.path("email").path("masked").asString()).doesNotContain(m[1]);
    assertThat(customer.path("countryCode").path("masked").asString()).isEqualTo("SE");
    String encrypted = customer.path("firstName").path("encrypted").asString();
    assertThat(encrypted).isNotBlank().doesNotContain("Erik");
    assertThat(java.util.Base64.getDecoder().decode(encrypted)).hasSizeGreaterThan(16);
  }

  @Test
  void lookupOfAMemberMissingARequiredFieldIsAdditionalUserDataRequiredWithNullForTheGap() {
    String email = Api.uniqueEmail();
    String id = member(api, Map.of("email", email, "firstName", "Erik"));
    JsonNode lookup = data(gql(LOOKUP, vars("key", email)), "externalCustomerLookup");
    assertThat(lookup.path("status").asString()).isEqualTo("ADDITIONAL_USER_DATA_REQUIRED");
    assertThat(lookup.path("customer").path("externalId").asString()).isEqualTo(id);
    assertThat(lookup.path("customer").path("firstName").path("masked").asString())
        .isEqualTo("Er**");
    assertThat(lookup.path("customer").path("lastName").isNull()).isTrue();
  }

  @Test
  void lookupOfAMemberFromACountryTheStorefrontDoesNotServeIsCountryNotValidWithoutData() {
    String storefront = storefront(api, "email", List.of("SE", "NO"), List.of("email"));
    Api client = api.withKey(key(api, "storefront", storefront));
    String email = Api.uniqueEmail();
    member(api, Map.of("email", email, "firstName", "Aino", "countryCode", "FI"));
    JsonNode lookup =
        data(graphql(client, LOOKUP, vars("key", email), null), "externalCustomerLookup");
    assertThat(lookup.path("status").asString()).isEqualTo("COUNTRY_NOT_VALID");
    assertThat(lookup.path("customer").isNull()).isTrue();
    // the default storefront accepts every country
    assertThat(lookupStatus(api, email)).isEqualTo("ADDITIONAL_USER_DATA_REQUIRED");
  }

  @Test
  void lookupAfterActivationIsPreexistingCustomerWithoutData() {
    String[] m = fullMember();
    activate(m[0]);
    JsonNode lookup = data(gql(LOOKUP, vars("key", m[1])), "externalCustomerLookup");
    assertThat(lookup.path("status").asString()).isEqualTo("PREEXISTING_CUSTOMER");
    assertThat(lookup.path("customer").isNull()).isTrue();
  }

  @Test
  void lookupMatchesThePhoneOrThePersonalIdAsTheStorefrontIsConfigured() {
    String phone = ContactTestData.mobilePhone();
    String pid = ContactTestData.personnummer();
    member(
        api,
        Map.of(
            "email",
            Api.uniqueEmail(),
            "mobilePhone",
            phone,
            "socialSecurityNumber",
            pid,
            "firstName",
            "Lars"));
    Api byPhone =
        api.withKey(key(api, "storefront", storefront(api, "phone", List.of(), List.of())));
    Api byPid = api.withKey(key(api, "storefront", storefront(api, "pid", List.of(), List.of())));
    assertThat(lookupStatus(byPhone, ContactTestData.national(phone)))
        .isEqualTo("ACTIVATION_REQUIRED");
    assertThat(lookupStatus(byPid, ContactTestData.tenDigits(pid)))
        .isEqualTo("ACTIVATION_REQUIRED");
    assertThat(lookupStatus(byPhone, ContactTestData.mobilePhone()))
        .isEqualTo("NON_EXISTING_CUSTOMER");
  }

  @Test
  void lookupWithAMissingOrMalformedKeyOrAnUnconfiguredStorefrontFailsWithItsCode() {
    JsonNode malformed = error(gql(LOOKUP, vars("key", "not-an-email")));
    assertThat(malformed.path("extensions").path("code").asString())
        .isEqualTo("ExternalCustomerLookupFailed");
    assertThat(malformed.path("message").asString()).startsWith("key:");
    assertThat(code(gql(LOOKUP, vars()))).isEqualTo("ExternalCustomerLookupFailed");
    Api unconfigured = api.withKey(key(api, "storefront", "sf-nowhere-" + UUID.randomUUID()));
    Api.Response r = graphql(unconfigured, LOOKUP, vars("key", Api.uniqueEmail()), null);
    assertThat(code(r)).isEqualTo("ExternalCustomerLookupFailed");
    assertThat(error(r).path("message").asString()).contains("NotImplemented");
    assertThat(r.json().path("data").path("externalCustomerLookup").isNull()).isTrue();
  }

  @Test
  void masksFollowTheSeedsStyle() {
    assertThat(Masks.text("Erik")).isEqualTo("Er**");
    assertThat(Masks.email("hej@orkry.cool")).isEqualTo("h*j@o**ry.cool");
    assertThat(Masks.email("abd@jeabcop.se")).isEqualTo("a*d@je***op.se");
    assertThat(Masks.phone("+46701234567")).isEqualTo("+46*******67");
  }

  // ------------------------------------------------------------------ person lookup and sign-up

  @Test
  void personLookupValuesAreMaskedAndTheirEncryptedFormsSignUpTheCustomer() {
    String pid = ContactTestData.personnummer();
    JsonNode person =
        data(
            gql(
                """
                query PersonLookup($key: String) {
                  personLookup(key: $key) {
                    firstName { masked encrypted }
                    lastName { masked encrypted }
                    socialSecurityNumber { masked encrypted }
                    street { masked encrypted }
                  }
                }
                """,
                vars("key", pid)),
            "personLookup");
    String firstMasked = person.path("firstName").path("masked").asString();
    assertThat(firstMasked).contains("*");
    assertThat(person.path("socialSecurityNumber").path("masked").asString())
        .startsWith(pid.substring(0, 4))
        .endsWith("********");

    String email = Api.uniqueEmail();
    JsonNode signup =
        data(
            gql(
                SIGNUP,
                input(
                    "firstName", person.path("firstName").path("encrypted").asString(),
                    "lastName", person.path("lastName").path("encrypted").asString(),
                    "street", person.path("street").path("encrypted").asString(),
                    "email", email)),
            "signup");
    assertThat(signup.path("success").asBoolean()).isTrue();
    String token = signup.path("token").path("value").asString();
    JsonNode profile = data(graphql(api, PROFILE, vars(), token), "customer");
    assertThat(profile.path("email").asString()).isEqualTo(email);
    JsonNode stored = contact(api, profile.path("externalId").asString());
    assertThat(stored.path("attributes").path("firstName").asString())
        .startsWith(firstMasked.substring(0, firstMasked.indexOf('*')))
        .doesNotContain("*");
    assertThat(stored.path("attributes").path("street").asString()).isNotBlank();
    assertThat(stored.path("meta").path("source").asString()).isEqualTo("Storefront default");
  }

  @Test
  void personLookupWithAMalformedKeyFailsAndAnEmptyKeyToo() {
    assertThat(code(gql("{ personLookup(key: \"abc\") { firstName { masked } } }", vars())))
        .isEqualTo("PersonLookupFailed");
    assertThat(code(gql("{ personLookup { firstName { masked } } }", vars())))
        .isEqualTo("PersonLookupFailed");
  }

  @Test
  void signupWithoutPasswordIsASoftLoginAndQueuesTheSetPasswordMessage() {
    String email = Api.uniqueEmail();
    JsonNode signup =
        data(
            gql(
                SIGNUP,
                input(
                    "firstName", "Maja", "lastName", "Berg", "email", email, "countryCode", "se")),
            "signup");
    assertThat(signup.path("token").path("kind").asString()).isEqualTo("SOFT");
    String token = signup.path("token").path("value").asString();
    String id =
        data(graphql(api, PROFILE, vars(), token), "customer").path("externalId").asString();
    DomainEvent event = passwordEvent(id);
    assertThat(event).isNotNull();
    assertThat(event.data()).containsEntry("storefrontId", "default").containsKey("token");
    assertThat(event.data().toString()).doesNotContain(email);
    assertThat(lookupStatus(api, email)).isEqualTo("PREEXISTING_CUSTOMER");
  }

  @Test
  void signupWithAPasswordIsAFullLogin() {
    String email = Api.uniqueEmail();
    JsonNode signup =
        data(
            gql(
                SIGNUP,
                input(
                    "firstName",
                    "Maja",
                    "lastName",
                    "Berg",
                    "email",
                    email,
                    "password",
                    "correct horse battery")),
            "signup");
    assertThat(signup.path("token").path("kind").asString()).isEqualTo("FULL");
    JsonNode login =
        data(
            gql(LOGIN, input("key", email, "password", "correct horse battery")),
            "loginExternalCustomer");
    assertThat(login.path("token").path("kind").asString()).isEqualTo("FULL");
  }

  @Test
  void signupRefusesMissingRequiredFieldsTamperedOrMisplacedEncryptedValuesAndTakenKeys() {
    String email = Api.uniqueEmail();
    Api.Response missing = gql(SIGNUP, input("firstName", "Maja", "email", email));
    assertThat(code(missing)).isEqualTo("InvalidSignupInput");
    assertThat(error(missing).path("extensions").path("field").asString()).isEqualTo("lastName");
    assertThat(missing.json().path("data").path("signup").isNull()).isTrue();

    String[] m = fullMember();
    JsonNode customer =
        data(gql(LOOKUP, vars("key", m[1])), "externalCustomerLookup").path("customer");
    String sealedFirst = customer.path("firstName").path("encrypted").asString();
    // a sealed first name is not accepted as a last name
    Api.Response misplaced =
        gql(SIGNUP, input("firstName", "Maja", "lastName", sealedFirst, "email", email));
    assertThat(code(misplaced)).isEqualTo("InvalidSignupInput");
    assertThat(error(misplaced).path("message").asString()).startsWith("lastName:");
    byte[] bytes = java.util.Base64.getDecoder().decode(sealedFirst);
    bytes[bytes.length - 1] ^= 1;
    Api.Response tampered =
        gql(
            SIGNUP,
            input(
                "firstName",
                java.util.Base64.getEncoder().encodeToString(bytes),
                "lastName",
                "Berg",
                "email",
                email));
    assertThat(code(tampered)).isEqualTo("InvalidSignupInput");
    assertThat(error(tampered).path("message").asString()).startsWith("firstName:");

    Api.Response taken = gql(SIGNUP, input("firstName", "Maja", "lastName", "Berg", "email", m[1]));
    assertThat(code(taken)).isEqualTo("CustomerAlreadyExists");
    assertThat(
            code(
                gql(
                    SIGNUP,
                    input("firstName", "A", "lastName", "B", "email", email, "password", "short"))))
        .isEqualTo("InvalidPassword");
    assertThat(code(gql(SIGNUP, vars()))).isEqualTo("InvalidSignupInput");
    // nothing of the refused sign-ups was written
    assertThat(lookupStatus(api, email)).isEqualTo("NON_EXISTING_CUSTOMER");
  }

  @Test
  void signupFromACountryTheStorefrontDoesNotServeIsRefused() {
    String storefront = storefront(api, "email", List.of("SE"), List.of("email"));
    Api client = api.withKey(key(api, "storefront", storefront));
    String email = Api.uniqueEmail();
    Api.Response r = graphql(client, SIGNUP, input("email", email, "countryCode", "DK"), null);
    assertThat(code(r)).isEqualTo("CountryNotValid");
    assertThat(lookupStatus(client, email)).isEqualTo("NON_EXISTING_CUSTOMER");
  }

  // ------------------------------------------------------------------ the whole journey

  @Test
  void shopperGoesFromLookupThroughActivationSoftLoginPasswordAndLoginToTheLoyaltyPage() {
    String[] m = fullMember();
    String id = m[0];
    JsonNode lookup = data(gql(LOOKUP, vars("key", m[1])), "externalCustomerLookup");
    assertThat(lookup.path("status").asString()).isEqualTo("ACTIVATION_REQUIRED");

    String soft = activate(lookup.path("customer").path("externalId").asString());
    DomainEvent event = passwordEvent(id);
    assertThat(event).isNotNull();
    assertThat(event.data()).containsEntry("reason", "activation");

    // soft login: reads personal data and loyalty, cannot change account data
    JsonNode profile = data(graphql(api, PROFILE, vars(), soft), "customer");
    assertThat(profile.path("externalId").asString()).isEqualTo(id);
    assertThat(profile.path("firstName").asString()).isEqualTo("Erik");
    assertThat(profile.path("loginKind").asString()).isEqualTo("SOFT");
    assertThat(
            data(graphql(api, LOYALTY, vars("includeRedeemed", false), soft), "customerLoyalty")
                .path("bonusPoints")
                .path("points")
                .asLong())
        .isZero();
    Api.Response softUpdate = graphql(api, UPDATE, input("firstName", "Erika"), soft);
    assertThat(code(softUpdate)).isEqualTo("FullLoginRequired");
    assertThat(contact(api, id).path("attributes").path("firstName").asString()).isEqualTo("Erik");

    // the e-mailed token sets the password once and logs in fully
    String passwordToken = String.valueOf(event.data().get("token"));
    JsonNode set =
        data(
            gql(SET_PASSWORD, input("token", passwordToken, "password", "s3cret-enough")),
            "setExternalCustomerPassword");
    assertThat(set.path("token").path("kind").asString()).isEqualTo("FULL");
    assertThat(code(gql(SET_PASSWORD, input("token", passwordToken, "password", "another-secret"))))
        .isEqualTo("InvalidPasswordToken");

    JsonNode login =
        data(gql(LOGIN, input("key", m[1], "password", "s3cret-enough")), "loginExternalCustomer");
    String full = login.path("token").path("value").asString();
    JsonNode updated =
        data(graphql(api, UPDATE, input("firstName", "Erika"), full), "updateExternalCustomer");
    assertThat(updated.path("firstName").asString()).isEqualTo("Erika");
    assertThat(updated.path("loginKind").asString()).isEqualTo("FULL");
    assertThat(contact(api, id).path("attributes").path("firstName").asString()).isEqualTo("Erika");

    assertThat(code(gql(LOGIN, input("key", m[1], "password", "wrong-password"))))
        .isEqualTo("LoginFailed");
    assertThat(code(gql(LOGIN, input("key", Api.uniqueEmail(), "password", "s3cret-enough"))))
        .isEqualTo("LoginFailed");

    // a reset queues a new token; setting the password again ends earlier full logins
    data(
        gql(
            "mutation R($input: RequestExternalCustomerPasswordInput) {"
                + " requestExternalCustomerPassword(input: $input) { success } }",
            input("key", m[1])),
        "requestExternalCustomerPassword");
    DomainEvent reset = passwordEvent(id);
    assertThat(reset).isNotNull();
    assertThat(reset.data()).containsEntry("reason", "reset");
    data(
        gql(
            SET_PASSWORD,
            input("token", String.valueOf(reset.data().get("token")), "password", "newer-secret")),
        "setExternalCustomerPassword");
    assertThat(code(graphql(api, PROFILE, vars(), full))).isEqualTo("Unauthorized");
    // the soft login of the activation still reads
    assertThat(data(graphql(api, PROFILE, vars(), soft), "customer").path("externalId").asString())
        .isEqualTo(id);
  }

  @Test
  void fiveWrongPasswordsLockTheKeyForAWhileAndASuccessAfterwardsClearsTheCount() {
    String email = Api.uniqueEmail();
    data(
        gql(
            SIGNUP,
            input("firstName", "Tor", "lastName", "Lund", "email", email, "password", "right one")),
        "signup");
    for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
      assertThat(code(gql(LOGIN, input("key", email, "password", "wrong " + i))))
          .isEqualTo("LoginFailed");
    }
    // Locked: even the right password is refused, before it is checked, and not counted.
    Api.Response locked = gql(LOGIN, input("key", email, "password", "right one"));
    assertThat(code(locked)).isEqualTo("LoginThrottled");
    assertThat(
            locked
                .json()
                .path("errors")
                .get(0)
                .path("extensions")
                .path("retryAfterSeconds")
                .asLong())
        .isBetween(1L, LoginThrottle.FIRST_LOCK.toSeconds());
    assertThat(
            code(
                gql(
                    LOGIN,
                    input("key", email.toUpperCase(java.util.Locale.ROOT), "password", "x"))))
        .as("the same key in other letters")
        .isEqualTo("LoginThrottled");
    var rows =
        jdbc.sql("select key_fingerprint, failures from storefront_login_failures")
            .query()
            .listOfRows();
    assertThat(rows).noneMatch(r -> String.valueOf(r.get("key_fingerprint")).contains(email));
    assertThat(rows)
        .anyMatch(r -> Integer.valueOf(LoginThrottle.FREE_FAILURES).equals(r.get("failures")));
    // Another key of the same storefront is not locked.
    assertThat(code(gql(LOGIN, input("key", Api.uniqueEmail(), "password", "x"))))
        .isEqualTo("LoginFailed");

    // The lock ends; the right password logs in and clears the count.
    jdbc.sql(
            "update storefront_login_failures set last_failure_at = last_failure_at - ?::interval"
                + " where failures = ?")
        .params(LoginThrottle.FIRST_LOCK.toSeconds() + 1 + " seconds", LoginThrottle.FREE_FAILURES)
        .update();
    JsonNode login =
        data(gql(LOGIN, input("key", email, "password", "right one")), "loginExternalCustomer");
    assertThat(login.path("token").path("kind").asString()).isEqualTo("FULL");
    assertThat(
            jdbc.sql("select count(*) from storefront_login_failures where failures = ?")
                .param(LoginThrottle.FREE_FAILURES)
                .query(Long.class)
                .single())
        .isZero();
    assertThat(code(gql(LOGIN, input("key", email, "password", "wrong again"))))
        .isEqualTo("LoginFailed");
  }

  @Test
  void customerLoyaltyShowsVouchersDiscountsAndPointsOfTheLoggedInCustomerOnly() {
    String[] m = fullMember();
    String id = m[0];
    purchase(api, m[1], "633.00");
    String code = StorefrontFixtures.unique("CODE");
    String online =
        promotion(
            api,
            "Alla glada",
            List.of(channel("ECOM", "EXTERNALOFFER", code), channel("POS", "PERCENT", "20")));
    String inStore = promotion(api, "Butik", List.of(channel("POS", "PERCENT", "10")));
    assign(api, id, online);
    String redeemed = assign(api, id, inStore);
    Api.Response redemption =
        api.post(
            "/api/v2/promotions/codes/" + redeemed + "/redeem", Map.of("redemptionChannel", "POS"));
    assertThat(redemption.status()).as(redemption.toString()).isEqualTo(200);
    String soft = activate(id);

    JsonNode page =
        data(graphql(api, LOYALTY, vars("includeRedeemed", false), soft), "customerLoyalty");
    assertThat(page.path("bonusPoints").path("points").asLong()).isEqualTo(133);
    assertThat(page.path("bonusChecks").size()).isEqualTo(1);
    assertThat(page.path("bonusChecks").get(0).path("value").decimalValue())
        .isEqualByComparingTo("50");
    assertThat(page.path("bonusChecks").get(0).path("redeemed").asBoolean()).isFalse();
    assertThat(page.path("pointCards").isArray()).isTrue();
    assertThat(page.path("discounts").size()).isEqualTo(1);
    JsonNode discount = page.path("discounts").get(0);
    assertThat(discount.path("name").asString()).isEqualTo("Alla glada");
    assertThat(discount.path("description").asString()).isEqualTo("For you");
    assertThat(discount.path("isActivatedByDiscountCode").asBoolean()).isTrue();
    assertThat(discount.path("discountCode").asString()).isEqualTo(code);

    JsonNode all =
        data(graphql(api, LOYALTY, vars("includeRedeemed", true), soft), "customerLoyalty");
    assertThat(all.path("discounts").size()).isEqualTo(2);
    JsonNode butik = all.path("discounts").get(1);
    assertThat(butik.path("name").asString()).isEqualTo("Butik");
    assertThat(butik.path("redeemed").asBoolean()).isTrue();
    assertThat(butik.path("isActivatedByDiscountCode").asBoolean()).isFalse();
    assertThat(butik.path("discountCode").isNull()).isTrue();

    // another customer's token sees only its own page
    String[] other = fullMember();
    JsonNode otherPage =
        data(
            graphql(api, LOYALTY, vars("includeRedeemed", true), activate(other[0])),
            "customerLoyalty");
    assertThat(otherPage.path("discounts").size()).isZero();
    assertThat(otherPage.path("bonusChecks").size()).isZero();
  }

  // ------------------------------------------------------------------ tokens

  @Test
  void customerTokensMustBePresentSignedUnexpiredAndFromThisStorefront() {
    String[] m = fullMember();
    String soft = activate(m[0]);
    Api.Response none = graphql(api, LOYALTY, vars("includeRedeemed", false), null);
    assertThat(code(none)).isEqualTo("Unauthorized");
    assertThat(none.json().path("data").path("customerLoyalty").isNull()).isTrue();

    char last = soft.charAt(soft.length() - 1);
    String tamperedMac = soft.substring(0, soft.length() - 1) + (last == 'A' ? 'B' : 'A');
    assertThat(code(graphql(api, PROFILE, vars(), tamperedMac))).isEqualTo("Unauthorized");
    // a payload changed to another contact or to a FULL login fails the signature too
    String[] parts = soft.split("\\.", -1);
    String payload =
        new String(
            java.util.Base64.getUrlDecoder().decode(parts[1]),
            java.nio.charset.StandardCharsets.UTF_8);
    String forged =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                payload.replace("SOFT", "FULL").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String upgraded = parts[0] + "." + forged + "." + parts[2] + "." + parts[3];
    assertThat(code(graphql(api, UPDATE, input("firstName", "Mallory"), upgraded)))
        .isEqualTo("Unauthorized");
    assertThat(code(graphql(api, PROFILE, vars(), "garbage"))).isEqualTo("Unauthorized");

    String expired =
        tokens.issue(
            new CustomerTokens.Token(
                CustomerTokens.Kind.SOFT,
                "default",
                UUID.fromString(m[0]),
                Instant.now().minusSeconds(1),
                0));
    Api.Response late = graphql(api, PROFILE, vars(), expired);
    assertThat(code(late)).isEqualTo("Unauthorized");
    assertThat(error(late).path("message").asString()).contains("expired");

    // the same customer token from another storefront's key
    Api elsewhere =
        api.withKey(key(api, "storefront", storefront(api, "email", List.of(), List.of())));
    assertThat(code(graphql(elsewhere, PROFILE, vars(), soft))).isEqualTo("Unauthorized");
    // X-Customer-Token works as well as Authorization
    Map<String, Object> body = new HashMap<>();
    body.put("query", PROFILE);
    Api.Response viaHeader =
        api.post("/graphql", body, Map.of("X-Customer-Token", soft, "Accept", "application/json"));
    assertThat(data(viaHeader, "customer").path("externalId").asString()).isEqualTo(m[0]);
  }

  @Test
  void aRotatedKeyRingStillOpensOldValuesAndVerifiesOldTokens() {
    byte[] k1 = new byte[32];
    byte[] k2 = new byte[32];
    k2[0] = 1;
    StorefrontCrypto before = new StorefrontCrypto(Map.of(1, k1), 1);
    StorefrontCrypto after = new StorefrontCrypto(Map.of(1, k1, 2, k2), 2);
    String sealed = before.seal("firstName", "Erik");
    assertThat(after.open("firstName", sealed)).isEqualTo(new StorefrontCrypto.Unsealed("Erik"));
    assertThat(after.open("lastName", sealed)).isInstanceOf(StorefrontCrypto.Invalid.class);
    assertThat(after.open("firstName", "Erik")).isEqualTo(new StorefrontCrypto.Plain("Erik"));
    String signed = before.sign("stk1.payload");
    assertThat(after.verify(signed)).isEqualTo("stk1.payload");
    assertThat(after.sign("x")).contains(".2.");
    // a ring without the old key opens nothing of it
    StorefrontCrypto rotatedOut = new StorefrontCrypto(Map.of(2, k2), 2);
    assertThat(rotatedOut.open("firstName", sealed)).isInstanceOf(StorefrontCrypto.Invalid.class);
    assertThat(rotatedOut.verify(signed)).isNull();
  }

  // ------------------------------------------------------------------ activation errors

  @Test
  void activationByIdRefusesUnknownMalformedAndAlreadyActivatedCustomers() {
    Api.Response unknown = gql(BY_ID, input("externalId", UUID.randomUUID().toString()));
    assertThat(code(unknown)).isEqualTo("InvalidCustomerActivateInput");
    assertThat(error(unknown).path("message").asString()).isEqualTo("NonExistingCustomer");
    assertThat(code(gql(BY_ID, input("externalId", "nope"))))
        .isEqualTo("InvalidCustomerActivateInput");
    assertThat(code(gql(BY_ID, vars()))).isEqualTo("InvalidCustomerActivateInput");
    String[] m = fullMember();
    activate(m[0]);
    Api.Response again = gql(BY_ID, input("externalId", m[0]));
    assertThat(error(again).path("message").asString()).isEqualTo("PreexistingCustomer");
  }

  @Test
  void activationByIdOfACustomerMissingDataAnswersTheMaskedCustomerAndWritesNothingUntilFilled() {
    String email = Api.uniqueEmail();
    String id = member(api, Map.of("email", email, "firstName", "Erik"));
    Api.Response r = gql(BY_ID, input("externalId", id));
    JsonNode error = error(r);
    assertThat(error.path("message").asString()).isEqualTo("AdditionalUserDataRequired");
    assertThat(error.path("extensions").path("code").asString())
        .isEqualTo("InvalidCustomerActivateInput");
    JsonNode result = r.json().path("data").path("activateExternalCustomerById");
    assertThat(result.path("success").asBoolean()).isFalse();
    assertThat(result.path("token").isNull()).isTrue();
    assertThat(result.path("customer").path("firstName").path("masked").asString())
        .isEqualTo("Er**");
    assertThat(result.path("customer").path("lastName").isNull()).isTrue();
    assertThat(lookupStatus(api, email)).isEqualTo("ADDITIONAL_USER_DATA_REQUIRED");

    // filling the gap activates, and an existing value is not overwritten by an activation
    String token =
        data(
                gql(BY_ID, input("externalId", id, "lastName", "Lind", "firstName", "Mallory")),
                "activateExternalCustomerById")
            .path("token")
            .path("value")
            .asString();
    assertThat(token).isNotBlank();
    JsonNode stored = contact(api, id).path("attributes");
    assertThat(stored.path("lastName").asString()).isEqualTo("Lind");
    assertThat(stored.path("firstName").asString()).isEqualTo("Erik");
  }

  @Test
  void activationByIdOfACustomerFromACountryTheStorefrontDoesNotServeIsRefused() {
    Api client =
        api.withKey(key(api, "storefront", storefront(api, "email", List.of("SE"), List.of())));
    String id = member(api, Map.of("email", Api.uniqueEmail(), "countryCode", "FI"));
    Api.Response r = graphql(client, BY_ID, input("externalId", id), null);
    assertThat(code(r)).isEqualTo("InvalidCustomerActivateInput");
    assertThat(error(r).path("message").asString()).isEqualTo("CountryNotValid");
  }

  @Test
  void activationByCampaignTokenSoftLogsInAndAnswersMissingDataAsTheSeedShows() {
    String[] m = fullMember();
    Api.Response issued =
        api.post("/admin/storefronts/campaign-tokens", Map.of("contactId", m[0], "validDays", 5));
    assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
    String campaign = issued.json().path("token").asString();
    JsonNode ok = data(gql(BY_TOKEN, input("token", campaign)), "activateExternalCustomerByToken");
    assertThat(ok.path("success").asBoolean()).isTrue();
    assertThat(ok.path("customer").isNull()).isTrue();
    assertThat(ok.path("token").path("kind").asString()).isEqualTo("SOFT");
    assertThat(passwordEvent(m[0])).isNotNull();
    // the link clicked again by an activated customer soft-logs in again
    JsonNode again =
        data(gql(BY_TOKEN, input("token", campaign)), "activateExternalCustomerByToken");
    assertThat(again.path("success").asBoolean()).isTrue();

    String email = Api.uniqueEmail();
    String id = member(api, Map.of("email", email, "firstName", "Erik"));
    String token =
        api.post("/admin/storefronts/campaign-tokens", Map.of("contactId", id))
            .json()
            .path("token")
            .asString();
    Api.Response r = gql(BY_TOKEN, input("token", token));
    JsonNode error = error(r);
    assertThat(error.path("message").asString()).isEqualTo("AdditionalUserDataRequired");
    assertThat(error.path("extensions").path("code").asString())
        .isEqualTo("InvalidCustomerActivateInput");
    JsonNode result = r.json().path("data").path("activateExternalCustomerByToken");
    assertThat(result.path("success").asBoolean()).isFalse();
    assertThat(result.path("customer").path("firstName").path("masked").asString())
        .isEqualTo("Er**");
    assertThat(result.path("customer").path("email").path("masked").asString())
        .isEqualTo(Masks.email(email));
    assertThat(result.path("customer").path("externalId").asString()).isEqualTo(id);
  }

  @Test
  void activationByAnExpiredTamperedOrForeignTokenIsRefused() {
    String[] m = fullMember();
    String expired =
        tokens.issue(
            new CustomerTokens.Token(
                CustomerTokens.Kind.CAMPAIGN,
                CustomerTokens.ANY_STOREFRONT,
                UUID.fromString(m[0]),
                Instant.now().minusSeconds(60),
                0));
    Api.Response late = gql(BY_TOKEN, input("token", expired));
    assertThat(code(late)).isEqualTo("InvalidCustomerActivateInput");
    assertThat(error(late).path("message").asString()).isEqualTo("TokenExpired");
    String valid =
        api.post("/admin/storefronts/campaign-tokens", Map.of("contactId", m[0]))
            .json()
            .path("token")
            .asString();
    String tampered = valid.substring(0, valid.length() - 2) + "xx";
    assertThat(error(gql(BY_TOKEN, input("token", tampered))).path("message").asString())
        .isEqualTo("TokenInvalid");
    // a login token is not a campaign token
    String soft = activate(fullMember()[0]);
    assertThat(error(gql(BY_TOKEN, input("token", soft))).path("message").asString())
        .isEqualTo("TokenInvalid");
    assertThat(lookupStatus(api, m[1])).isEqualTo("ACTIVATION_REQUIRED");
  }

  // ------------------------------------------------------------------ schema, scopes, admin

  @Test
  void schemaIsIntrospectableWithTheFiveStatuses() {
    JsonNode type =
        data(
            gql(
                "{ __type(name: \"ExternalCustomerLookupStatus\") { enumValues { name } } }",
                vars()),
            "__type");
    assertThat(type.path("enumValues").findValuesAsString("name"))
        .containsExactlyInAnyOrder(
            "NON_EXISTING_CUSTOMER",
            "PREEXISTING_CUSTOMER",
            "ACTIVATION_REQUIRED",
            "ADDITIONAL_USER_DATA_REQUIRED",
            "COUNTRY_NOT_VALID");
    assertThat(
            data(gql("{ __schema { mutationType { name } } }", vars()), "__schema")
                .path("mutationType")
                .path("name")
                .asString())
        .isEqualTo("Mutation");
    Api.Response printed = api.get("/graphql/schema");
    assertThat(printed.status()).as(printed.toString()).isEqualTo(200);
    assertThat(printed.text()).contains("externalCustomerLookup(key: String)");
  }

  @Test
  void malformedRequestsAreClientErrorsNeverServerErrors() {
    Api.Response notJson = api.post("/graphql", "{not json", Map.of("Accept", "application/json"));
    assertThat(notJson.status()).as(notJson.toString()).isBetween(400, 499);
    Api.Response noQuery =
        api.post("/graphql", Map.of("variables", Map.of()), Map.of("Accept", "application/json"));
    assertThat(noQuery.status()).as(noQuery.toString()).isBetween(200, 499);
    Api.Response wrongType = gql("{ externalCustomerLookup(key: 5) { status } }", vars());
    assertThat(wrongType.status()).as(wrongType.toString()).isBetween(200, 499);
    assertThat(wrongType.json().path("errors").size()).isPositive();
  }

  @Test
  void signupRefusedByTheContactRulesWritesNothing() {
    Api byPhone =
        api.withKey(key(api, "storefront", storefront(api, "phone", List.of(), List.of())));
    String phone = ContactTestData.mobilePhone();
    // a Member needs an e-mail: the contact register refuses, and no account is left behind
    Api.Response r = graphql(byPhone, SIGNUP, input("mobilePhone", phone, "firstName", "Bo"), null);
    assertThat(code(r)).isEqualTo("InvalidSignupInput");
    assertThat(error(r).path("extensions").path("field").asString()).isEqualTo("email");
    assertThat(lookupStatus(byPhone, phone)).isEqualTo("NON_EXISTING_CUSTOMER");
    JsonNode ok =
        data(
            graphql(
                byPhone,
                SIGNUP,
                input("mobilePhone", phone, "firstName", "Bo", "email", Api.uniqueEmail()),
                null),
            "signup");
    assertThat(ok.path("success").asBoolean()).isTrue();
    assertThat(lookupStatus(byPhone, phone)).isEqualTo("PREEXISTING_CUSTOMER");
  }

  @Test
  void graphqlNeedsAStorefrontKey() {
    Api engage = api.withKey(key(api, "engage", null));
    assertThat(graphql(engage, LOOKUP, vars("key", Api.uniqueEmail()), null).status())
        .isEqualTo(403);
    assertThat(graphql(api.withKey(null), LOOKUP, vars("key", "x"), null).status()).isEqualTo(401);
    Api storefront = api.withKey(key(api, "storefront", null));
    assertThat(lookupStatus(storefront, Api.uniqueEmail())).isEqualTo("NON_EXISTING_CUSTOMER");
    assertThat(storefront.get("/api/v2/contacts/" + UUID.randomUUID()).status()).isEqualTo(403);
  }

  @Test
  void storefrontConfigurationIsValidatedAndKeysCanBeRebound() {
    String id = StorefrontFixtures.unique("sf");
    Api.Response badKey = api.put("/admin/storefronts/" + id, Map.of("lookupKey", "shoe size"));
    assertThat(badKey.status()).isEqualTo(400);
    assertThat(badKey.errorCode()).isEqualTo("InvalidLookupKey");
    Api.Response badField =
        api.put(
            "/admin/storefronts/" + id,
            Map.of("lookupKey", "email", "requiredFields", List.of("shoeSize")));
    assertThat(badField.status()).isEqualTo(400);
    assertThat(badField.json().path("messageDetails").path("field").asString())
        .isEqualTo("requiredFields");
    Api.Response badCountry =
        api.put(
            "/admin/storefronts/" + id,
            Map.of("lookupKey", "email", "countries", List.of("Sweden")));
    assertThat(badCountry.status()).isEqualTo(400);
    assertThat(api.get("/admin/storefronts/" + id).status()).isEqualTo(404);
    Api.Response defaults = api.get("/admin/storefronts/default");
    assertThat(defaults.json().path("lookupKey").asString()).isEqualTo("email");
    assertThat(defaults.json().path("requiredFields").toString())
        .isEqualTo("[\"firstName\",\"lastName\",\"email\"]");

    // a key is rebound to another storefront by the admin API
    String country = storefront(api, "email", List.of("NO"), List.of());
    Api.Response created =
        api.post("/admin/api-keys", Map.of("name", "rebind", "scopes", List.of("storefront")));
    String keyId = created.json().path("id").asString();
    Api client = api.withKey(created.json().path("key").asString());
    String email = Api.uniqueEmail();
    member(api, Map.of("email", email, "firstName", "Per", "lastName", "Ek", "countryCode", "SE"));
    assertThat(lookupStatus(client, email)).isEqualTo("ACTIVATION_REQUIRED");
    Api.Response bound =
        api.put("/admin/api-keys/" + keyId + "/binding", Map.of("binding", country));
    assertThat(bound.status()).as(bound.toString()).isEqualTo(204);
    assertThat(lookupStatus(client, email)).isEqualTo("COUNTRY_NOT_VALID");
    assertThat(
            api.put("/admin/api-keys/" + keyId + "/binding", Map.of("binding", "bad binding!"))
                .status())
        .isEqualTo(400);
  }
}

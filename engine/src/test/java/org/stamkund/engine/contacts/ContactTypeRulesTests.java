package org.stamkund.engine.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.assertj.core.api.ListAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;

class ContactTypeRulesTests {

  private static final AttributeDefinition SHOE_SIZE =
      new AttributeDefinition("shoeSize", AttributeType.NUMBER, List.of());
  private static final AttributeDefinition FAVOURITE_STORE =
      new AttributeDefinition("favouriteStore", AttributeType.CHOICE, List.of("Malmö", "Göteborg"));

  private static ContactType type(
      String id,
      List<String> keys,
      List<String> mandatory,
      List<AttributeDefinition> customAttributes) {
    return new ContactType(id, id, keys, mandatory, customAttributes);
  }

  private static ContactType withKeys(String... keys) {
    return type("Member", List.of(keys), List.of(), List.of());
  }

  private static ContactType withAttributes(AttributeDefinition... attributes) {
    return type("Member", List.of("email"), List.of(), List.of(attributes));
  }

  private static ContactType withMandatory(String... mandatory) {
    return type("Member", List.of("email"), List.of(mandatory), List.of(SHOE_SIZE));
  }

  private static ListAssert<Violation> assertViolations(ContactType type) {
    try {
      ContactTypeRules.check(type);
    } catch (InvalidInputException e) {
      return assertThat(e.violations());
    }
    throw new AssertionError("expected " + type.id() + " to be refused");
  }

  private static void assertValid(ContactType type) {
    assertThatCode(() -> ContactTypeRules.check(type)).doesNotThrowAnyException();
  }

  @Test
  void defaultMemberTypeIsValid() {
    assertValid(withKeys("email"));
  }

  @Test
  void fullyUsedTypeIsValid() {
    assertValid(
        type(
            "Loyalty_Member-2",
            List.of("email", "mobilePhone", "socialSecurityNumber", "externalId"),
            List.of("firstName", "shoeSize", "favouriteStore"),
            List.of(
                SHOE_SIZE,
                FAVOURITE_STORE,
                new AttributeDefinition("newsletter", AttributeType.BOOLEAN, List.of()),
                new AttributeDefinition("joinedOn", AttributeType.DATE, List.of()),
                new AttributeDefinition("nickname", AttributeType.STRING, List.of()))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1Member", "_Member", "Member Club", "Medlem/Klubb", "Medlemsklubbå"})
  void badHandleIsReported(String id) {
    assertViolations(type(id, List.of("email"), List.of(), List.of()))
        .extracting(Violation::field, Violation::errorCode)
        .containsExactly(tuple("id", "InvalidContactType"));
  }

  @Test
  void handleOf64CharactersIsAcceptedAnd65IsNot() {
    assertValid(type("M" + "x".repeat(63), List.of("email"), List.of(), List.of()));
    assertViolations(type("M" + "x".repeat(64), List.of("email"), List.of(), List.of()))
        .extracting(Violation::errorCode)
        .containsExactly("InvalidContactType");
  }

  @Test
  void everyAllowedKeyIsAccepted() {
    assertValid(withKeys("email"));
    assertValid(withKeys("mobilePhone"));
    assertValid(withKeys("socialSecurityNumber"));
    assertValid(withKeys("externalId"));
  }

  @Test
  void typeWithoutKeysIsReported() {
    assertViolations(withKeys())
        .extracting(Violation::field, Violation::errorCode)
        .containsExactly(tuple("keys", "ContactTypeKeyMissing"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"firstName", "memberNumber", "birthDay", "shoeSize", "loyaltyId"})
  void attributeThatCannotBeAKeyIsReported(String key) {
    assertViolations(withKeys("email", key))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("keys");
              assertThat(v.errorCode()).isEqualTo("InvalidContactTypeKey");
              assertThat(v.message()).contains(key);
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"email", "Email", "FIRSTNAME", "memberNumber", "age"})
  void customAttributeNamedLikeAStandardOneIsReported(String name) {
    assertViolations(withAttributes(new AttributeDefinition(name, AttributeType.STRING, List.of())))
        .extracting(Violation::field, Violation::errorCode)
        .containsExactly(tuple("attributes", "InvalidAttributeDefinition"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"contactType", "preferences", "consents", "id", "ID"})
  void customAttributeNamedLikeAnEnvelopeFieldIsReported(String name) {
    assertViolations(withAttributes(new AttributeDefinition(name, AttributeType.STRING, List.of())))
        .extracting(Violation::errorCode)
        .containsExactly("InvalidAttributeDefinition");
  }

  @ParameterizedTest
  @ValueSource(strings = {"shoe size", "2ndStore", "", "skostorlek!"})
  void customAttributeWithABadNameIsReported(String name) {
    assertViolations(withAttributes(new AttributeDefinition(name, AttributeType.STRING, List.of())))
        .extracting(Violation::errorCode)
        .containsExactly("InvalidAttributeDefinition");
  }

  @Test
  void customAttributeDefinedTwiceIsReported() {
    assertViolations(
            withAttributes(
                SHOE_SIZE, new AttributeDefinition("ShoeSize", AttributeType.STRING, List.of())))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("attributes");
              assertThat(v.errorCode()).isEqualTo("InvalidAttributeDefinition");
              assertThat(v.message()).contains("'ShoeSize'");
            });
  }

  @Test
  void choiceAttributeWithoutChoicesIsReported() {
    assertViolations(
            withAttributes(
                new AttributeDefinition("favouriteStore", AttributeType.CHOICE, List.of())))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("attributes");
              assertThat(v.errorCode()).isEqualTo("InvalidAttributeDefinition");
              assertThat(v.message()).contains("favouriteStore", "choice");
            });
  }

  @Test
  void mandatoryStandardAndCustomAttributesAreAccepted() {
    assertValid(withMandatory("firstName", "mobilePhone", "shoeSize"));
    assertValid(withMandatory("FIRSTNAME", "SHOESIZE"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"hatSize", "memberNumber", "age", "preferences"})
  void unknownOrReadOnlyMandatoryAttributeIsReported(String mandatory) {
    assertViolations(withMandatory(mandatory))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("mandatory");
              assertThat(v.errorCode()).isEqualTo("UnknownAttribute");
              assertThat(v.message()).contains(mandatory);
            });
  }

  @Test
  void everyProblemIsReportedInOrder() {
    ContactType type =
        type(
            "9lives",
            List.of("firstName"),
            List.of("hatSize"),
            List.of(
                new AttributeDefinition("email", AttributeType.STRING, List.of()),
                new AttributeDefinition("favouriteStore", AttributeType.CHOICE, List.of())));

    assertViolations(type)
        .extracting(Violation::field, Violation::errorCode)
        .containsExactly(
            tuple("id", "InvalidContactType"),
            tuple("keys", "InvalidContactTypeKey"),
            tuple("attributes", "InvalidAttributeDefinition"),
            tuple("attributes", "InvalidAttributeDefinition"),
            tuple("mandatory", "UnknownAttribute"));
  }
}

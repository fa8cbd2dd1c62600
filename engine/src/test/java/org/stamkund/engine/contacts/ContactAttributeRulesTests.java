package org.stamkund.engine.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.assertj.core.api.ListAssert;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;

class ContactAttributeRulesTests {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

  private static final ContactType MEMBER =
      new ContactType(
          "Member",
          "Member",
          List.of("email", "mobilePhone"),
          List.of("firstName"),
          List.of(
              new AttributeDefinition("shoeSize", AttributeType.NUMBER, List.of()),
              new AttributeDefinition("newsletter", AttributeType.BOOLEAN, List.of()),
              new AttributeDefinition("joinedOn", AttributeType.DATE, List.of()),
              new AttributeDefinition(
                  "favouriteStore",
                  AttributeType.CHOICE,
                  List.of("Göteborg", "Stockholm City", "Malmö")),
              new AttributeDefinition("nickname", AttributeType.STRING, List.of())));

  private final ContactAttributeRules rules = new ContactAttributeRules(CLOCK, "46");

  /** An ordered attribute map that, unlike {@link Map#of}, takes {@code null} values. */
  private static final class Input {
    private final Map<String, @Nullable Object> values = new LinkedHashMap<>();

    Input with(String name, @Nullable Object value) {
      values.put(name, value);
      return this;
    }
  }

  private static Input input(String name, @Nullable Object value) {
    return new Input().with(name, value);
  }

  private Map<String, @Nullable Object> normalise(Input input) {
    return rules.normalise(MEMBER, input.values, null);
  }

  private Map<String, @Nullable Object> normalise(Input input, @Nullable String countryHint) {
    return rules.normalise(MEMBER, input.values, countryHint);
  }

  private @Nullable Object normalised(String name, @Nullable Object value) {
    return normalise(input(name, value)).get(name);
  }

  /** The violations {@code normalise} throws for this input, as (field, errorCode) tuples. */
  private ListAssert<Violation> assertViolations(Input input) {
    List<Violation> violations = violations(input);
    return assertThat(violations);
  }

  private List<Violation> violations(Input input) {
    try {
      normalise(input);
    } catch (InvalidInputException e) {
      return e.violations();
    }
    throw new AssertionError("expected an InvalidInputException for " + input.values.keySet());
  }

  private void assertSingleViolation(String name, @Nullable Object value, String errorCode) {
    assertViolations(input(name, value))
        .extracting(Violation::field, Violation::errorCode)
        .containsExactly(tuple(name, errorCode));
  }

  @Nested
  class StandardAttributes {

    @Test
    void textIsStripped() {
      assertThat(normalised("firstName", "  Anna ")).isEqualTo("Anna");
      assertThat(normalised("city", "Göteborg")).isEqualTo("Göteborg");
    }

    @Test
    void everyTextAttributeAcceptsText() {
      for (String name :
          List.of(
              "firstName",
              "lastName",
              "externalId",
              "street",
              "zipCode",
              "city",
              "careOf",
              "country",
              "createdInStore",
              "store")) {
        assertThat(normalised(name, "x")).as(name).isEqualTo("x");
      }
    }

    @Test
    void numberForATextAttributeBecomesPlainText() {
      assertThat(normalised("zipCode", new BigDecimal("41301"))).isEqualTo("41301");
      assertThat(normalised("externalId", new BigDecimal("1E+3"))).isEqualTo("1000");
    }

    @Test
    void namesAreMatchedCaseInsensitivelyAndReturnedInCanonicalSpelling() {
      Map<String, @Nullable Object> out =
          normalise(input("FIRSTNAME", "Anna").with("mobilephone", "0701234567"));

      assertThat(out)
          .containsExactly(entry("firstName", "Anna"), entry("mobilePhone", "+46701234567"));
    }

    @Test
    void emailIsNormalised() {
      assertThat(normalised("email", " Anna@Example.SE ")).isEqualTo("anna@example.se");
    }

    @Test
    void invalidEmailIsReported() {
      assertSingleViolation("email", "anna@example", "InvalidEmailAddress");
    }

    @Test
    void mobilePhoneBecomesE164() {
      assertThat(normalised("mobilePhone", "070-123 45 67")).isEqualTo("+46701234567");
      assertThat(normalised("mobilePhone", " 46701234567")).isEqualTo("+46701234567");
    }

    @Test
    void mobilePhoneUsesTheConfiguredCallingCode() {
      ContactAttributeRules finnishRules = new ContactAttributeRules(CLOCK, "358");

      assertThat(finnishRules.normalise(MEMBER, input("mobilePhone", "0401234567").values, null))
          .containsEntry("mobilePhone", "+358401234567");
    }

    @Test
    void invalidMobilePhoneIsReported() {
      assertSingleViolation("mobilePhone", "070-CALL-ME", "InvalidPhoneNumber");
    }

    @Test
    void socialSecurityNumberBecomesAPersonalIdentityNumber() {
      assertThat(normalised("socialSecurityNumber", "811218-9876"))
          .isEqualTo(
              new PersonalIdentityNumber("198112189876", "SE", LocalDate.of(1981, 12, 18), false));
    }

    @Test
    void socialSecurityNumberCenturyIsChosenWithTheClock() {
      assertThat(normalised("socialSecurityNumber", "261122-1231"))
          .isEqualTo(
              new PersonalIdentityNumber("202611221231", "SE", LocalDate.of(2026, 11, 22), false));
    }

    @Test
    void invalidSocialSecurityNumberIsReported() {
      assertSingleViolation("socialSecurityNumber", "811218-9877", "InvalidSocialSecurityNumber");
    }

    @Test
    void countryCodeIsUpperCased() {
      assertThat(normalised("countryCode", "se")).isEqualTo("SE");
      assertThat(normalised("countryCode", " Fi ")).isEqualTo("FI");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SWE", "S", "S1", "1S", "Sverige", "ÅÄ"})
    void invalidCountryCodeIsReported(String raw) {
      assertSingleViolation("countryCode", raw, "InvalidCountryCode");
    }

    @Test
    void birthDayBecomesADate() {
      assertThat(normalised("birthDay", "1981-12-18")).isEqualTo(LocalDate.of(1981, 12, 18));
    }

    @Test
    void birthDayMayBeSentAsADateTime() {
      assertThat(normalised("birthDay", "1981-12-18T00:00:00+01:00"))
          .isEqualTo(LocalDate.of(1981, 12, 18));
      assertThat(normalised("birthDay", "1981-12-18T00:00:00Z"))
          .isEqualTo(LocalDate.of(1981, 12, 18));
    }

    @ParameterizedTest
    @ValueSource(strings = {"18/12/1981", "1981-02-30", "19811218", "yesterday"})
    void invalidBirthDayIsReported(String raw) {
      assertSingleViolation("birthDay", raw, "InvalidDate");
    }

    @Test
    void genderIsMatchedCaseInsensitivelyAndReturnedCanonical() {
      assertThat(normalised("gender", "female")).isEqualTo("Female");
      assertThat(normalised("gender", "MALE")).isEqualTo("Male");
      assertThat(normalised("gender", "other")).isEqualTo("Other");
    }

    @Test
    void unknownGenderIsReported() {
      assertSingleViolation("gender", "F", "InvalidGender");
    }
  }

  @Nested
  class IgnoredFields {

    @Test
    void unknownFieldsAreIgnored() {
      Map<String, @Nullable Object> out =
          normalise(input("firstName", "Anna").with("favouriteColour", List.of("green")));

      assertThat(out).containsOnlyKeys("firstName");
    }

    @Test
    void readOnlyMemberNumberAndAgeAreIgnoredWhateverTheirValue() {
      Map<String, @Nullable Object> out =
          normalise(
              input("memberNumber", "1234567")
                  .with("age", new BigDecimal("44"))
                  .with("Age", List.of(1, 2))
                  .with("MEMBERNUMBER", Map.of("a", "b"))
                  .with("firstName", "Anna"));

      assertThat(out).containsOnlyKeys("firstName");
    }

    @Test
    void envelopeFieldsAreNotAttributes() {
      Map<String, @Nullable Object> out =
          normalise(
              input("contactType", "Member")
                  .with("preferences", Map.of("acceptsEmail", true))
                  .with("consents", List.of(Map.of("id", "memberTerms")))
                  .with("id", "0f8fad5b-d9cb-469f-a165-70867728950e")
                  .with("ContactType", "Member"));

      assertThat(out).isEmpty();
    }

    @Test
    void customAttributeOfAnotherTypeIsIgnored() {
      ContactType plain =
          new ContactType("Contact", "Contact", List.of("email"), List.of(), List.of());

      assertThat(rules.normalise(plain, input("shoeSize", "abc").values, null)).isEmpty();
    }
  }

  @Nested
  class Clearing {

    @Test
    void nullEmptyAndBlankAllMeanClear() {
      Map<String, @Nullable Object> out =
          normalise(
              input("firstName", null)
                  .with("lastName", "")
                  .with("city", "   ")
                  .with("email", "")
                  .with("mobilePhone", null)
                  .with("socialSecurityNumber", " ")
                  .with("birthDay", "")
                  .with("gender", null)
                  .with("countryCode", ""));

      assertThat(out)
          .containsOnlyKeys(
              "firstName",
              "lastName",
              "city",
              "email",
              "mobilePhone",
              "socialSecurityNumber",
              "birthDay",
              "gender",
              "countryCode");
      assertThat(out.values()).containsOnlyNulls();
    }

    @Test
    void clearingACustomAttributeKeepsItsKeyWithANullValue() {
      Map<String, @Nullable Object> out =
          normalise(
              input("shoeSize", "")
                  .with("newsletter", null)
                  .with("joinedOn", "  ")
                  .with("favouriteStore", "")
                  .with("nickname", null));

      assertThat(out)
          .containsOnlyKeys("shoeSize", "newsletter", "joinedOn", "favouriteStore", "nickname");
      assertThat(out.values()).containsOnlyNulls();
    }
  }

  @Nested
  class WrongTypes {

    @Test
    void arrayForATextAttributeIsReportedWithItsField() {
      assertThat(violations(input("firstName", List.of("Anna"))))
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.field()).isEqualTo("firstName");
                assertThat(v.errorCode()).isEqualTo("InvalidAttributeType");
                assertThat(v.message()).contains("array");
              });
    }

    @Test
    void objectForATextAttributeIsReportedWithItsField() {
      assertThat(violations(input("lastName", Map.of("value", "Svensson"))))
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.field()).isEqualTo("lastName");
                assertThat(v.errorCode()).isEqualTo("InvalidAttributeType");
                assertThat(v.message()).contains("object");
              });
    }

    @Test
    void booleanForATextAttributeIsReported() {
      assertSingleViolation("city", true, "InvalidAttributeType");
      assertSingleViolation("email", false, "InvalidAttributeType");
    }

    @Test
    void wrongTypeIsReportedUnderTheCanonicalName() {
      assertViolations(input("FIRSTNAME", List.of("Anna")))
          .extracting(Violation::field, Violation::errorCode)
          .containsExactly(tuple("firstName", "InvalidAttributeType"));
    }

    @Test
    void arrayForACustomAttributeIsReported() {
      assertSingleViolation("shoeSize", List.of(42), "InvalidAttributeType");
      assertSingleViolation("newsletter", List.of(true), "InvalidAttributeType");
      assertSingleViolation("joinedOn", Map.of(), "InvalidAttributeType");
      assertSingleViolation("favouriteStore", List.of("Malmö"), "InvalidAttributeType");
      assertSingleViolation("nickname", Map.of("a", "b"), "InvalidAttributeType");
    }

    @Test
    void everyViolationIsReportedInInputOrder() {
      Input input =
          input("email", "not-an-address")
              .with("firstName", "Anna")
              .with("mobilePhone", "12")
              .with("gender", "F")
              .with("lastName", List.of("Svensson"))
              .with("shoeSize", "large")
              .with("favouriteStore", "Uppsala")
              .with("city", "Malmö");

      assertViolations(input)
          .extracting(Violation::field, Violation::errorCode)
          .containsExactly(
              tuple("email", "InvalidEmailAddress"),
              tuple("mobilePhone", "InvalidPhoneNumber"),
              tuple("gender", "InvalidGender"),
              tuple("lastName", "InvalidAttributeType"),
              tuple("shoeSize", "InvalidNumber"),
              tuple("favouriteStore", "InvalidChoice"));
    }

    @Test
    void exceptionMessageNamesTheFirstViolation() {
      assertThatThrownBy(() -> normalise(input("gender", "F").with("email", "x")))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("gender: ");
    }

    @Test
    void violationMessagesDoNotRepeatThePersonalData() {
      List<Violation> violations =
          violations(
              input("email", "anna.svensson@example")
                  .with("socialSecurityNumber", "811218-9877")
                  .with("mobilePhone", "0799"));

      assertThat(violations).hasSize(3);
      assertThat(violations)
          .extracting(Violation::message)
          .noneMatch(m -> m.contains("anna.svensson") || m.contains("9877") || m.contains("0799"));
    }
  }

  @Nested
  class CustomAttributes {

    @Test
    void numberFromANumber() {
      assertThat(normalised("shoeSize", new BigDecimal("42.5"))).isEqualTo(new BigDecimal("42.5"));
    }

    @Test
    void numberFromANumericString() {
      assertThat(normalised("shoeSize", " 43 ")).isEqualTo(new BigDecimal("43"));
      assertThat(normalised("shoeSize", "-1.25")).isEqualTo(new BigDecimal("-1.25"));
    }

    @Test
    void nonNumericStringForANumberIsReported() {
      assertSingleViolation("shoeSize", "large", "InvalidNumber");
      assertSingleViolation("shoeSize", "42,5", "InvalidNumber");
    }

    @Test
    void booleanForANumberIsReported() {
      assertSingleViolation("shoeSize", true, "InvalidAttributeType");
    }

    @Test
    void booleanFromABoolean() {
      assertThat(normalised("newsletter", true)).isEqualTo(true);
      assertThat(normalised("newsletter", false)).isEqualTo(false);
    }

    @Test
    void booleanFromAString() {
      assertThat(normalised("newsletter", "true")).isEqualTo(true);
      assertThat(normalised("newsletter", "TRUE")).isEqualTo(true);
      assertThat(normalised("newsletter", "False")).isEqualTo(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "on", "t"})
    void otherStringsForABooleanAreReported(String raw) {
      assertSingleViolation("newsletter", raw, "InvalidAttributeType");
    }

    @Test
    void numberForABooleanIsReported() {
      assertSingleViolation("newsletter", BigDecimal.ONE, "InvalidAttributeType");
    }

    @Test
    void booleanFromAPaddedString() {
      assertThat(normalised("newsletter", " true ")).isEqualTo(true);
    }

    @Test
    void dateFromAString() {
      assertThat(normalised("joinedOn", "2024-03-01")).isEqualTo(LocalDate.of(2024, 3, 1));
      assertThat(normalised("joinedOn", "2024-03-01T23:30:00+01:00"))
          .isEqualTo(LocalDate.of(2024, 3, 1));
    }

    @Test
    void invalidDateIsReported() {
      assertSingleViolation("joinedOn", "2024-02-30", "InvalidDate");
      assertSingleViolation("joinedOn", true, "InvalidAttributeType");
    }

    @Test
    void choiceIsMatchedCaseInsensitivelyAndReturnedInItsCanonicalSpelling() {
      assertThat(normalised("favouriteStore", "stockholm city")).isEqualTo("Stockholm City");
      assertThat(normalised("favouriteStore", " MALMÖ ")).isEqualTo("Malmö");
      assertThat(normalised("favouriteStore", "Göteborg")).isEqualTo("Göteborg");
    }

    @Test
    void valueOutsideTheChoicesIsReportedWithTheChoices() {
      assertThat(violations(input("favouriteStore", "Uppsala")))
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.field()).isEqualTo("favouriteStore");
                assertThat(v.errorCode()).isEqualTo("InvalidChoice");
                assertThat(v.message()).contains("Göteborg", "Stockholm City", "Malmö");
              });
    }

    @Test
    void stringIsStrippedAndNumbersBecomeText() {
      assertThat(normalised("nickname", "  Nisse ")).isEqualTo("Nisse");
      assertThat(normalised("nickname", new BigDecimal("7"))).isEqualTo("7");
    }

    @Test
    void customNamesAreMatchedCaseInsensitivelyAndReturnedAsDefined() {
      Map<String, @Nullable Object> out =
          normalise(input("SHOESIZE", "44").with("NewsLetter", "true"));

      assertThat(out)
          .containsExactly(entry("shoeSize", new BigDecimal("44")), entry("newsletter", true));
    }
  }

  @Nested
  class TextLength {

    private static final int MAX = ContactAttributeRules.MAX_TEXT_LENGTH;

    @Test
    void textOfTheMaximumLengthIsAccepted() {
      String longest = "a".repeat(MAX);

      assertThat(normalised("street", longest)).isEqualTo(longest);
      assertThat(normalised("nickname", longest)).isEqualTo(longest);
    }

    @Test
    void lengthIsCountedAfterStripping() {
      String longest = "a".repeat(MAX);

      assertThat(normalised("street", "  " + longest + "  ")).isEqualTo(longest);
    }

    @Test
    void textLongerThanTheMaximumIsReported() {
      String tooLong = "a".repeat(MAX + 1);

      assertSingleViolation("street", tooLong, "ValueTooLong");
      assertSingleViolation("nickname", tooLong, "ValueTooLong");
      assertSingleViolation("favouriteStore", tooLong, "ValueTooLong");
      assertSingleViolation("email", "a".repeat(MAX) + "@example.com", "ValueTooLong");
    }
  }

  @Nested
  class CountryHint {

    // Swedish 2001-02-03, or Finnish 1903-02-01 (see PersonalIdentityNumbersTests).
    private static final String AMBIGUOUS = "010203-0632";

    private String countryOf(Map<String, @Nullable Object> out) {
      return ((PersonalIdentityNumber) Objects.requireNonNull(out.get("socialSecurityNumber")))
          .country();
    }

    @Test
    void ambiguousNumberIsSwedishWithoutAHint() {
      assertThat(countryOf(normalise(input("socialSecurityNumber", AMBIGUOUS)))).isEqualTo("SE");
    }

    @Test
    void hintGivenByTheCallerIsUsed() {
      assertThat(countryOf(normalise(input("socialSecurityNumber", AMBIGUOUS), "FI")))
          .isEqualTo("FI");
    }

    @Test
    void countryCodeInThePayloadIsUsedAsTheHint() {
      Input input = input("socialSecurityNumber", AMBIGUOUS).with("countryCode", "fi");

      assertThat(countryOf(normalise(input))).isEqualTo("FI");
    }

    @Test
    void countryCodeInThePayloadOverridesTheCallersHint() {
      Input input = input("countryCode", "SE").with("socialSecurityNumber", AMBIGUOUS);

      assertThat(countryOf(normalise(input, "FI"))).isEqualTo("SE");
    }

    @Test
    void blankCountryCodeInThePayloadLeavesTheCallersHint() {
      Input input = input("countryCode", " ").with("socialSecurityNumber", AMBIGUOUS);

      assertThat(countryOf(normalise(input, "FI"))).isEqualTo("FI");
    }

    @Test
    void countryCodeSpelledInAnotherCaseIsStillUsedAsTheHint() {
      Input input = input("CountryCode", "FI").with("socialSecurityNumber", AMBIGUOUS);

      Map<String, @Nullable Object> out = normalise(input);

      assertThat(out).containsEntry("countryCode", "FI");
      assertThat(countryOf(out)).isEqualTo("FI");
    }
  }

  @Nested
  class Missing {

    private Map<String, @Nullable Object> contact(Input input) {
      return input.values;
    }

    @Test
    void completeContactHasNothingMissing() {
      assertThat(
              ContactAttributeRules.missing(
                  MEMBER, contact(input("email", "anna@example.se").with("firstName", "Anna"))))
          .isEmpty();
    }

    @Test
    void anyOneKeyIsEnough() {
      assertThat(
              ContactAttributeRules.missing(
                  MEMBER, contact(input("mobilePhone", "+46701234567").with("firstName", "Anna"))))
          .isEmpty();
    }

    @Test
    void contactWithoutAnyKeyIsReportedUnderTheFirstKey() {
      List<Violation> violations =
          ContactAttributeRules.missing(MEMBER, contact(input("firstName", "Anna")));

      assertThat(violations)
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.field()).isEqualTo("email");
                assertThat(v.errorCode()).isEqualTo("ContactKeyMissing");
                assertThat(v.message()).contains("Member", "email or mobilePhone");
              });
    }

    @Test
    void clearedKeyCountsAsMissing() {
      assertThat(
              ContactAttributeRules.missing(
                  MEMBER,
                  contact(input("email", null).with("mobilePhone", null).with("firstName", "A"))))
          .extracting(Violation::field, Violation::errorCode)
          .containsExactly(tuple("email", "ContactKeyMissing"));
    }

    @Test
    void missingMandatoryAttributeIsReported() {
      assertThat(
              ContactAttributeRules.missing(
                  MEMBER, contact(input("email", "anna@example.se").with("firstName", null))))
          .extracting(Violation::field, Violation::errorCode)
          .containsExactly(tuple("firstName", "MandatoryFieldMissing"));
    }

    @Test
    void missingKeyAndMandatoryAttributeAreBothReported() {
      assertThat(ContactAttributeRules.missing(MEMBER, contact(new Input())))
          .extracting(Violation::field, Violation::errorCode)
          .containsExactly(
              tuple("email", "ContactKeyMissing"), tuple("firstName", "MandatoryFieldMissing"));
    }

    @Test
    void mandatoryAttributesAreReportedUnderTheirCanonicalNames() {
      ContactType type =
          new ContactType(
              "Member",
              "Member",
              List.of("email"),
              List.of("FIRSTNAME", "SHOESIZE"),
              List.of(new AttributeDefinition("shoeSize", AttributeType.NUMBER, List.of())));

      assertThat(ContactAttributeRules.missing(type, contact(input("email", "a@example.se"))))
          .extracting(Violation::field, Violation::errorCode)
          .containsExactly(
              tuple("firstName", "MandatoryFieldMissing"),
              tuple("shoeSize", "MandatoryFieldMissing"));
      assertThat(
              ContactAttributeRules.missing(
                  type,
                  contact(
                      input("email", "a@example.se")
                          .with("firstName", "Anna")
                          .with("shoeSize", new BigDecimal("42")))))
          .isEmpty();
    }

    @Test
    void mandatoryKeyIsNotReportedTwiceWhenNoKeyIsPresent() {
      ContactType type =
          new ContactType("Member", "Member", List.of("email"), List.of("email"), List.of());

      assertThat(ContactAttributeRules.missing(type, contact(new Input())))
          .extracting(Violation::field, Violation::errorCode)
          .containsExactly(tuple("email", "ContactKeyMissing"));
    }

    @Test
    void mandatoryKeyIsReportedWhenAnotherKeyIsPresent() {
      ContactType type =
          new ContactType(
              "Member",
              "Member",
              List.of("email", "mobilePhone"),
              List.of("mobilePhone"),
              List.of());

      assertThat(ContactAttributeRules.missing(type, contact(input("email", "a@example.se"))))
          .extracting(Violation::field, Violation::errorCode)
          .containsExactly(tuple("mobilePhone", "MandatoryFieldMissing"));
    }

    @Test
    void keyNamedInAnotherCaseIsFoundUnderItsCanonicalName() {
      ContactType type =
          new ContactType("Member", "Member", List.of("EMAIL"), List.of(), List.of());

      assertThat(ContactAttributeRules.missing(type, contact(input("email", "a@example.se"))))
          .isEmpty();
    }
  }
}

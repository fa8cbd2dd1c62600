package org.stamkund.engine.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PersonalIdentityNumbersTests {

  /** The date of the engine's fixed test clock, 2026-11-22T10:00:00Z. */
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

  private static Optional<PersonalIdentityNumber> parse(String raw) {
    return PersonalIdentityNumbers.parse(raw, null, TODAY);
  }

  private static PersonalIdentityNumber valid(String raw) {
    return parse(raw).orElseThrow(() -> new AssertionError(raw + " should be valid"));
  }

  /**
   * The Luhn check digit of the nine digits {@code YYMMDDNNN}: every other digit, starting with the
   * first, is doubled (and 9 subtracted when the product has two digits).
   */
  static char luhnCheckDigit(String nineDigits) {
    int sum = 0;
    for (int i = 0; i < nineDigits.length(); i++) {
      int d = nineDigits.charAt(i) - '0';
      if (i % 2 == 0) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return (char) ('0' + (10 - sum % 10) % 10);
  }

  /** A ten-digit Swedish number {@code YYMMDD<separator>NNNC} with a correct check digit. */
  static String swedish(String yymmdd, String separator, String nnn) {
    return yymmdd + separator + nnn + luhnCheckDigit(yymmdd + nnn);
  }

  /** The HETU check character of {@code DDMMYYZZZ}. */
  static char hetuCheckCharacter(String ddmmyy, String zzz) {
    return "0123456789ABCDEFHJKLMNPRSTUVWXY".charAt((int) (Long.parseLong(ddmmyy + zzz) % 31));
  }

  /** A Finnish HETU {@code DDMMYY<sign>ZZZQ} with a correct check character. */
  static String finnish(String ddmmyy, char sign, String zzz) {
    return ddmmyy + sign + zzz + hetuCheckCharacter(ddmmyy, zzz);
  }

  @Nested
  class Helpers {

    @Test
    void luhnHelperAgreesWithCheckDigitsComputedByHand() {
      assertThat(luhnCheckDigit("811218987")).isEqualTo('6');
      assertThat(luhnCheckDigit("121212121")).isEqualTo('2');
      assertThat(luhnCheckDigit("640823323")).isEqualTo('4');
      assertThat(luhnCheckDigit("510731232")).isEqualTo('3');
    }

    @Test
    void hetuHelperAgreesWithTheWellKnownExample() {
      assertThat(hetuCheckCharacter("131052", "308")).isEqualTo('T');
    }
  }

  @Nested
  class SwedishForms {

    @ParameterizedTest
    @ValueSource(strings = {"8112189876", "811218-9876", "198112189876", "19811218-9876"})
    void tenAndTwelveDigitFormsWithAndWithoutHyphenAreTheSameNumber(String raw) {
      assertThat(valid(raw))
          .isEqualTo(
              new PersonalIdentityNumber("198112189876", "SE", LocalDate.of(1981, 12, 18), false));
    }

    @Test
    void handComputedNumbersAreValid() {
      assertThat(valid("121212-1212").value()).isEqualTo("201212121212");
      assertThat(valid("640823-3234").value()).isEqualTo("196408233234");
      assertThat(valid("811218-1238").birthDate()).isEqualTo(LocalDate.of(1981, 12, 18));
    }

    @Test
    void numbersWithHelperComputedCheckDigitsAreValid() {
      for (String yymmdd : new String[] {"450101", "991231", "000101", "700615", "260101"}) {
        for (String nnn : new String[] {"001", "123", "457", "998"}) {
          assertThat(parse(swedish(yymmdd, "-", nnn))).as(yymmdd + nnn).isPresent();
        }
      }
    }

    @Test
    void surroundingSpacesAreIgnored() {
      assertThat(valid("  811218-9876 ").value()).isEqualTo("198112189876");
    }

    @Test
    void everyWrongCheckDigitIsRejected() {
      for (char digit = '0'; digit <= '9'; digit++) {
        if (digit != '6') {
          assertThat(parse("811218-987" + digit)).as("check digit " + digit).isEmpty();
          assertThat(parse("19811218987" + digit)).as("check digit " + digit).isEmpty();
        }
      }
    }

    @Test
    void tenDigitNumberWithPlusBelongsToSomeoneOverAHundred() {
      PersonalIdentityNumber number = valid("811218+9876");

      assertThat(number.birthDate()).isEqualTo(LocalDate.of(1881, 12, 18));
      assertThat(number.value()).isEqualTo("188112189876");
    }

    @Test
    void twelveDigitNumberWithPlusIsRejected() {
      assertThat(parse("19811218+9876")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"", "abc", "81121898", "811218987", "81121898766", "811218--9876", "8112l89876"})
    void malformedValuesAreRejected(String raw) {
      assertThat(parse(raw)).isEmpty();
    }

    @Test
    void integrationDocExampleIsAValidNumberBornIn1951() {
      // 5*2=10->1, 1, 0, 7, 3*2=6, 1, 2*2=4, 3, 2*2=4, 3: the sum is 30, so 3 is the right check
      // digit
      assertThat(valid("510731-2323"))
          .isEqualTo(
              new PersonalIdentityNumber("195107312323", "SE", LocalDate.of(1951, 7, 31), false));
    }
  }

  @Nested
  class SwedishDates {

    @Test
    void february30IsRejectedEvenWithACorrectCheckDigit() {
      assertThat(parse(swedish("810230", "-", "123"))).isEmpty();
      assertThat(parse("19" + swedish("810230", "", "123"))).isEmpty();
    }

    @Test
    void month13AndDay32AreRejected() {
      assertThat(parse(swedish("811318", "-", "123"))).isEmpty();
      assertThat(parse(swedish("811232", "-", "123"))).isEmpty();
      assertThat(parse(swedish("810000", "-", "123"))).isEmpty();
    }

    @Test
    void leapDayIsValidOnlyInLeapYears() {
      assertThat(valid("000229-1235").birthDate()).isEqualTo(LocalDate.of(2000, 2, 29));
      assertThat(valid("200002291235").birthDate()).isEqualTo(LocalDate.of(2000, 2, 29));
      assertThat(parse("190002291235")).isEmpty();
      assertThat(parse(swedish("230229", "-", "123"))).isEmpty();
    }

    @Test
    void futureBirthDateInTwelveDigitFormIsRejected() {
      assertThat(parse("20" + swedish("301010", "", "123"))).isEmpty();
      assertThat(parse("20" + swedish("261123", "", "123"))).isEmpty();
    }

    @Test
    void someoneBornTodayIsValid() {
      assertThat(valid("20" + swedish("261122", "", "123")).birthDate()).isEqualTo(TODAY);
      assertThat(valid(swedish("261122", "-", "123")).birthDate()).isEqualTo(TODAY);
    }
  }

  @Nested
  class SwedishCentury {

    @Test
    void tenDigitNumberIsInThisCenturyWhenThatDateHasPassed() {
      assertThat(valid(swedish("251231", "-", "123")).birthDate())
          .isEqualTo(LocalDate.of(2025, 12, 31));
      assertThat(valid(swedish("260101", "", "123")).birthDate())
          .isEqualTo(LocalDate.of(2026, 1, 1));
    }

    @Test
    void tenDigitNumberWhoseYearIsStillAheadIsInTheLastCentury() {
      assertThat(valid(swedish("300101", "-", "123")).birthDate())
          .isEqualTo(LocalDate.of(1930, 1, 1));
      assertThat(valid(swedish("991231", "", "123")).value()).startsWith("1999");
    }

    @Test
    void centuryDependsOnToday() {
      String number = swedish("300101", "-", "123");

      assertThat(PersonalIdentityNumbers.parse(number, null, LocalDate.of(2031, 1, 1)))
          .map(PersonalIdentityNumber::birthDate)
          .contains(LocalDate.of(2030, 1, 1));
      assertThat(PersonalIdentityNumbers.parse(number, null, TODAY))
          .map(PersonalIdentityNumber::birthDate)
          .contains(LocalDate.of(1930, 1, 1));
    }

    @Test
    void plusOnSomeoneWhoTurnsAHundredTodayGivesTheirBirthDate() {
      assertThat(valid(swedish("261122", "+", "123")).birthDate())
          .isEqualTo(LocalDate.of(1926, 11, 22));
    }

    @Test
    void plusMovesTheCenturyBackByOneHundredYears() {
      assertThat(valid(swedish("251231", "+", "123")).birthDate())
          .isEqualTo(LocalDate.of(1925, 12, 31));
      assertThat(valid(swedish("300101", "+", "123")).birthDate())
          .isEqualTo(LocalDate.of(1830, 1, 1));
    }

    @Test
    void tenDigitNumberWithBirthdayLaterThisYearBelongsToSomeoneBornACenturyAgo() {
      assertThat(parse("261225-1237"))
          .map(PersonalIdentityNumber::birthDate)
          .contains(LocalDate.of(1926, 12, 25));
      assertThat(parse("261123-1230"))
          .map(PersonalIdentityNumber::birthDate)
          .contains(LocalDate.of(1926, 11, 23));
    }

    @Test
    void plusNumberWithBirthdayLaterThisYearBelongsToSomeoneBornTwoCenturiesAgo() {
      assertThat(parse("261123+1230"))
          .map(PersonalIdentityNumber::birthDate)
          .contains(LocalDate.of(1826, 11, 23));
    }
  }

  @Nested
  class Samordningsnummer {

    @Test
    void dayPlusSixtyIsACoordinationNumber() {
      assertThat(valid("811278-9873"))
          .isEqualTo(
              new PersonalIdentityNumber("198112789873", "SE", LocalDate.of(1981, 12, 18), true));
    }

    @Test
    void twelveDigitCoordinationNumberKeepsItsDayPlusSixty() {
      PersonalIdentityNumber number = valid("19811278-9873");

      assertThat(number.value()).isEqualTo("198112789873");
      assertThat(number.coordinationNumber()).isTrue();
      assertThat(number.birthDate()).isEqualTo(LocalDate.of(1981, 12, 18));
    }

    @Test
    void coordinationNumberOnTheFirstAndLastDayOfAMonth() {
      assertThat(valid(swedish("860161", "-", "123")).birthDate())
          .isEqualTo(LocalDate.of(1986, 1, 1));
      assertThat(valid(swedish("860191", "-", "123")).birthDate())
          .isEqualTo(LocalDate.of(1986, 1, 31));
    }

    @Test
    void coordinationNumberWithAnImpossibleDayIsRejected() {
      assertThat(parse(swedish("860192", "-", "123"))).isEmpty();
      assertThat(parse(swedish("860290", "-", "123"))).isEmpty();
    }

    @Test
    void coordinationNumberWithWrongCheckDigitIsRejected() {
      assertThat(parse("811278-9874")).isEmpty();
    }

    @Test
    void ordinaryNumberIsNotACoordinationNumber() {
      assertThat(valid("811218-9876").coordinationNumber()).isFalse();
    }
  }

  @Nested
  class Finnish {

    @Test
    void wellKnownExampleIsValid() {
      assertThat(valid("131052-308T"))
          .isEqualTo(
              new PersonalIdentityNumber("131052-308T", "FI", LocalDate.of(1952, 10, 13), false));
    }

    @ParameterizedTest
    @ValueSource(chars = {'-', 'U', 'V', 'W', 'X', 'Y'})
    void twentiethCenturySignsGiveNineteenHundreds(char sign) {
      PersonalIdentityNumber number = valid("010594" + sign + "123W");

      assertThat(number.birthDate()).isEqualTo(LocalDate.of(1994, 5, 1));
      assertThat(number.country()).isEqualTo("FI");
    }

    @ParameterizedTest
    @ValueSource(chars = {'A', 'B', 'C', 'D', 'E', 'F'})
    void twentyFirstCenturySignsGiveTwoThousands(char sign) {
      assertThat(valid("010105" + sign + "124R").birthDate()).isEqualTo(LocalDate.of(2005, 1, 1));
    }

    @Test
    void plusSignGivesEighteenHundreds() {
      assertThat(valid("010150+234W").birthDate()).isEqualTo(LocalDate.of(1850, 1, 1));
    }

    @ParameterizedTest
    @ValueSource(chars = {'G', 'T', 'Z', '*', '/'})
    void unknownCenturySignIsRejected(char sign) {
      assertThat(parse("010105" + sign + "124R")).isEmpty();
    }

    @Test
    void helperComputedNumbersAreValid() {
      assertThat(valid(finnish("311299", '-', "101")).birthDate())
          .isEqualTo(LocalDate.of(1999, 12, 31));
      assertThat(valid(finnish("290200", 'A', "123")).birthDate())
          .isEqualTo(LocalDate.of(2000, 2, 29));
    }

    @Test
    void wrongCheckCharacterIsRejected() {
      assertThat(parse("131052-308U")).isEmpty();
      assertThat(parse("131052-308S")).isEmpty();
      assertThat(parse("131052-3080")).isEmpty();
    }

    @Test
    void invalidDateIsRejectedEvenWithACorrectCheckCharacter() {
      assertThat(parse(finnish("300294", '-', "123"))).isEmpty();
      assertThat(parse(finnish("290201", 'A', "123"))).isEmpty();
      assertThat(parse(finnish("011394", '-', "123"))).isEmpty();
    }

    @Test
    void lowerCaseInputIsNormalisedToUpperCase() {
      assertThat(valid("131052-308t").value()).isEqualTo("131052-308T");
      assertThat(valid(" 010105a124r ").value()).isEqualTo("010105A124R");
    }

    @Test
    void finnishNumberBornInTheFutureIsRejected() {
      String future = finnish("010130", 'A', "123");

      assertThat(future).isEqualTo("010130A1235");
      assertThat(parse(future)).isEmpty();
    }
  }

  @Nested
  class CountryHint {

    // Valid as Swedish 2001-02-03 (YYMMDD-NNNC, Luhn) and as Finnish 1903-02-01 (DDMMYY-ZZZQ).
    private static final String AMBIGUOUS = "010203-0632";

    @Test
    void ambiguousValueIsReadAsSwedishByDefault() {
      assertThat(PersonalIdentityNumbers.parse(AMBIGUOUS, null, TODAY))
          .contains(
              new PersonalIdentityNumber("200102030632", "SE", LocalDate.of(2001, 2, 3), false));
      assertThat(PersonalIdentityNumbers.parse(AMBIGUOUS, "SE", TODAY))
          .map(PersonalIdentityNumber::country)
          .contains("SE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"FI", "fi", "Fi"})
    void finnishHintPrefersTheFinnishReading(String hint) {
      assertThat(PersonalIdentityNumbers.parse(AMBIGUOUS, hint, TODAY))
          .contains(
              new PersonalIdentityNumber("010203-0632", "FI", LocalDate.of(1903, 2, 1), false));
    }

    @Test
    void finnishHintStillAcceptsASwedishOnlyNumber() {
      assertThat(PersonalIdentityNumbers.parse("811218-9876", "FI", TODAY))
          .map(PersonalIdentityNumber::country)
          .contains("SE");
    }

    @Test
    void swedishHintStillAcceptsAFinnishOnlyNumber() {
      assertThat(PersonalIdentityNumbers.parse("131052-308T", "SE", TODAY))
          .map(PersonalIdentityNumber::country)
          .contains("FI");
    }
  }
}

package org.stamkund.engine.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MobilePhonesTests {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "+46701234567",
        "+46 70-123 45 67",
        "0046701234567",
        "0046 70 123 45 67",
        "46701234567",
        "0701234567",
        "070-123 45 67",
        "(070) 123 45 67",
        "070.123.45.67",
        "070/1234567",
        "+46\u00a070\u00a0123\u00a045\u00a067",
        " 46701234567",
        " 46 70 123 45 67",
        "\t+46701234567\n"
      })
  void everyAcceptedSpellingOfASwedishMobileBecomesE164(String raw) {
    assertThat(MobilePhones.normalise(raw, "46")).contains("+46701234567");
  }

  @Test
  void leadingSpaceFromAnUnencodedPlusInAQueryStringIsReadAsThePlus() {
    assertThat(MobilePhones.normalise(" 358401234567", "46")).contains("+358401234567");
  }

  @Test
  void nationalNumberTakesTheDefaultCallingCode() {
    assertThat(MobilePhones.normalise("0401234567", "358")).contains("+358401234567");
    assertThat(MobilePhones.normalise("0701234567", "47")).contains("+47701234567");
  }

  @Test
  void internationalNumberKeepsItsOwnCallingCode() {
    assertThat(MobilePhones.normalise("+358 40 123 4567", "46")).contains("+358401234567");
    assertThat(MobilePhones.normalise("00358401234567", "46")).contains("+358401234567");
  }

  @Test
  void shortestAndLongestE164LengthsAreAccepted() {
    assertThat(MobilePhones.normalise("+4612345", "46")).contains("+4612345");
    assertThat(MobilePhones.normalise("+467012345678901", "46")).contains("+467012345678901");
  }

  @ParameterizedTest
  @ValueSource(strings = {"+461234", "+46", "12345", "070", "0", "00", "+"})
  void tooShortNumbersAreRejected(String raw) {
    assertThat(MobilePhones.normalise(raw, "46")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"+4670123456789012", "00467012345678901234", "070123456789012345"})
  void tooLongNumbersAreRejected(String raw) {
    assertThat(MobilePhones.normalise(raw, "46")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"+4670ABC4567", "070-CALL-ME", "+46 70 123 45 6x", "phone", "#46701234567"})
  void lettersAndOtherSymbolsAreRejected(String raw) {
    assertThat(MobilePhones.normalise(raw, "46")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "   ", "++46701234567", "46+701234567", "+0701234567", "000701234567"})
  void malformedNumbersAreRejected(String raw) {
    assertThat(MobilePhones.normalise(raw, "46")).isEmpty();
  }
}

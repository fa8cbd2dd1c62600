package org.stamkund.engine.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressesTests {

  @Test
  void addressIsTrimmedAndLowerCased() {
    assertThat(EmailAddresses.normalise("  Anna.Svensson@Example.COM \t"))
        .contains("anna.svensson@example.com");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "anna@example.se",
        "anna.svensson@example.com",
        "anna+club@example.co.uk",
        "o'brien@example.ie",
        "anna_svensson-1@mail-server.example.org",
        "åsa@exempel.se",
        "1234@example.fi"
      })
  void plausibleAddressesAreAccepted(String raw) {
    assertThat(EmailAddresses.normalise(raw)).contains(raw);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "anna.example.com",
        "anna@",
        "@example.com",
        "anna@@example.com",
        "anna@example",
        "anna@example.",
        "anna@example.s",
        "anna@example.123",
        "anna svensson@example.com",
        "anna@exam ple.com",
        "anna..svensson@example.com",
        "anna@example..com",
        ".anna@example.com",
        "anna.@example.com",
        "anna@-example.com",
        "anna@example-.com",
        "anna@.example.com",
        "anna@example.com.",
        "anna(svensson)@example.com",
        "anna,svensson@example.com",
        "\"anna\"@example.com"
      })
  void implausibleAddressesAreRejected(String raw) {
    assertThat(EmailAddresses.normalise(raw)).isEmpty();
  }

  @Test
  void addressOf254CharactersIsAcceptedAnd255IsRejected() {
    String longest = "a@" + "b".repeat(249) + ".se";
    String tooLong = "a@" + "b".repeat(250) + ".se";

    assertThat(longest).hasSize(254);
    assertThat(tooLong).hasSize(255);
    assertThat(EmailAddresses.normalise(longest)).contains(longest);
    assertThat(EmailAddresses.normalise(tooLong)).isEmpty();
  }

  @Test
  void lengthIsCountedAfterTrimming() {
    String longest = "a@" + "b".repeat(249) + ".se";

    assertThat(EmailAddresses.normalise("   " + longest + "   ")).contains(longest);
  }

  @Test
  void localPartLongerThan64CharactersIsRejected() {
    assertThat(EmailAddresses.normalise("a".repeat(64) + "@example.com")).isPresent();
    assertThat(EmailAddresses.normalise("a".repeat(65) + "@example.com")).isEmpty();
  }
}

package org.stamkund.engine.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

  /** The grammar {@link EmailAddresses#plausible} scans by hand, as a regular expression. */
  private static final java.util.regex.Pattern GRAMMAR =
      java.util.regex.Pattern.compile(
          "^[\\p{L}\\p{N}.!#$%&'*+/=?^_`{|}~-]+@(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?\\.)+[\\p{L}]{2,}$");

  @Test
  void theHandScanAgreesWithTheGrammarOnRandomAddresses() {
    // pieces of addresses: letters and numbers of other scripts (Nd, Nl, No, a supplementary
    // letter), the symbols that matter, and characters that are never allowed
    List<String> pieces =
        List.of(
            "a",
            "b1",
            "1",
            ".",
            ".",
            "@",
            "@",
            "-",
            "_",
            "+",
            "'",
            "å",
            "\u0663",
            "\u216b",
            "\u00b2",
            "\ud835\udc9c",
            " ",
            "(",
            "se",
            "com",
            "x-y",
            "..",
            "a.b");
    java.util.Random random = new java.util.Random(20261122);
    int accepted = 0;
    for (int n = 0; n < 200_000; n++) {
      StringBuilder address = new StringBuilder();
      // half of them shaped local@domain.tld, so that many are plausible
      boolean shaped = random.nextBoolean();
      for (int p = random.nextInt(1, shaped ? 4 : 10); p > 0; p--) {
        address.append(pieces.get(random.nextInt(pieces.size())));
      }
      if (shaped) {
        address.append('@');
        for (int p = random.nextInt(1, 4); p > 0; p--) {
          address.append(pieces.get(random.nextInt(pieces.size())));
        }
        address
            .append('.')
            .append(List.of("se", "com", "x", "\u00e5\u00e4").get(random.nextInt(4)));
      }
      String candidate = address.toString();
      boolean expected = GRAMMAR.matcher(candidate).matches();
      assertThat(EmailAddresses.plausible(candidate)).as(candidate).isEqualTo(expected);
      accepted += expected ? 1 : 0;
    }
    assertThat(accepted).as("enough plausible addresses among them").isGreaterThan(1_000);
  }
}

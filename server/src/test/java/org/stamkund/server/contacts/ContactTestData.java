package org.stamkund.server.contacts;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Unique identities for contact tests that share one database: valid Swedish personnummer, Finnish
 * HETU, mobile numbers and name suffixes, random enough never to collide between tests.
 */
/** Unique, valid identifiers for tests that share one database. */
public final class ContactTestData {

  private static final String HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY";

  private ContactTestData() {}

  /**
   * Defines a new contact type keyed by {@code keys}, nothing mandatory, through the admin API.
   *
   * @return its id: {@code prefix} and a random suffix
   */
  public static String contactType(org.stamkund.server.Api api, String prefix, String... keys) {
    String type = prefix + suffix();
    org.stamkund.server.Api.Response defined =
        api.put(
            "/admin/contact-types/" + type,
            java.util.Map.of("keys", java.util.List.of(keys), "mandatory", java.util.List.of()));
    org.assertj.core.api.Assertions.assertThat(defined.status())
        .as(defined.toString())
        .isEqualTo(201);
    return type;
  }

  /** A short random suffix for names and ids. */
  public static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** A valid 12-digit Swedish personnummer of someone born 1940-1999, e.g. 195107312323. */
  public static String personnummer() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String nine =
        String.format(
            Locale.ROOT,
            "%02d%02d%02d%03d",
            random.nextInt(40, 100),
            random.nextInt(1, 13),
            random.nextInt(1, 29),
            random.nextInt(0, 1000));
    return "19" + nine + luhnCheckDigit(nine);
  }

  /** The 10-digit form with a hyphen: 195107312323 becomes 510731-2323. */
  public static String tenDigits(String personnummer) {
    return personnummer.substring(2, 8) + "-" + personnummer.substring(8);
  }

  /**
   * A valid Finnish HETU of someone born 1932-1959, e.g. 131052-308T; its year part (32-59) is no
   * valid day, so it never also reads as a Swedish number.
   */
  public static String hetu() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String date =
        String.format(
            Locale.ROOT,
            "%02d%02d%02d",
            random.nextInt(1, 29),
            random.nextInt(1, 13),
            random.nextInt(32, 60));
    String individual = String.format(Locale.ROOT, "%03d", random.nextInt(2, 900));
    long number = Long.parseLong(date + individual);
    return date + "-" + individual + HETU_CHECK.charAt((int) (number % 31));
  }

  /**
   * A valid Finnish HETU of someone born in 1985 whose digits also make a valid Swedish
   * samordningsnummer (born in the 2000s, day 85 = 25 + 60), e.g. 010185-1186.
   */
  public static String ambiguousHetu() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (true) {
      String digits =
          String.format(
              Locale.ROOT,
              "%02d%02d85%03d",
              random.nextInt(1, 29),
              random.nextInt(1, 13),
              random.nextInt(2, 900));
      char check = HETU_CHECK.charAt((int) (Long.parseLong(digits) % 31));
      if (Character.isDigit(check) && luhnValid(digits + check)) {
        return digits.substring(0, 6) + "-" + digits.substring(6) + check;
      }
    }
  }

  /** A Swedish mobile number in E.164, e.g. +46701234567. */
  public static String mobilePhone() {
    return "+4670"
        + String.format(Locale.ROOT, "%07d", ThreadLocalRandom.current().nextInt(10_000_000));
  }

  /** The national, spaced form of a Swedish E.164 number: +46701234567 becomes 070-123 45 67. */
  public static String national(String e164) {
    String digits = "0" + e164.substring(3);
    return digits.substring(0, 3)
        + "-"
        + digits.substring(3, 6)
        + " "
        + digits.substring(6, 8)
        + " "
        + digits.substring(8);
  }

  private static boolean luhnValid(String ten) {
    return luhnCheckDigit(ten.substring(0, 9)) == ten.charAt(9) - '0';
  }

  private static int luhnCheckDigit(String nine) {
    int sum = 0;
    for (int i = 0; i < nine.length(); i++) {
      int d = nine.charAt(i) - '0';
      if (i % 2 == 0) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return (10 - sum % 10) % 10;
  }
}

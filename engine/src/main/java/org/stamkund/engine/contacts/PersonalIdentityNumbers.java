package org.stamkund.engine.contacts;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses Swedish personnummer and samordningsnummer (10 and 12 digit forms, with check digit) and
 * Finnish HETU (with check character).
 */
public final class PersonalIdentityNumbers {

  private static final Pattern SWEDISH =
      Pattern.compile("^(\\d{2})?(\\d{2})(\\d{2})(\\d{2})([-+]?)(\\d{3})(\\d)$");
  private static final Pattern FINNISH =
      Pattern.compile("^(\\d{2})(\\d{2})(\\d{2})([-+A-FU-Y])(\\d{3})([0-9A-Y])$");
  private static final String HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY";

  private PersonalIdentityNumbers() {}

  /**
   * @param raw the number as sent; surrounding spaces are ignored
   * @param countryHint {@code FI} to prefer the Finnish reading of an ambiguous value; anything
   *     else prefers the Swedish one
   * @param today the date against which a 10-digit Swedish number's century is chosen: the one that
   *     makes the person younger than 100, or at least 100 when the separator is {@code +}
   * @return the number, or empty when it is neither a valid Swedish nor a valid Finnish number
   */
  public static Optional<PersonalIdentityNumber> parse(
      String raw, @Nullable String countryHint, LocalDate today) {
    String value = raw.strip().toUpperCase(Locale.ROOT);
    if ("FI".equalsIgnoreCase(countryHint)) {
      Optional<PersonalIdentityNumber> finnish = finnish(value, today);
      return finnish.isPresent() ? finnish : swedish(value, today);
    }
    Optional<PersonalIdentityNumber> swedish = swedish(value, today);
    return swedish.isPresent() ? swedish : finnish(value, today);
  }

  /**
   * Every valid reading of a value: its Swedish and its Finnish one, when it is valid as both. A
   * lookup by number searches all of them, since a stored number was read with its contact's
   * country.
   */
  public static java.util.List<PersonalIdentityNumber> readings(String raw, LocalDate today) {
    String value = raw.strip().toUpperCase(Locale.ROOT);
    java.util.List<PersonalIdentityNumber> readings = new java.util.ArrayList<>(2);
    swedish(value, today).ifPresent(readings::add);
    finnish(value, today).ifPresent(readings::add);
    return readings;
  }

  private static Optional<PersonalIdentityNumber> swedish(String value, LocalDate today) {
    Matcher m = SWEDISH.matcher(value);
    if (!m.matches()) {
      return Optional.empty();
    }
    String centuryDigits = m.group(1);
    String separator = m.group(5);
    if (centuryDigits != null && separator.equals("+")) {
      return Optional.empty();
    }
    int yy = Integer.parseInt(m.group(2));
    int month = Integer.parseInt(m.group(3));
    int dayField = Integer.parseInt(m.group(4));
    String tenDigits = m.group(2) + m.group(3) + m.group(4) + m.group(6) + m.group(7);
    if (!luhnValid(tenDigits)) {
      return Optional.empty();
    }
    boolean coordination = dayField > 60;
    int day = coordination ? dayField - 60 : dayField;
    Optional<LocalDate> birth;
    if (centuryDigits != null) {
      birth = date(Integer.parseInt(centuryDigits) * 100 + yy, month, day);
    } else {
      // The latest century that puts the birth date on or before today; '+' adds a hundred years.
      int year = (today.getYear() / 100) * 100 + yy;
      birth = date(year, month, day);
      if (birth.isEmpty() || birth.get().isAfter(today)) {
        year -= 100;
        birth = date(year, month, day);
      }
      if (separator.equals("+")) {
        birth = date(year - 100, month, day);
      }
    }
    if (birth.isEmpty() || birth.get().isAfter(today)) {
      return Optional.empty();
    }
    int year = birth.get().getYear();
    String normalised = String.format(Locale.ROOT, "%04d", year) + tenDigits.substring(2);
    return Optional.of(new PersonalIdentityNumber(normalised, "SE", birth.get(), coordination));
  }

  private static Optional<PersonalIdentityNumber> finnish(String value, LocalDate today) {
    Matcher m = FINNISH.matcher(value);
    if (!m.matches()) {
      return Optional.empty();
    }
    int century =
        switch (m.group(4).charAt(0)) {
          case '+' -> 1800;
          case '-', 'U', 'V', 'W', 'X', 'Y' -> 1900;
          default -> 2000;
        };
    int day = Integer.parseInt(m.group(1));
    int month = Integer.parseInt(m.group(2));
    int year = century + Integer.parseInt(m.group(3));
    long number = Long.parseLong(m.group(1) + m.group(2) + m.group(3) + m.group(5));
    if (HETU_CHECK.charAt((int) (number % 31)) != m.group(6).charAt(0)) {
      return Optional.empty();
    }
    return date(year, month, day)
        .filter(birth -> !birth.isAfter(today))
        .map(birth -> new PersonalIdentityNumber(value, "FI", birth, false));
  }

  private static Optional<LocalDate> date(int year, int month, int day) {
    try {
      return Optional.of(LocalDate.of(year, month, day));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  private static boolean luhnValid(String digits) {
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = digits.charAt(i) - '0';
      if (i % 2 == 0) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return sum % 10 == 0;
  }
}

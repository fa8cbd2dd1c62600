package org.stamkund.engine.contacts;

import java.util.Locale;
import java.util.Optional;

/** Validation and normalisation of e-mail addresses. */
public final class EmailAddresses {

  /** Characters a local part may hold besides letters and digits. */
  private static final String LOCAL_SYMBOLS = ".!#$%&'*+/=?^_`{|}~-";

  private EmailAddresses() {}

  /**
   * Normalises an e-mail address: trimmed and lower-cased.
   *
   * @return the normalised address, or empty when {@code raw} is not a plausible address (no
   *     {@code @}, no domain with a top-level part, spaces, dots at the ends of the local part, or
   *     longer than 254 characters)
   */
  public static Optional<String> normalise(String raw) {
    String candidate = raw.strip().toLowerCase(Locale.ROOT);
    if (candidate.length() > 254 || !plausible(candidate)) {
      return Optional.empty();
    }
    String local = candidate.substring(0, candidate.indexOf('@'));
    if (local.length() > 64
        || local.startsWith(".")
        || local.endsWith(".")
        || local.contains("..")) {
      return Optional.empty();
    }
    return Optional.of(candidate);
  }

  /**
   * Whether the address has the shape {@code local@label.label.tld}: a local part of letters,
   * digits and {@link #LOCAL_SYMBOLS}; labels of letters, digits and inner hyphens; a top-level
   * part of at least two letters. Scanned by hand: the regular expression it replaces took 4% of a
   * bulk import's server time.
   */
  static boolean plausible(String address) {
    int at = address.indexOf('@');
    if (at <= 0) {
      return false;
    }
    for (int i = 0; i < at; ) {
      int c = address.codePointAt(i);
      if (!letterOrDigit(c) && LOCAL_SYMBOLS.indexOf(c) < 0) {
        return false;
      }
      i += Character.charCount(c);
    }
    int lastDot = address.lastIndexOf('.');
    if (lastDot <= at + 1) {
      return false;
    }
    int letters = 0;
    for (int i = lastDot + 1; i < address.length(); letters++) {
      int c = address.codePointAt(i);
      if (!Character.isLetter(c)) {
        return false;
      }
      i += Character.charCount(c);
    }
    if (letters < 2) {
      return false;
    }
    for (int start = at + 1, end = address.indexOf('.', start); ; ) {
      if (!label(address, start, end)) {
        return false;
      }
      if (end == lastDot) {
        return true;
      }
      start = end + 1;
      end = address.indexOf('.', start);
    }
  }

  /** A domain label: letters, digits and hyphens, neither first nor last a hyphen. */
  private static boolean label(String address, int start, int end) {
    if (start == end || address.charAt(start) == '-' || address.charAt(end - 1) == '-') {
      return false;
    }
    for (int i = start; i < end; ) {
      int c = address.codePointAt(i);
      if (c != '-' && !letterOrDigit(c)) {
        return false;
      }
      i += Character.charCount(c);
    }
    return true;
  }

  /** A letter or a number of any script, as {@code \p{L}} and {@code \p{N}} match them. */
  private static boolean letterOrDigit(int c) {
    if (Character.isLetter(c)) {
      return true;
    }
    int type = Character.getType(c);
    return type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER;
  }
}

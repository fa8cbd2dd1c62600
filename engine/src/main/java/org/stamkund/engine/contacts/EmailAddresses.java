package org.stamkund.engine.contacts;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Validation and normalisation of e-mail addresses. */
public final class EmailAddresses {

  private static final Pattern VALID =
      Pattern.compile(
          "^[\\p{L}\\p{N}.!#$%&'*+/=?^_`{|}~-]+@(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?\\.)+[\\p{L}]{2,}$");

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
    if (candidate.length() > 254 || !VALID.matcher(candidate).matches()) {
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
}

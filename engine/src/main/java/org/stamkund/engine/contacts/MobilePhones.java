package org.stamkund.engine.contacts;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validation and normalisation of mobile phone numbers to E.164 ({@code +46701234567}).
 *
 * <p>Accepted input: {@code +46 70-123 45 67}, {@code 0046701234567}, {@code 46701234567} (country
 * code without plus, as seed 004's receipts send it), a national number starting with {@code 0}
 * (given the default calling code), and a number whose {@code +} arrived as a space because it was
 * put unencoded into a query string.
 */
public final class MobilePhones {

  private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{6,14}$");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-().\\u00a0/]");

  private MobilePhones() {}

  /**
   * @param raw the number as sent
   * @param defaultCallingCode digits of the calling code for national numbers, for example {@code
   *     46}
   * @return the number in E.164, or empty when it cannot be one
   */
  public static Optional<String> normalise(String raw, String defaultCallingCode) {
    String digits = SEPARATORS.matcher(raw).replaceAll("");
    String e164;
    if (digits.startsWith("+")) {
      e164 = digits;
    } else if (digits.startsWith("00")) {
      e164 = "+" + digits.substring(2);
    } else if (digits.startsWith("0")) {
      e164 = "+" + defaultCallingCode + digits.substring(1);
    } else {
      e164 = "+" + digits;
    }
    return E164.matcher(e164).matches() ? Optional.of(e164) : Optional.empty();
  }
}

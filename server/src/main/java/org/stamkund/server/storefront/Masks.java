package org.stamkund.server.storefront;

/**
 * Masks personal values so a shopper recognises them and nobody else learns them, in the style of
 * the storefront API: {@code Erik → Er**}, {@code hej@orkry.cool → h*j@o**ry.cool}.
 */
final class Masks {

  private Masks() {}

  /** Masks a value of a field by the field's kind. */
  static String mask(String field, String value) {
    return switch (field) {
      case "email" -> email(value);
      case "mobilePhone" -> phone(value);
      case "socialSecurityNumber" -> keepFirst(value, Math.min(4, value.length() / 2));
      case "countryCode" -> value;
      default -> text(value);
    };
  }

  /** The first half shown (at least one character), the rest starred: {@code Erik → Er**}. */
  static String text(String value) {
    int n = value.codePointCount(0, value.length());
    if (n <= 1) {
      return "*";
    }
    return keepFirst(value, n / 2);
  }

  /**
   * The local part's first and last character, the domain's first and last two characters of every
   * label but the top-level domain: {@code hej@orkry.cool → h*j@o**ry.cool}.
   */
  static String email(String value) {
    int at = value.lastIndexOf('@');
    if (at < 1) {
      return text(value);
    }
    String local = value.substring(0, at);
    String domain = value.substring(at + 1);
    String maskedLocal =
        local.length() <= 2
            ? local.charAt(0) + "*"
            : local.charAt(0) + "*".repeat(local.length() - 2) + local.charAt(local.length() - 1);
    int dot = domain.lastIndexOf('.');
    String host = dot < 0 ? domain : domain.substring(0, dot);
    String tld = dot < 0 ? "" : domain.substring(dot);
    return maskedLocal + "@" + host(host) + tld;
  }

  private static String host(String host) {
    int n = host.length();
    if (n < 5) {
      return n == 0 ? "" : host.charAt(0) + "*".repeat(n - 1);
    }
    int hidden = (int) Math.ceil(n * 0.4);
    int shownFirst = n - 2 - hidden;
    return host.substring(0, shownFirst) + "*".repeat(hidden) + host.substring(n - 2);
  }

  /** The calling code and the last two digits: {@code +46701234567 → +46*******67}. */
  static String phone(String value) {
    int n = value.length();
    if (n < 6) {
      return "*".repeat(n);
    }
    int prefix = value.startsWith("+") ? 3 : 0;
    return value.substring(0, prefix) + "*".repeat(n - prefix - 2) + value.substring(n - 2);
  }

  private static String keepFirst(String value, int codePoints) {
    int end = value.offsetByCodePoints(0, codePoints);
    int rest = value.codePointCount(end, value.length());
    return value.substring(0, end) + "*".repeat(rest);
  }
}

package org.stamkund.engine.contacts;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;

/**
 * Validates and normalises the flat attribute part of a contact payload against its contact type.
 *
 * <p>Input values are what JSON scalars map to: {@link String}, {@link BigDecimal}, {@link Boolean}
 * or {@code null}; anything else (a nested object or array) is a wrong type. An empty or blank
 * string means the same as {@code null}: clear the attribute. Unknown names and read-only
 * attributes ({@code memberNumber}, {@code age}) are ignored, as Engage does.
 *
 * <p>Output values are normalised: e-mail lower-cased, phone in E.164, personal identity numbers as
 * {@link PersonalIdentityNumber}, dates as {@link LocalDate}, numbers as {@link BigDecimal},
 * country codes upper-cased, gender and choices in their canonical spelling.
 */
public final class ContactAttributeRules {

  /** The longest text value accepted, in characters. */
  public static final int MAX_TEXT_LENGTH = 512;

  private static final List<String> NOT_ATTRIBUTES =
      List.of("contactType", "preferences", "consents", "id");
  private static final List<String> GENDERS = List.of("Male", "Female", "Other");

  private final Clock clock;
  private final String defaultCallingCode;

  /**
   * @param clock tells today's date, which decides the century of 10-digit Swedish numbers
   * @param defaultCallingCode calling code digits for national phone numbers, for example {@code
   *     46}
   */
  public ContactAttributeRules(Clock clock, String defaultCallingCode) {
    this.clock = clock;
    this.defaultCallingCode = defaultCallingCode;
  }

  /**
   * Checks every attribute of {@code input} and returns the normalised ones, keyed by canonical
   * wire name; a {@code null} value means "clear".
   *
   * @param countryHint the contact's country code when known, used to read ambiguous personal
   *     identity numbers
   * @throws InvalidInputException listing every bad attribute
   */
  public Map<String, @Nullable Object> normalise(
      ContactType type, Map<String, @Nullable Object> input, @Nullable String countryHint) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    List<Violation> violations = new ArrayList<>();
    String hint = countryHint;
    for (Map.Entry<String, @Nullable Object> entry : input.entrySet()) {
      if (entry.getKey().equalsIgnoreCase("countryCode")
          && entry.getValue() instanceof String s
          && !s.isBlank()) {
        hint = s.strip();
      }
    }
    for (Map.Entry<String, @Nullable Object> entry : input.entrySet()) {
      String name = entry.getKey();
      if (isNotAnAttribute(name)) {
        continue;
      }
      Object raw = entry.getValue();
      Optional<StandardAttribute> standard = StandardAttribute.fromWire(name);
      try {
        if (standard.isPresent()) {
          StandardAttribute attribute = standard.get();
          if (attribute.kind() != StandardAttribute.Kind.READ_ONLY) {
            out.put(attribute.wireName(), standardValue(attribute, raw, hint));
          }
        } else {
          Optional<AttributeDefinition> custom = type.customAttribute(name);
          if (custom.isPresent()) {
            out.put(custom.get().id(), customValue(custom.get(), raw));
          }
        }
      } catch (BadValue bad) {
        String field = standard.map(StandardAttribute::wireName).orElse(name);
        violations.add(new Violation(field, bad.errorCode, bad.reason));
      }
    }
    if (!violations.isEmpty()) {
      throw new InvalidInputException(violations);
    }
    return out;
  }

  /**
   * Checks that a complete contact (stored values merged with the changes) has every mandatory
   * attribute of its type and at least one key.
   *
   * @return the violations; empty when the contact is complete
   */
  public static List<Violation> missing(ContactType type, Map<String, @Nullable Object> complete) {
    List<Violation> violations = new ArrayList<>();
    boolean anyKey = false;
    for (String key : type.keyAttributes()) {
      anyKey |= complete.get(canonicalStandard(key)) != null;
    }
    if (!anyKey) {
      violations.add(
          new Violation(
              type.keyAttributes().getFirst(),
              "ContactKeyMissing",
              "a " + type.id() + " needs its key: " + String.join(" or ", type.keyAttributes())));
    }
    for (String mandatory : type.mandatoryAttributes()) {
      String canonical =
          StandardAttribute.fromWire(mandatory)
              .map(StandardAttribute::wireName)
              .or(() -> type.customAttribute(mandatory).map(AttributeDefinition::id))
              .orElse(mandatory);
      boolean reportedAsMissingKey =
          !anyKey
              && type.keyAttributes().stream()
                  .anyMatch(k -> canonicalStandard(k).equals(canonical));
      if (complete.get(canonical) == null && !reportedAsMissingKey) {
        violations.add(
            new Violation(
                canonical,
                "MandatoryFieldMissing",
                canonical + " is mandatory for a " + type.id()));
      }
    }
    return violations;
  }

  /** Whether a top-level name is one of the payload's other parts, in any case. */
  private static boolean isNotAnAttribute(String name) {
    for (String other : NOT_ATTRIBUTES) {
      if (other.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static String canonicalStandard(String name) {
    return StandardAttribute.fromWire(name).map(StandardAttribute::wireName).orElse(name);
  }

  private @Nullable Object standardValue(
      StandardAttribute attribute, @Nullable Object raw, @Nullable String countryHint) {
    String text = text(raw);
    if (text == null) {
      return null;
    }
    return switch (attribute.kind()) {
      case TEXT -> text;
      case EMAIL ->
          EmailAddresses.normalise(text)
              .orElseThrow(() -> new BadValue("InvalidEmailAddress", "not a valid e-mail address"));
      case PHONE ->
          MobilePhones.normalise(text, defaultCallingCode)
              .orElseThrow(
                  () ->
                      new BadValue(
                          "InvalidPhoneNumber",
                          "not a valid mobile phone number; use E.164, for example +46701234567"));
      case PERSONAL_ID ->
          PersonalIdentityNumbers.parse(text, countryHint, LocalDate.now(clock))
              .orElseThrow(
                  () ->
                      new BadValue(
                          "InvalidSocialSecurityNumber",
                          "not a valid Swedish personnummer, samordningsnummer or Finnish HETU"));
      case COUNTRY_CODE -> {
        if (text.length() != 2 || !asciiLetter(text.charAt(0)) || !asciiLetter(text.charAt(1))) {
          throw new BadValue("InvalidCountryCode", "not an ISO 3166-1 alpha-2 country code");
        }
        yield text.toUpperCase(Locale.ROOT);
      }
      case DATE -> date(text);
      case GENDER ->
          GENDERS.stream()
              .filter(g -> g.equalsIgnoreCase(text))
              .findFirst()
              .orElseThrow(() -> new BadValue("InvalidGender", "gender is Male, Female or Other"));
      case READ_ONLY -> throw new IllegalStateException("read-only attributes are skipped");
    };
  }

  private static @Nullable Object customValue(
      AttributeDefinition definition, @Nullable Object raw) {
    if (raw == null || (raw instanceof String s && s.isBlank())) {
      return null;
    }
    return switch (definition.type()) {
      case STRING -> text(raw);
      case NUMBER -> {
        if (raw instanceof BigDecimal number) {
          yield inRange(number);
        }
        if (raw instanceof String s) {
          try {
            yield inRange(new BigDecimal(s.strip()));
          } catch (NumberFormatException e) {
            throw new BadValue("InvalidNumber", "not a number");
          }
        }
        throw new BadValue("InvalidAttributeType", "expected a number");
      }
      case BOOLEAN -> {
        if (raw instanceof Boolean b) {
          yield b;
        }
        if (raw instanceof String s
            && (s.strip().equalsIgnoreCase("true") || s.strip().equalsIgnoreCase("false"))) {
          yield Boolean.parseBoolean(s.strip());
        }
        throw new BadValue("InvalidAttributeType", "expected true or false");
      }
      case DATE -> {
        String s = text(raw);
        yield s == null ? null : date(s);
      }
      case CHOICE -> {
        String s = text(raw);
        yield definition.choices().stream()
            .filter(c -> c.equalsIgnoreCase(s))
            .findFirst()
            .orElseThrow(
                () ->
                    new BadValue(
                        "InvalidChoice",
                        "must be one of " + String.join(", ", definition.choices())));
      }
    };
  }

  /** Text of a scalar: strings as they are (stripped), numbers in plain notation. */
  private static @Nullable String text(@Nullable Object raw) {
    return switch (raw) {
      case null -> null;
      case String s -> {
        String stripped = s.strip();
        if (stripped.length() > MAX_TEXT_LENGTH) {
          throw new BadValue("ValueTooLong", "longer than " + MAX_TEXT_LENGTH + " characters");
        }
        if (hasControlCharacters(stripped)) {
          throw new BadValue("InvalidCharacters", "contains control characters");
        }
        yield stripped.isEmpty() ? null : stripped;
      }
      case BigDecimal number -> inRange(number).toPlainString();
      case Boolean b -> throw new BadValue("InvalidAttributeType", "expected text, got a boolean");
      default ->
          throw new BadValue("InvalidAttributeType", "expected a single value, got " + kind(raw));
    };
  }

  /** The largest number of significant digits, and of digits after the point, accepted. */
  public static final int MAX_NUMBER_DIGITS = 38;

  private static BigDecimal inRange(BigDecimal number) {
    BigDecimal n = number.stripTrailingZeros();
    // long arithmetic: an exponent near the int limits overflows precision - scale as an int
    if ((long) n.precision() - n.scale() > MAX_NUMBER_DIGITS || n.scale() > MAX_NUMBER_DIGITS) {
      throw new BadValue(
          "InvalidNumber", "out of range: at most " + MAX_NUMBER_DIGITS + " digits either side");
    }
    return number;
  }

  /** Control characters other than tab, newline and carriage return; PostgreSQL refuses NUL. */
  static boolean hasControlCharacters(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return true;
      }
    }
    return false;
  }

  private static String kind(Object raw) {
    return raw instanceof List<?> ? "an array" : "an object";
  }

  private static LocalDate date(String text) {
    LocalDate date;
    try {
      date = LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      try {
        date = OffsetDateTime.parse(text).toLocalDate();
      } catch (DateTimeParseException e2) {
        throw new BadValue("InvalidDate", "not a date; use YYYY-MM-DD");
      }
    }
    if (date.getYear() < 1800 || date.getYear() > 2300) {
      throw new BadValue("InvalidDate", "the year must be between 1800 and 2300");
    }
    return date;
  }

  private static final class BadValue extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String errorCode;
    private final String reason;

    BadValue(String errorCode, String reason) {
      super(reason, null, false, false);
      this.errorCode = errorCode;
      this.reason = reason;
    }
  }

  private static boolean asciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}

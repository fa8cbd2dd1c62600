package org.stamkund.engine.contacts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;

/** Checks a contact type definition before it is stored. */
public final class ContactTypeRules {

  private static final Pattern HANDLE = Pattern.compile("^[A-Za-z][A-Za-z0-9_-]{0,63}$");

  private ContactTypeRules() {}

  /**
   * @throws InvalidInputException listing every problem: a bad handle, no key, a key that is not
   *     email, mobilePhone, socialSecurityNumber or externalId, a mandatory attribute that does not
   *     exist, a custom attribute named like a standard one or twice, a choice attribute without
   *     choices
   */
  public static void check(ContactType type) {
    List<Violation> violations = new ArrayList<>();
    if (!HANDLE.matcher(type.id()).matches()) {
      violations.add(
          new Violation(
              "id",
              "InvalidContactType",
              "a contact type id is 1-64 letters, digits, '_' or '-', starting with a letter"));
    }
    if (type.keyAttributes().isEmpty()) {
      violations.add(new Violation("keys", "ContactTypeKeyMissing", "a contact type needs a key"));
    }
    for (String key : type.keyAttributes()) {
      if (StandardAttribute.fromWire(key).filter(StandardAttribute::canBeKey).isEmpty()) {
        violations.add(
            new Violation(
                "keys",
                "InvalidContactTypeKey",
                "'"
                    + key
                    + "' cannot be a key; use email, mobilePhone, socialSecurityNumber or"
                    + " externalId"));
      }
    }
    Set<String> customNames = new HashSet<>();
    for (AttributeDefinition attribute : type.customAttributes()) {
      String lower = attribute.id().toLowerCase(Locale.ROOT);
      if (!HANDLE.matcher(attribute.id()).matches()
          || StandardAttribute.fromWire(attribute.id()).isPresent()
          || Set.of("contacttype", "preferences", "consents", "id").contains(lower)
          || !customNames.add(lower)) {
        violations.add(
            new Violation(
                "attributes",
                "InvalidAttributeDefinition",
                "custom attribute '"
                    + attribute.id()
                    + "' is not a valid name, or clashes with a standard or another attribute"));
      }
      if (attribute.type() == AttributeType.CHOICE && attribute.choices().isEmpty()) {
        violations.add(
            new Violation(
                "attributes",
                "InvalidAttributeDefinition",
                "choice attribute '" + attribute.id() + "' needs at least one choice"));
      }
    }
    for (String mandatory : type.mandatoryAttributes()) {
      boolean known =
          StandardAttribute.fromWire(mandatory)
                  .filter(a -> a.kind() != StandardAttribute.Kind.READ_ONLY)
                  .isPresent()
              || type.customAttribute(mandatory).isPresent();
      if (!known) {
        violations.add(
            new Violation(
                "mandatory",
                "UnknownAttribute",
                "mandatory attribute '" + mandatory + "' is neither standard nor custom"));
      }
    }
    if (!violations.isEmpty()) {
      throw new InvalidInputException(violations);
    }
  }
}

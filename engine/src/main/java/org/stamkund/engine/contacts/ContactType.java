package org.stamkund.engine.contacts;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A named data model for contacts: its key attributes, mandatory attributes and custom attributes.
 *
 * <p>Each key attribute is unique among the contacts of the type, and a contact needs at least one
 * of them. {@code Member} and {@code Contact} exist by default, both keyed by {@code email}.
 *
 * @param id the handle used on the wire ({@code Member}); matched case-insensitively
 * @param name a display name
 * @param keyAttributes wire names of standard attributes that identify a contact of this type
 * @param mandatoryAttributes wire names of attributes every contact of this type must have
 * @param customAttributes attributes beyond the standard ones
 */
public record ContactType(
    String id,
    String name,
    List<String> keyAttributes,
    List<String> mandatoryAttributes,
    List<AttributeDefinition> customAttributes) {

  /** The handle of the loyalty member type. */
  public static final String MEMBER = "Member";

  public ContactType {
    keyAttributes = List.copyOf(keyAttributes);
    mandatoryAttributes = List.copyOf(mandatoryAttributes);
    customAttributes = List.copyOf(customAttributes);
  }

  /** Whether this is the {@code Member} type, which gets member numbers. */
  public boolean isMember() {
    return id.equalsIgnoreCase(MEMBER);
  }

  /** The custom attribute with this wire name, matched case-insensitively. */
  public Optional<AttributeDefinition> customAttribute(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return customAttributes.stream()
        .filter(a -> a.id().toLowerCase(Locale.ROOT).equals(lower))
        .findFirst();
  }
}

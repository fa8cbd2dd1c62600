package org.stamkund.engine.contacts;

import java.util.List;

/**
 * A custom attribute of a contact type.
 *
 * @param id the wire name, unique within its type and distinct from every standard attribute
 * @param type its value type
 * @param choices the allowed values of a {@link AttributeType#CHOICE} attribute (matched
 *     case-insensitively, stored as written here); empty for other types
 */
public record AttributeDefinition(String id, AttributeType type, List<String> choices) {

  public AttributeDefinition {
    choices = List.copyOf(choices);
  }
}

package org.stamkund.engine.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContactTypeTests {

  private static final AttributeDefinition SHOE_SIZE =
      new AttributeDefinition("shoeSize", AttributeType.NUMBER, List.of());

  @Test
  void memberTypeIsRecognisedCaseInsensitively() {
    assertThat(
            new ContactType("member", "Members", List.of("email"), List.of(), List.of()).isMember())
        .isTrue();
    assertThat(
            new ContactType("Contact", "Contacts", List.of("email"), List.of(), List.of())
                .isMember())
        .isFalse();
  }

  @Test
  void customAttributeIsFoundCaseInsensitively() {
    ContactType type =
        new ContactType("Member", "Members", List.of("email"), List.of(), List.of(SHOE_SIZE));

    assertThat(type.customAttribute("SHOESIZE")).contains(SHOE_SIZE);
    assertThat(type.customAttribute("hatSize")).isEmpty();
  }

  @Test
  void listsAreCopiedSoLaterChangesDoNotLeakIn() {
    List<String> keys = new ArrayList<>(List.of("email"));
    ContactType type = new ContactType("Member", "Members", keys, List.of(), List.of());

    keys.add("mobilePhone");

    assertThat(type.keyAttributes()).containsExactly("email");
  }
}

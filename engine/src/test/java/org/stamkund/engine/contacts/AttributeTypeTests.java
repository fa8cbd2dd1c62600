package org.stamkund.engine.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AttributeTypeTests {

  @Test
  void wireNamesAreLowerCase() {
    assertThat(AttributeType.CHOICE.wireName()).isEqualTo("choice");
    assertThat(AttributeType.NUMBER.wireName()).isEqualTo("number");
  }

  @Test
  void wireNamesAreParsedCaseInsensitively() {
    for (AttributeType type : AttributeType.values()) {
      assertThat(AttributeType.fromWire(type.wireName())).contains(type);
      assertThat(AttributeType.fromWire(" " + type.name() + " ")).contains(type);
    }
  }

  @Test
  void singleChoiceIsAChoice() {
    assertThat(AttributeType.fromWire("singleChoice")).contains(AttributeType.CHOICE);
    assertThat(AttributeType.fromWire("SINGLE_CHOICE")).contains(AttributeType.CHOICE);
  }

  @Test
  void unknownWireNamesAreEmpty() {
    assertThat(AttributeType.fromWire("text")).isEmpty();
    assertThat(AttributeType.fromWire("multiChoice")).isEmpty();
    assertThat(AttributeType.fromWire("")).isEmpty();
  }
}

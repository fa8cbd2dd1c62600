package org.stamkund.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DomainEventTests {

  @Test
  void aTypeThatIsNotDottedLowerCaseIsRefusedEveryTime() {
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> new DomainEvent("Contact.Created", null, Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Contact.Created");
      assertThatThrownBy(() -> new DomainEvent("contact", null, Map.of()))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aDottedLowerCaseTypeIsAcceptedAgainAndItsDataCopied() {
    java.util.Map<String, Object> data = new java.util.HashMap<>(Map.of("a", 1));
    DomainEvent first = new DomainEvent("contact.promoted_to_member", null, data);
    data.put("b", 2);
    DomainEvent second = new DomainEvent("contact.promoted_to_member", null, data);

    assertThat(first.data()).containsOnlyKeys("a");
    assertThat(second.data()).containsOnlyKeys("a", "b");
  }
}

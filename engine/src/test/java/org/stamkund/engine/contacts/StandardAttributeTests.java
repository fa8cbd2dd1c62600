package org.stamkund.engine.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StandardAttributeTests {

  @Test
  void wireNamesAreFoundCaseInsensitively() {
    assertThat(StandardAttribute.fromWire("mobilePhone")).contains(StandardAttribute.MOBILE_PHONE);
    assertThat(StandardAttribute.fromWire("MOBILEPHONE")).contains(StandardAttribute.MOBILE_PHONE);
    assertThat(StandardAttribute.fromWire("socialsecuritynumber"))
        .contains(StandardAttribute.SOCIAL_SECURITY_NUMBER);
  }

  @Test
  void everyWireNameLeadsBackToItsAttribute() {
    for (StandardAttribute attribute : StandardAttribute.values()) {
      assertThat(StandardAttribute.fromWire(attribute.wireName())).contains(attribute);
    }
  }

  @Test
  void unknownNamesAndEnumConstantNamesAreNotWireNames() {
    assertThat(StandardAttribute.fromWire("shoeSize")).isEmpty();
    assertThat(StandardAttribute.fromWire("MOBILE_PHONE")).isEmpty();
  }

  @Test
  void onlyEmailMobilePhoneSocialSecurityNumberAndExternalIdCanBeKeys() {
    assertThat(Arrays.stream(StandardAttribute.values()).filter(StandardAttribute::canBeKey))
        .containsExactlyInAnyOrder(
            StandardAttribute.EMAIL,
            StandardAttribute.MOBILE_PHONE,
            StandardAttribute.SOCIAL_SECURITY_NUMBER,
            StandardAttribute.EXTERNAL_ID);
  }

  @Test
  void memberNumberAndAgeAreReadOnly() {
    assertThat(
            Arrays.stream(StandardAttribute.values())
                .filter(a -> a.kind() == StandardAttribute.Kind.READ_ONLY))
        .containsExactlyInAnyOrder(StandardAttribute.MEMBER_NUMBER, StandardAttribute.AGE);
  }
}

package org.stamkund.connector.oms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OmsOptionsTests {

  @Test
  void theMappingTableOfTheSeed() {
    assertThat(ContactTypeMapping.DEFAULT.contactType(false)).isEqualTo("Contact");
    assertThat(ContactTypeMapping.DEFAULT.contactType(true)).isEqualTo("Member");
    assertThat(ContactTypeMapping.EXPORT_MEMBERS_ONLY.contactType(false)).isNull();
    assertThat(ContactTypeMapping.EXPORT_MEMBERS_ONLY.contactType(true)).isEqualTo("Member");
    assertThat(ContactTypeMapping.EXPORT_ALL_CUSTOMERS_AS_MEMBER.contactType(false))
        .isEqualTo("Member");
    assertThat(ContactTypeMapping.EXPORT_ALL_CUSTOMERS_AS_MEMBER.contactType(true))
        .isEqualTo("Member");
  }

  @Test
  void thePrefixMarksWhichInstanceAnExternalIdBelongsTo() {
    OmsOptions bike = OmsOptions.defaults().withConnectorPrefix("BikeShop");
    assertThat(bike.externalIdOf("c-1")).isEqualTo("BikeShop_c-1");
    assertThat(bike.contactIdOf(new ExternalId("VoyadoContactId", "BikeShop_c-1")))
        .isEqualTo("c-1");
    assertThat(bike.contactIdOf(new ExternalId("VoyadoContactId", "Other_c-1"))).isNull();
    assertThat(bike.contactIdOf(new ExternalId("Something", "BikeShop_c-1"))).isNull();
    OmsOptions single = OmsOptions.defaults();
    assertThat(single.externalIdOf("c-1")).isEqualTo("c-1");
    assertThat(single.contactIdOf(new ExternalId("VoyadoContactId", "c-1"))).isEqualTo("c-1");
    assertThat(single.contactIdOf(new ExternalId("VoyadoContactId", "BikeShop_c-1"))).isNull();
  }

  @Test
  void marketsEnabledAndDisabled() {
    OmsOptions o = OmsOptions.defaults().withMarkets(Set.of("SWE", "NOR"), Set.of("NOR"));
    assertThat(o.serves("SWE")).isTrue();
    assertThat(o.serves("NOR")).isFalse();
    assertThat(o.serves("FIN")).isFalse();
    assertThat(OmsOptions.defaults().withMarkets(Set.of(), Set.of("FIN")).serves("SWE")).isTrue();
  }

  @Test
  void aPrefixWithAnUnderscoreIsRefused() {
    assertThatThrownBy(() -> OmsOptions.defaults().withConnectorPrefix("Bike_Shop"))
        .hasMessageContaining("connectorPrefix");
  }
}

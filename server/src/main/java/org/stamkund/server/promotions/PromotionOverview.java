package org.stamkund.server.promotions;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stamkund.server.contacts.ContactOverviewSection;
import org.stamkund.server.platform.StamkundProperties;

/** What {@code GET /api/v2/contactoverview} shows of a contact's promotions: the usable ones. */
@Configuration(proxyBeanMethods = false)
class PromotionOverview {

  @Bean
  ContactOverviewSection promotionsSection(
      PromotionManagement management, StamkundProperties properties) {
    return new ContactOverviewSection() {
      @Override
      public String name() {
        return "promotions";
      }

      @Override
      public Object forContact(java.util.UUID contactId) {
        return management.available(contactId, null).stream()
            .map(h -> PromotionViews.instance(h, properties.timeZone()))
            .toList();
      }
    };
  }
}

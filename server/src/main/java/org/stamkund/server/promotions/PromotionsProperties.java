package org.stamkund.server.promotions;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of personal promotions.
 *
 * @param defaultCurrency the currency of a MONEY redemption channel that names none
 * @param maxBulkContacts the most contact ids one bulk assignment takes
 */
@ConfigurationProperties("stamkund.promotions")
record PromotionsProperties(
    @DefaultValue("SEK") String defaultCurrency, @DefaultValue("4000") int maxBulkContacts) {

  PromotionsProperties {
    if (!defaultCurrency.matches("^[A-Z]{3}$")) {
      throw new IllegalArgumentException(
          "stamkund.promotions.default-currency must be an ISO 4217 code such as SEK");
    }
    if (maxBulkContacts < 1) {
      throw new IllegalArgumentException("stamkund.promotions.max-bulk-contacts must be 1 or more");
    }
  }
}

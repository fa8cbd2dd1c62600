package org.stamkund.connector.oms;

import java.util.Objects;

/**
 * An external id on an OMS entity, as the OMS stores them ({@code {"providerName", "id"}}).
 *
 * @param providerName who the id belongs to ({@code BikeShop_VoyadoExternalStoreId_NOR})
 * @param id the id
 */
public record ExternalId(String providerName, String id) {
  /** Validates. */
  public ExternalId {
    Objects.requireNonNull(providerName, "providerName");
    Objects.requireNonNull(id, "id");
  }
}

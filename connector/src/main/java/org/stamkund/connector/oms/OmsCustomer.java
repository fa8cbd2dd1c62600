package org.stamkund.connector.oms;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A customer as the OMS holds it. Personal data: never log it.
 *
 * @param customerId the OMS's id
 * @param marketId the market the customer belongs to, or null
 * @param clubMember whether the customer is a customer-club member (else a private customer)
 * @param firstName first name
 * @param lastName last name
 * @param email e-mail
 * @param mobilePhone mobile phone
 * @param externalIds external ids, among them the engine contact id once synced
 * @param consents the OMS's consents by name
 */
public record OmsCustomer(
    String customerId,
    @Nullable String marketId,
    boolean clubMember,
    @Nullable String firstName,
    @Nullable String lastName,
    @Nullable String email,
    @Nullable String mobilePhone,
    List<ExternalId> externalIds,
    Map<String, Boolean> consents) {

  /** Validates and copies. */
  public OmsCustomer {
    Objects.requireNonNull(customerId, "customerId");
    externalIds = List.copyOf(externalIds);
    consents = Map.copyOf(consents);
  }

  @Override
  public String toString() {
    return "OmsCustomer[" + customerId + "]";
  }
}

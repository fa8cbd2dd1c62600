package org.stamkund.connector.checkout;

import org.jspecify.annotations.Nullable;
import org.stamkund.connector.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shopper as the checkout knows them after the purchase: what an enrolment sends (seed 000).
 * Personal data: never log it.
 *
 * @param firstName first name
 * @param lastName last name
 * @param street street address
 * @param zipCode postal code
 * @param city city
 * @param email e-mail address
 * @param mobilePhone mobile phone, E.164
 * @param countryCode ISO 3166 alpha-2
 * @param socialSecurityNumber personal identity number
 * @param acceptsEmail e-mail opt-in
 * @param acceptsPostal postal opt-in
 * @param acceptsSms SMS opt-in
 */
public record CheckoutCustomer(
    @Nullable String firstName,
    @Nullable String lastName,
    @Nullable String street,
    @Nullable String zipCode,
    @Nullable String city,
    @Nullable String email,
    @Nullable String mobilePhone,
    @Nullable String countryCode,
    @Nullable String socialSecurityNumber,
    boolean acceptsEmail,
    boolean acceptsPostal,
    boolean acceptsSms) {

  /** The create-contact body of a Member, with the seed's fields. */
  public ObjectNode toMemberJson() {
    ObjectNode o = Json.object();
    o.put("contactType", "Member");
    put(o, "firstName", firstName);
    put(o, "lastName", lastName);
    put(o, "street", street);
    put(o, "zipCode", zipCode);
    put(o, "city", city);
    put(o, "email", email);
    put(o, "mobilePhone", mobilePhone);
    put(o, "countryCode", countryCode);
    put(o, "socialSecurityNumber", socialSecurityNumber);
    ObjectNode p = o.putObject("preferences");
    p.put("acceptsEmail", acceptsEmail);
    p.put("acceptsPostal", acceptsPostal);
    p.put("acceptsSms", acceptsSms);
    return o;
  }

  private static void put(ObjectNode o, String field, @Nullable String value) {
    if (value != null && !value.isBlank()) {
      o.put(field, value.strip());
    }
  }

  @Override
  public String toString() {
    return "CheckoutCustomer[…]";
  }
}

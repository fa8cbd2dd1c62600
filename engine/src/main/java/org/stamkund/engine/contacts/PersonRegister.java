package org.stamkund.engine.contacts;

import java.util.Optional;

/**
 * A population register (Swedish SPAR, Finnish DVV or a broker in front of them): looks a person up
 * by personal identity number or phone number. Stamkund ships a deterministic demo register; a real
 * one is plugged in as a bean of this type.
 */
public interface PersonRegister {

  /**
   * @param personalIdentityNumber a validated number
   * @return the registered person, or empty when the register has none
   */
  Optional<Person> byPersonalIdentityNumber(PersonalIdentityNumber personalIdentityNumber);

  /**
   * @param e164 a phone number in E.164
   * @return the person the number is registered to, or empty
   */
  Optional<Person> byPhoneNumber(String e164);
}

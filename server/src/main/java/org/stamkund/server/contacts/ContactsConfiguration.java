package org.stamkund.server.contacts;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stamkund.engine.contacts.PersonRegister;

/** Wires the pluggable parts of the contact register. */
@Configuration(proxyBeanMethods = false)
class ContactsConfiguration {

  /** The demo register, unless the application provides a real {@link PersonRegister}. */
  @Bean
  @ConditionalOnMissingBean(PersonRegister.class)
  PersonRegister demoPersonRegister() {
    return new DemoPersonRegister();
  }
}

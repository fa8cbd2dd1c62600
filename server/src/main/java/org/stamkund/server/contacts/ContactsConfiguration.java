package org.stamkund.server.contacts;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.stamkund.engine.contacts.PersonRegister;

/**
 * Defaults for the pluggable parts of the contact register. An auto-configuration, so that it is
 * evaluated after the application's own beans and steps aside for them.
 */
@AutoConfiguration
public class ContactsConfiguration {

  /** The demo register, unless the application provides a real {@link PersonRegister}. */
  @Bean
  @ConditionalOnMissingBean(PersonRegister.class)
  PersonRegister demoPersonRegister() {
    return new DemoPersonRegister();
  }
}

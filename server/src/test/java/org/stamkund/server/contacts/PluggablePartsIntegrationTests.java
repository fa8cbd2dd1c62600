package org.stamkund.server.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.stamkund.engine.contacts.Person;
import org.stamkund.engine.contacts.PersonRegister;
import org.stamkund.engine.contacts.PersonalIdentityNumber;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;

/** A real population register and extra overview sections replace and extend the defaults. */
@Import(PluggablePartsIntegrationTests.Plugged.class)
class PluggablePartsIntegrationTests extends IntegrationTest {

  @TestConfiguration
  static class Plugged {
    @Bean
    PersonRegister realRegister() {
      return new PersonRegister() {
        @Override
        public Optional<Person> byPersonalIdentityNumber(PersonalIdentityNumber pin) {
          return pin.value().endsWith("2323")
              ? Optional.of(
                  new Person(
                      "Registered",
                      "Person",
                      null,
                      "Registergatan 1",
                      "11122",
                      "Stockholm",
                      "SE",
                      pin.birthDate(),
                      "Female",
                      null,
                      pin.value()))
              : Optional.empty();
        }

        @Override
        public Optional<Person> byPhoneNumber(String e164) {
          return Optional.empty();
        }
      };
    }

    @Bean
    ContactOverviewSection loyaltySection() {
      return new ContactOverviewSection() {
        @Override
        public String name() {
          return "loyalty";
        }

        @Override
        public @Nullable Object forContact(UUID contactId) {
          return Map.of("contactId", contactId.toString(), "points", 42);
        }
      };
    }
  }

  @Test
  void aRegisterBeanReplacesTheDemoRegister() {
    Api.Response found =
        api.get("/api/v2/personlookup/getpersonlookup?socialSecurityNumber=510731-2323");
    assertThat(found.status()).isEqualTo(200);
    assertThat(found.json().path("firstName").asString()).isEqualTo("Registered");
    assertThat(found.json().path("birthDay").asString()).isEqualTo("1951-07-31");

    Api.Response missing =
        api.get("/api/v2/personlookup/getpersonlookup?socialSecurityNumber=19121212-1212");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo("PersonNotFound");
  }

  @Test
  void overviewCarriesEverySectionBean() {
    String email = Api.uniqueEmail();
    String id = api.post("/api/v2/contacts", Map.of("email", email)).json().path("id").asString();
    Api.Response overview = api.get("/api/v2/contactoverview?contactType=Member&email=" + email);
    assertThat(overview.status()).isEqualTo(200);
    assertThat(overview.json().path("id").asString()).isEqualTo(id);
    assertThat(overview.json().path("loyalty").path("points").asInt()).isEqualTo(42);
    assertThat(overview.json().path("loyalty").path("contactId").asString()).isEqualTo(id);
  }
}
